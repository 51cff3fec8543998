"""
Accounting: every non-empty piece of a form is read into the package or reported as not read.

The matcher records each piece (a cell, a paragraph) it meets, which part of the form it
is in, and whether it was read: the form's own text and labels, answers placed in the
package, answers kept as unmapped answers. An answer that was rejected (a bad date) is
not read, and its problem says why. Everything else gets a ``conversion.not-read``
warning with its place and the start of its text: repeated text once, with a count, and
no more than `MAX_LISTED` warnings in all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from sharedoutcomes.converters import Coverage, CoverageCounter, not_read
from sharedoutcomes.exceptions import SourceLocation
from sharedoutcomes.forms._builder import Builder
from sharedoutcomes.forms._grid import Cell
from sharedoutcomes.forms._match import Matched

__all__ = ["MAX_LISTED", "account", "capped"]

MAX_LISTED: Final = 50
"""At most this many warnings of one kind are listed; one more says how many were left out."""


def account(b: Builder, matched: Matched) -> Coverage:
    """
    Tally what was read, and report every piece that was not (adding the warnings to *b*).

    Example:
        >>> import tempfile, pathlib
        >>> from sharedoutcomes.forms import read_form, template
        >>> blank = pathlib.Path(tempfile.mkdtemp()) / "blank.docx"
        >>> template("north-ayrshire", blank)
        >>> read_form(blank).coverage.complete
        True
    """
    for cell, message in matched.numbered_titles:
        b.problem("form.number-as-title", "$.outcomes", message, b.loc(cell, None, None), severity="warning",
                  value=cell.text)
    counter = CoverageCounter()
    rejected = {piece for cell_id in b.rejected for piece in matched.members.get(cell_id, [cell_id])}
    leftovers: list[tuple[Cell, str]] = []
    for cell, why in matched.not_read:
        counter.not_read(matched.part.get(id(cell), _part(cell)))
        leftovers.append((cell, why))
    for cell in matched.pieces:
        part = matched.part.get(id(cell), _part(cell))
        if id(cell) in rejected:
            counter.not_read(part)
        elif id(cell) in matched.used:
            counter.read(part)
        else:
            counter.not_read(part)
            why = matched.why.get(id(cell)) or (
                f"{cell.where}: the {b.profile.name} form profile has no question, heading or table for it")
            leftovers.append((cell, why))
    for text, places, why, cell in capped((c.text, c.where, w, c) for c, w in leftovers):
        location = b.loc(cell, None, None)
        b.problems.append(not_read(SourceLocation(**location.to_dict()), text, why=why + _elsewhere(places)))
    return counter.coverage()


def _elsewhere(places: list[str]) -> str:
    """Where else the same text is (the first three places, and how many more)."""
    others = places[1:]
    if not others:
        return ""
    more = f" and {len(others) - 3} more place{'s' * (len(others) > 4)}" if len(others) > 3 else ""
    return f"; the same text is also at {', '.join(others[:3])}{more}"


def _part(cell: Cell) -> str:
    return cell.sheet or (f"Word table {cell.table}" if cell.table is not None else "paragraphs")


def capped(items: Iterable[tuple[str, str, str, Cell]]) -> list[tuple[str, list[str], str, Cell]]:
    """
    *items* (text, place, why, cell) with repeated texts once (with every place), at most `MAX_LISTED`.

    When more are left out, the last entry says how many (with the text ``…``).

    Example:
        >>> from sharedoutcomes.forms._grid import Cell
        >>> c = Cell(text="x", row=1, column="A", where="A1")
        >>> [(t, p) for t, p, _w, _c in capped([("x", "A1", "", c), ("x", "A2", "", c), ("y", "A3", "", c)])]
        [('x', ['A1', 'A2']), ('y', ['A3'])]
    """
    first: dict[str, tuple[str, list[str], str, Cell]] = {}
    for text, place, why, cell in items:
        key = " ".join(text.split())
        if key in first:
            first[key][1].append(place)
        else:
            first[key] = (text, [place], why, cell)
    entries = list(first.values())
    if len(entries) <= MAX_LISTED:
        return entries
    left = entries[MAX_LISTED:]
    more = sum(len(places) for _t, places, _w, _c in left)
    cell = left[0][3]
    return [*entries[:MAX_LISTED],
            ("…", [cell.where], f"{more} more pieces were not read and are not listed one by one, from {cell.where} on",
             cell)]
