"""
Shared test configuration: Hypothesis profiles, common fixtures, and the check of emitted problem ids.

Every `Problem` the library builds during the session is recorded (its rule and severity); when the
session ends, the run fails if the library emitted an id that the problem catalogue lacks, or an id
with another severity than the catalogue's default. Problems that tests build themselves are not
recorded: only those built by code under ``src/sharedoutcomes/``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import sharedoutcomes
from sharedoutcomes.problems import Problem, catalogue

# "dev" is quick; CI selects "ci" (more examples, no deadline: CI machines are slow and shared).
settings.register_profile("dev", max_examples=40, deadline=None)
settings.register_profile(
    "ci", max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
# "fuzz" is the long run by hand (`pytest tests/fuzz --fuzz`): 10,000 inputs for each fuzz test.
settings.register_profile(
    "fuzz", max_examples=10_000, deadline=None, suppress_health_check=list(HealthCheck), print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--fuzz``: run the fuzz tests (``tests/fuzz``) with 10,000 inputs each instead of CI's bounded count."""
    parser.addoption("--fuzz", action="store_true", help="long fuzz runs: 10,000 Hypothesis examples per test")

TESTS = Path(__file__).parent


@pytest.fixture
def example_data() -> dict[str, Any]:
    """The bundled example package as parsed JSON (a fresh copy for each test)."""
    from sharedoutcomes import example_package_path

    data: dict[str, Any] = json.loads(example_package_path().read_text(encoding="utf-8"))
    return data


class EmittedProblemIds:
    """The rule ids (and severities) of the problems the library builds, recorded by wrapping `Problem.__init__`."""

    def __init__(self) -> None:
        self.seen: dict[str, set[str]] = {}
        self._original: Callable[..., None] | None = None

    def install(self) -> None:
        """Record every problem built from now on by a module of the library (not by a test or a doctest)."""
        original = self._original = Problem.__init__
        library = str(Path(sharedoutcomes.__file__).parent) + os.sep
        seen = self.seen

        def recording_init(problem: Problem, *args: Any, **kwargs: Any) -> None:
            original(problem, *args, **kwargs)
            if sys._getframe(1).f_code.co_filename.startswith(library):
                seen.setdefault(problem.rule, set()).add(problem.severity)

        Problem.__init__ = recording_init  # type: ignore[method-assign]

    def uninstall(self) -> None:
        """Put `Problem.__init__` back."""
        if self._original is not None:
            Problem.__init__ = self._original  # type: ignore[method-assign]
            self._original = None

    def unknown(self) -> list[str]:
        """The recorded ids that the catalogue lacks."""
        return sorted(rule for rule in self.seen if rule not in catalogue())

    def regraded(self) -> dict[str, list[str]]:
        """The catalogued ids emitted with a severity other than their default."""
        kinds = catalogue()
        return {rule: sorted(severities) for rule, severities in sorted(self.seen.items())
                if rule in kinds and severities != {kinds[rule].severity}}


_EMITTED = EmittedProblemIds()


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--fuzz"):
        settings.load_profile("fuzz")
    _EMITTED.install()


def pytest_unconfigure(config: pytest.Config) -> None:
    del config
    _EMITTED.uninstall()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run when the library emitted a problem id the catalogue lacks (or at another severity)."""
    del exitstatus
    unknown, regraded = _EMITTED.unknown(), _EMITTED.regraded()
    if not unknown and not regraded:
        return
    lines = ["", "The library emitted problems that src/sharedoutcomes/problems/catalogue/ does not declare as such:"]
    lines += [f"  {rule}: not in the catalogue" for rule in unknown]
    lines += [f"  {rule}: emitted as {', '.join(severities)}, catalogued as {catalogue()[rule].severity}"
              for rule, severities in regraded.items()]
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("\n".join(lines), red=True, bold=True)
    else:  # pragma: no cover - pytest always has a terminal reporter unless disabled
        sys.stderr.write("\n".join(lines) + "\n")
    session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def emitted_problem_ids() -> EmittedProblemIds:
    """The recorder of the problem ids the library emits in this session."""
    return _EMITTED
