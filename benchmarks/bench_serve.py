"""
Load test of the validator page: concurrent uploads of a folder of returns and a Star export, against 127.0.0.1.

Usage: .venv/bin/python benchmarks/bench_serve.py [--clients 20] [--returns 30] [--timeout 1200]

Starts ``sharedoutcomes serve`` on a free port of 127.0.0.1 (a real uvicorn server, in its own process),
writes N filled North Ayrshire returns (half Word, half Excel, as `bench_forms.py` does) and takes the
Star export of the tests, then:

1. measures a simple GET (``/``, the upload page) on the idle server: the baseline;
2. starts CLIENTS uploads at once, each of the N returns and the Star export, each in its own session
   (page, token, POST, follow to the results), while one more client GETs ``/`` every 0.25 s;
3. reports each upload's latency (percentiles), the GET latency under load beside the idle one, and the
   server's CPU time beside the wall time (the machine is shared: CPU time says what the work cost).

Bounded: CLIENTS x N files, and every request has a timeout; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2 as httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_forms import PROFILE, content

from sharedoutcomes.forms import _docx as forms_docx
from sharedoutcomes.forms import _xlsx as forms_xlsx

ROOT = Path(__file__).resolve().parents[1]
STAR = ROOT / "tests" / "stars" / "data" / "star-online-wide.csv"
TOKEN = re.compile(r"name='csrf' value='([^']+)'")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def write_files(folder: Path, n: int) -> list[tuple[str, bytes]]:
    for i in range(n):
        render = forms_docx.render if i % 2 else forms_xlsx.render
        render(PROFILE, content(i + 1), folder / f"return-{i + 1:03d}.{'docx' if i % 2 else 'xlsx'}")
    files = [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]
    return [*files, (STAR.name, STAR.read_bytes())]


def upload(base: str, files: list[tuple[str, bytes]], timeout: float) -> tuple[float, int, str]:
    start = time.perf_counter()
    with httpx.Client(base_url=base, timeout=timeout, follow_redirects=True) as http:
        token = TOKEN.search(http.get("/").text)
        assert token is not None
        response = http.post("/check", data={"csrf": token.group(1)},
                             files=[("files", (name, data)) for name, data in files])
    return time.perf_counter() - start, response.status_code, response.text


def poll(base: str, stop: threading.Event, out: list[float]) -> None:
    with httpx.Client(base_url=base, timeout=30) as http:
        while not stop.is_set():
            start = time.perf_counter()
            http.get("/")
            out.append(time.perf_counter() - start)
            stop.wait(0.25)


def wait_until_up(base: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--returns", type=int, default=30)
    parser.add_argument("--timeout", type=float, default=1200, help="seconds one upload may take")
    args = parser.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "sharedoutcomes", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_up(base, time.monotonic() + 60)
        with tempfile.TemporaryDirectory() as work:
            files = write_files(Path(work), args.returns)
        idle: list[float] = []
        with httpx.Client(base_url=base) as http:
            for _ in range(20):
                start = time.perf_counter()
                http.get("/")
                idle.append(time.perf_counter() - start)
        cpu_before, wall_before = cpu_seconds(server.pid), time.perf_counter()
        stop, loaded = threading.Event(), []
        poller = threading.Thread(target=poll, args=(base, stop, loaded))
        poller.start()
        with ThreadPoolExecutor(args.clients) as pool:
            runs = list(pool.map(lambda _: upload(base, files, args.timeout), range(args.clients)))
        stop.set()
        poller.join()
        wall, cpu = time.perf_counter() - wall_before, cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies = [seconds for seconds, _, _ in runs]
    ok = sum(status == 200 and "What was found in" in text for _, status, text in runs)
    files_checked = args.clients * len(files)
    print(f"{args.clients} concurrent uploads of {args.returns} returns + 1 Star export "
          f"({files_checked} files), 2 conversion workers")
    print(f"  uploads answered with results: {ok} of {args.clients}")
    print(f"  upload latency (s): p50 {pct(latencies, 0.5):.1f}  p90 {pct(latencies, 0.9):.1f}  "
          f"max {max(latencies):.1f}")
    print(f"  wall {wall:.1f} s, server CPU {cpu:.1f} s ({cpu / files_checked * 1000:.0f} ms CPU per file)")
    print(f"  GET / idle   (ms): p50 {pct(idle, 0.5) * 1000:.1f}  p95 {pct(idle, 0.95) * 1000:.1f}  "
          f"max {max(idle) * 1000:.1f}  (n={len(idle)})")
    print(f"  GET / loaded (ms): p50 {pct(loaded, 0.5) * 1000:.1f}  p95 {pct(loaded, 0.95) * 1000:.1f}  "
          f"max {max(loaded) * 1000:.1f}  (n={len(loaded)}, mean {statistics.mean(loaded) * 1000:.1f})")
    print(f"  load average while measured: {os.getloadavg()[0]:.1f} (2 cores; the machine is shared)")


if __name__ == "__main__":
    main()
