"""
The columnar Star reader's state across chunks (ids and people by hash) and its array builders.

The checks across rows remember earlier chunks by 64-bit hashes (`stars._seen`): a file whose
ids, exact repeats and people on two editions come back many chunks later, with some rows on
the general path, must read as the object reader reads it, and so must it when every hash
collides (a match is confirmed on the text). The builders of the tables' columns without a
``take`` must give what ``take`` and ``pyarrow.nulls`` give.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("pyarrow")
pytest.importorskip("polars")

import numpy as np
import pyarrow as pa

from sharedoutcomes import _arrow
from sharedoutcomes.stars import _arrays, _columnar, get_star
from sharedoutcomes.stars._seen import HashIndex, pack, text_hashes, unpack

from .test_readers_star import assert_same, columnar_read

FOURTH = get_star("recovery-star", "4")
THIRD = get_star("recovery-star", "3")


def revisited_export(path: Path, rows: int = 400, *, seed: int = 13) -> Path:
    """
    A wide export in which readings come back much later: repeated ids, exact repeats, a person on two editions.

    About one row in eight is messy enough for the general path (a score out of range, a padded
    id, a bad date, a stray cell in the notes column, a quoted worker name with a comma).
    """
    rng = random.Random(seed)
    header = ["Service user ID", "Reading date", "Star", "Reading number", "Worker",
              *(a.label for a in FOURTH.areas), "Notes"]
    written: list[list[str]] = []
    out: list[list[str]] = [header]
    for _ in range(rows):
        if written and rng.random() < 0.08:  # an exact repeat of an earlier row, often many chunks back
            out.append(list(rng.choice(written)))
            continue
        person = f"SU-{rng.randrange(40):03d}"
        date = f"{1 + rng.randrange(3):02d}/0{1 + rng.randrange(2)}/2024"
        star = "Recovery Star 3rd edition" if rng.random() < 0.05 else "Recovery Star 4th edition"
        number = str(1 + rng.randrange(2))
        scores = [str(rng.randint(1, 10)) for _ in FOURTH.areas]
        worker, notes = f"W-{rng.randrange(5)}", ""
        mess = rng.random()
        if mess < 0.03:
            scores[rng.randrange(len(scores))] = "11"
        elif mess < 0.06:
            person = f" {person} "
        elif mess < 0.08:
            date = "31/02/2024"
        elif mess < 0.10:
            notes = "called twice"
        elif mess < 0.12:
            worker = "Keyworker, North"
        row = [person, date, star, number, worker, *scores, notes]
        if star.endswith("3rd edition"):
            row = [person, date, star, number, worker, *(str(rng.randint(1, 10)) for _ in THIRD.areas)]
            row += [""] * (len(header) - len(row))
        written.append(row)
        out.append(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(out)
    return path


@pytest.mark.parametrize("chunk_bytes", [None, 300, 2000])
def test_readings_that_come_back_chunks_later_read_as_the_object_reader_reads_them(
        tmp_path: Path, chunk_bytes: int | None) -> None:
    assert_same(revisited_export(tmp_path / "revisited.csv"), chunk_bytes)


def test_with_every_hash_colliding_the_texts_still_decide(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setattr(_columnar, "text_hashes", lambda texts: np.zeros(len(texts), dtype=np.uint64))

    assert_same(revisited_export(tmp_path / "colliding.csv", rows=150, seed=5), 500)


@pytest.mark.parametrize("packed", [False, True])
def test_the_hash_index_finds_each_text_once_added_and_keeps_colliding_texts_apart(packed: bool) -> None:
    index = HashIndex(packed=packed)
    first = pa.array(["star-a-2024-01-01", "star-b-2024-01-01"])
    index.add(np.array([7, 3], dtype=np.uint64), first, np.array([10, 11]))
    second = pa.array(["star-c-2024-01-01"])
    index.add(np.array([7], dtype=np.uint64), second, np.array([12]))  # the hash of "star-a…": a collision

    places = index.find(np.array([7, 7, 3, 5], dtype=np.uint64),
                        pa.array(["star-c-2024-01-01", "star-a-2024-01-01", "star-b-2024-01-01", "star-z"]))

    assert places.tolist() == [2, 0, 1, -1]
    assert [index.data(p) for p in places[:3].tolist()] == [(12,), (10,), (11,)]
    assert len(index) == 3


@given(st.lists(st.text(max_size=6), unique=True, max_size=60), st.lists(st.integers(1, 9), max_size=12),
       st.lists(st.text(max_size=6), max_size=20), st.booleans())
def test_a_packed_index_finds_what_an_index_of_texts_finds(
        texts: list[str], sizes: list[int], others: list[str], collide: bool) -> None:
    def hashed(batch: list[str]) -> Any:
        array = pa.array(batch, type=pa.string())
        return (np.zeros(len(batch), dtype=np.uint64) if collide else text_hashes(array)), array

    plain, packed = HashIndex(), HashIndex(packed=True)
    added, rest = 0, list(texts)
    for size in [*sizes, len(rest)]:  # the texts in additions of these sizes
        batch, rest = rest[:size], rest[size:]
        hashes, array = hashed(batch)
        for index in (plain, packed):
            index.add(hashes, array, np.arange(added, added + len(batch)) * 10)
        added += len(batch)
    queries = [*reversed(texts), *others]

    found = packed.find(*hashed(queries))

    assert found.tolist() == plain.find(*hashed(queries)).tolist()
    assert found.tolist() == [texts.index(q) if q in texts else -1 for q in queries]
    assert [packed.data(p) for p in found.tolist() if p >= 0] == [(10 * p,) for p in found.tolist() if p >= 0]


def test_an_index_of_many_texts_keeps_every_text_and_datum() -> None:
    texts = [f"star-SU-{k:05d}-2024-06-23-1" for k in range(30_000)]  # runs and data in mappings of their own
    index = HashIndex(packed=True)
    for start in range(0, len(texts), 7_000):
        batch = pa.array(texts[start:start + 7_000])
        index.add(text_hashes(batch), batch, np.arange(start, start + len(batch), dtype=np.int64) + 5)
    queries = pa.array([*texts[::-1], "star-SU-99999-2024-06-23-1"])

    found = index.find(text_hashes(queries), queries)

    assert found.tolist() == [*range(len(texts) - 1, -1, -1), -1]
    assert [index.data(p) for p in (0, 12_345, 29_999)] == [(5,), (12_350,), (30_004,)]
    assert index.text(12_345) == texts[12_345]


def test_an_index_widens_its_data_for_wider_values_and_refuses_another_number_of_columns() -> None:
    index = HashIndex()
    index.add(np.array([1, 2], dtype=np.uint64), pa.array(["a", "b"]), np.array([7, 8], dtype=np.int32))
    index.add(np.array([3], dtype=np.uint64), pa.array(["c"]), np.array([2**40], dtype=np.int64))
    narrow = HashIndex()  # rows kept in 4 bytes while they fit, then a negative value
    narrow.add(np.array([1, 2], dtype=np.uint64), pa.array(["a", "b"]), np.array([7, 2**32 - 1], dtype=np.int64))
    narrow.add(np.array([3], dtype=np.uint64), pa.array(["c"]), np.array([-1], dtype=np.int64))

    assert [index.data(p) for p in range(3)] == [(7,), (8,), (2**40,)]
    assert [narrow.data(p) for p in range(3)] == [(7,), (2**32 - 1,), (-1,)]
    with pytest.raises(ValueError, match="keeps 1 data columns, not 2"):
        index.add(np.array([4], dtype=np.uint64), pa.array(["d"]), np.array([1]), np.array([2]))
    with pytest.raises(TypeError, match="not int64 and uint64"):  # no integer type holds both: not rounded to floats
        index.add(np.array([4], dtype=np.uint64), pa.array(["d"]), np.array([2**63], dtype=np.uint64))
    assert len(index) == 3
    assert index.find(np.array([3, 4], dtype=np.uint64), pa.array(["c", "d"])).tolist() == [2, -1]


def test_pack_keeps_what_the_arrays_show_and_unpack_gives_them_back() -> None:
    parent = pa.array(["a", "bb", None, "dddd", "é"])
    texts, numbers = parent.slice(1, 3), np.array([7, -1, 2**40])

    back = unpack(pack(texts, numbers, pa.chunked_array([["x"], ["y", "z"]])))

    assert [column.to_pylist() for column in back] == [["bb", None, "dddd"], [7, -1, 2**40], ["x", "y", "z"]]
    many = pa.array([f"SU-{k:06d}" for k in range(50_000)])
    assert pack(many.slice(7, 1)).size * 20 < pack(many).size  # a slice does not carry its parent


def test_text_hashes_are_equal_for_equal_texts_only() -> None:
    hashes = text_hashes(pa.array(["SU-1", "SU-2", "SU-1", ""]))

    assert hashes[0] == hashes[2]
    assert len({int(h) for h in hashes}) == 3


@pytest.mark.parametrize("counts", [[3, 1, 2], [0, 2, 0, 1], [10] * 50])
def test_ids_repeated_in_place_equal_a_take(counts: list[int]) -> None:
    ids = pa.array([f"star-SU-{i}-2024-0{1 + i % 9}-01{'-2' * (i % 2)}" for i in range(len(counts))])
    reading = np.repeat(np.arange(len(counts)), counts)

    got = _arrow.repeated(ids, pa.array(reading))

    got.validate(full=True)
    assert got.equals(ids.take(pa.array(reading)))


def test_ids_out_of_order_fall_back_to_a_take() -> None:
    ids = pa.array(["b", "a"])

    assert _arrow.repeated(ids, pa.array([1, 0, 0])).to_pylist() == ["a", "b", "b"]


@pytest.mark.parametrize("kind", [pa.string(), pa.int64(), pa.float64(), pa.date32(), pa.bool_()])
@pytest.mark.parametrize("length", [0, 1, 1000])
def test_null_columns_equal_pyarrow_nulls(kind: Any, length: int) -> None:
    got = _arrow.nulls(pa, kind, length)

    got.validate(full=True)
    assert got.equals(pa.nulls(length, type=kind))


@pytest.mark.parametrize("value", ["assessment", "", "personne âgée"])
def test_a_constant_text_column_equals_a_repeated_value(value: str) -> None:
    got = _arrow.constant_text(pa, value, 5)

    got.validate(full=True)
    assert got.to_pylist() == [value] * 5


@pytest.mark.parametrize("texts", [["Managing mental health", "Physical health", ""], ["Âge", "b"], ["x"]])
@pytest.mark.parametrize("times", [0, 1, 7])
def test_tiled_codes_equal_the_texts_repeated(texts: list[str], times: int) -> None:
    got = _arrow.tiled_text(pa, texts, times)

    got.validate(full=True)
    assert got.to_pylist() == texts * times


def late_second_edition_export(path: Path) -> Path:
    """Sixty readings on the 4th edition, then people of the first rows read on the 3rd edition (and the 4th again)."""
    header = ["Service user ID", "Reading date", "Star", *(a.label for a in FOURTH.areas)]
    rows = [header, *([f"SU-{i % 20:03d}", f"{1 + i // 20:02d}/03/2024", "Recovery Star 4th edition",
                       *(str(1 + (i + j) % 10) for j in range(len(FOURTH.areas)))] for i in range(60))]
    for i in (0, 1, 2, 0):
        third = [str(1 + (i + j) % 10) for j in range(len(THIRD.areas))]
        rows.append([f"SU-{i:03d}", "10/04/2024", "Recovery Star 3rd edition",
                     *third, *[""] * (len(header) - 3 - len(third))])
    rows.append(["SU-005", "11/04/2024", "Recovery Star 4th edition", *(["4"] * len(FOURTH.areas))])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return path


@pytest.mark.parametrize("chunk_bytes", [None, 200, 1000])
def test_a_second_edition_met_chunks_later_is_checked_against_every_earlier_reading(
        tmp_path: Path, chunk_bytes: int | None) -> None:
    path = late_second_edition_export(tmp_path / "late.csv")

    assert_same(path, chunk_bytes)
    _, problems, _ = columnar_read(path, chunk_bytes)
    assert [p.rule for p in problems].count("star.mixed-editions") == 3



@given(st.lists(st.one_of(st.integers(-3, 120).map(str), st.text(max_size=4),
                          st.sampled_from(["07", "0", " 7", "7.0", "10", "1e1", "²", "٣", "-0", "+5"])), max_size=30),
       st.sampled_from([(1, 10), (0, 5), (0, 100), (-2, 2), (1, 1)]))
def test_scores_are_the_cells_that_are_a_score_of_the_scale(
        cells: list[str], scale: tuple[int, int]) -> None:
    low, high = scale
    valid = {str(v): v for v in range(low, high + 1)}
    column = pa.array(["pad", *cells], type=pa.string())[1:]  # an array that starts at an offset too

    got = _arrays.scale_scores(np, column, low, high)

    assert got.tolist() == [valid.get(c, -1) for c in cells]


def test_a_read_left_after_its_first_batch_leaves_no_thread_behind(tmp_path: Path) -> None:
    import threading

    from sharedoutcomes.stars import iter_reading_tables

    path = revisited_export(tmp_path / "left.csv")
    original = _columnar.ColumnarStarReader.chunk_bytes
    _columnar.ColumnarStarReader.chunk_bytes = 500
    try:
        batches = iter_reading_tables(path, today="2025-06-30", organisation_id="GB-SC-SC012345")
        first = next(batches)
        batches.close()
    finally:
        _columnar.ColumnarStarReader.chunk_bytes = original

    assert first.evidence.num_rows > 0
    assert not [t for t in threading.enumerate() if t.name.startswith(("star-chunks", "star-tables"))]


@pytest.mark.parametrize("cells", [["a", "'=1+1", ""], ["", "", ""], ["x'", "y"], ["", "'"], []])
def test_apostrophe_first_is_found_from_the_bytes(cells: list[str]) -> None:
    from sharedoutcomes._csvchunks import _any_apostrophe_first

    column = pa.array(["'pad", *cells], type=pa.string())[1:]

    assert _any_apostrophe_first(column) == any(c.startswith("'") for c in cells)


@given(st.lists(st.integers(0, 20), max_size=40), st.lists(st.integers(0, 20), max_size=40))
def test_two_sorted_runs_merge_into_one(a: list[int], b: list[int]) -> None:
    from sharedoutcomes._util.hashes import _merge

    left, right = np.array(sorted(a), dtype=np.uint64), np.array(sorted(b), dtype=np.uint64)
    hashes, places = _merge(np, left, np.arange(len(a)), right, np.arange(len(a), len(a) + len(b)))

    assert hashes.tolist() == sorted(a + b)
    assert sorted(places.tolist()) == list(range(len(a) + len(b)))
    assert all(np.concatenate([left, right])[p] == h for h, p in zip(hashes, places, strict=True))


@pytest.mark.parametrize("workers", [3, 1000])
def test_metadata_few_or_many_combinations_read_as_the_object_reader_reads_them(tmp_path: Path, workers: int) -> None:
    """Few distinct (reading number, worker, status) in a chunk are written once each; many are joined per row."""
    header = ["Service user ID", "Reading date", "Star", "Reading number", "Worker", "Status",
              *(a.label for a in FOURTH.areas)]
    rows = [header, *([f"SU-{i // 3:03d}", f"{1 + i % 28:02d}/05/2024", "Recovery Star 4th edition", str(1 + i % 3),
                       f"Worker {i % workers}", ("Approved", "In progress", "")[i % 3],
                       *(str(1 + (i * j) % 10) for j in range(len(FOURTH.areas)))] for i in range(300))]
    path = tmp_path / "meta.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)

    assert_same(path)
