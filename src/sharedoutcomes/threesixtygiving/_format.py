"""
The ``360giving`` format: 360Giving grants data (JSON, CSV, XLSX) in, 360Giving JSON out.

Example:
    >>> import sharedoutcomes
    >>> from sharedoutcomes.threesixtygiving import sample_path
    >>> result = sharedoutcomes.convert(sample_path(), format="360giving")
    >>> len(result.package.activities), result.package.activities[0].funding[0].amount.amount
    (4, 30000)
    >>> print(result.coverage)
    read 91 of 91 pieces
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from sharedoutcomes._util.paths import json_path
from sharedoutcomes.converters import ConversionResult, build_result
from sharedoutcomes.exceptions import ConversionError, Problem
from sharedoutcomes.model import ORG_ID_PATTERN, SCHEMA_VERSION, Package
from sharedoutcomes.problems import SourceLocation
from sharedoutcomes.threesixtygiving._grant import EXTENSION, sector_of
from sharedoutcomes.threesixtygiving._stream import GrantStream
from sharedoutcomes.threesixtygiving._write import package_json

__all__ = ["EXTENSION_DECLARATION", "FORMAT", "ThreeSixtyGivingFormat", "sample_path"]

FORMAT: Final = "360giving"

EXTENSION_DECLARATION: Final = {
    "name": EXTENSION,
    "version": "0.1",
    "url": "https://standard.threesixtygiving.org/",
    "description": "The 360Giving fields of a grant (and of the file's metadata) that the model has no field for, "
                   "exactly as the file gave them.",
}
"""How a package declares the extension that keeps 360Giving fields outside the model."""

PLACEHOLDER_PUBLISHER: Final = "XX-UNKNOWN-360giving"
_READ_OPTIONS: Final = frozenset({"publisher", "sharing_level", "package_id", "title"})
_WRITE_OPTIONS: Final = frozenset({"id_prefix", "indent"})
_ORG_ID: Final = re.compile(ORG_ID_PATTERN)


def sample_path() -> Path:
    """
    The bundled sample: four real grants of A B Charitable Trust (CC BY 4.0; see the README beside it).

    Example:
        >>> sample_path().name
        'sample-grants.json'
    """
    return Path(__file__).resolve().parent / "data" / "sample-grants.json"


def _check(options: Mapping[str, Any], allowed: frozenset[str], what: str) -> None:
    unknown = sorted(set(options) - allowed)
    if unknown:
        msg = (f"the '360giving' format does not take {', '.join(map(repr, unknown))} when {what} "
               f"(it takes: {', '.join(sorted(allowed))})")
        raise TypeError(msg)


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split()) or "grants"


class _Package:
    """The package being built from the stream: organisations once each, activities in order."""

    def __init__(self, stream: GrantStream) -> None:
        self.stream = stream
        self.organisations: dict[str, dict[str, Any]] = {}
        self.activities: list[dict[str, Any]] = []
        self.problems: list[Problem] = []
        self.source_map: dict[str, SourceLocation] = {}
        self.funders: dict[str, int] = {}

    def add(self) -> None:
        for grant in self.stream:
            self.activities.append(grant.activity)
            self.problems.extend(grant.problems)
            self.source_map.update(grant.source_map)
            for organisation, where in zip(grant.organisations, grant.organisation_sources, strict=True):
                if organisation.get("kind") == "funder":
                    self.funders[organisation["id"]] = self.funders.get(organisation["id"], 0) + 1
                known = self.organisations.get(organisation["id"])
                if known is None:
                    index = len(self.organisations)
                    self.organisations[organisation["id"]] = organisation
                    if where is not None:
                        self.source_map[f"$.organisations[{index}].id"] = where
                elif organisation.get("kind") == "funder":
                    known["kind"] = "funder"

    def publisher(self, chosen: str | None) -> str:
        meta_publisher = self.stream.meta.get("publisher")
        declared = meta_publisher.get("identifier") if isinstance(meta_publisher, dict) else None
        for candidate in (chosen, declared):
            if isinstance(candidate, str) and _ORG_ID.match(candidate):
                if candidate not in self.organisations:
                    name = meta_publisher.get("name") if isinstance(meta_publisher, dict) else None
                    self.organisations[candidate] = {"id": candidate, "name": name or candidate,
                                                     "sector": sector_of(candidate)}
                return candidate
        if self.funders:
            funder = max(self.funders, key=lambda key: self.funders[key])
            if len(self.funders) > 1:
                self.problems.append(Problem(
                    rule="threesixtygiving.publisher-guessed", severity="warning", path="$.publisher",
                    message=f"the file does not say who publishes it and names {len(self.funders)} funders; the "
                            f"package is published by the one with most grants, {funder!r} (pass publisher= to "
                            "choose)", value=funder))
            return funder
        self.organisations[PLACEHOLDER_PUBLISHER] = {"id": PLACEHOLDER_PUBLISHER, "name": "Unknown publisher",
                                                     "sector": "third"}
        self.problems.append(Problem(
            rule="threesixtygiving.publisher-guessed", severity="warning", path="$.publisher",
            message=f"no funder or publisher with an org-id is named, so the package is published by the "
                    f"placeholder {PLACEHOLDER_PUBLISHER!r}; pass publisher= (an org-id)"))
        return PLACEHOLDER_PUBLISHER


class ThreeSixtyGivingFormat:
    """
    360Giving grants data: JSON packages, and CSV or XLSX in the official flattened layout.

    Options for `read`:

    - ``publisher``: the org-id of the package's publisher (default: the file's declared publisher, else its
      funder);
    - ``sharing_level``: the package's sharing level (default ``public``: 360Giving data is open data);
    - ``package_id``, ``title``: the package's id and title (defaults from the file's metadata or name).

    Options for `write`:

    - ``id_prefix``: the 360Giving prefix (such as ``360G-NAHSCP``) for funding lines without a grant id;
      without it such a line cannot be written;
    - ``indent``: JSON indentation (default 2; ``None`` for one line).

    Example:
        >>> ThreeSixtyGivingFormat().extensions
        ('.json', '.csv', '.xlsx')
    """

    name = FORMAT
    description = "360Giving grants data (JSON package, or CSV/XLSX in the official flattened layout)."
    extensions = (".json", ".csv", ".xlsx")

    def read(self, source: Any, **options: Any) -> ConversionResult:
        """
        Read a 360Giving file into a package: one activity (with its funding line) a grant.

        Raises:
            ConversionError: The file cannot be read, or holds no 360Giving grants at all.

        Example:
            >>> result = ThreeSixtyGivingFormat().read(sample_path())
            >>> result.package.organisations[0].id, result.package.publisher
            ('GB-CHC-1000147', 'GB-CHC-1000147')
        """
        _check(options, _READ_OPTIONS, "reading")
        stream = GrantStream(source)
        built = _Package(stream)
        built.add()
        if not built.activities:
            msg = f"{stream.file} holds no 360Giving grants: there is nothing to convert"
            raise ConversionError(msg, source=SourceLocation(file=stream.file))
        publisher = built.publisher(options.get("publisher"))
        meta = stream.meta
        document: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "id": options.get("package_id") or "360giving-" + _slug(str(meta.get("identifier") or Path(stream.file).stem)),
            "title": options.get("title") or _text(meta.get("title")) or f"360Giving grants from {stream.file}",
            "publisher": publisher,
            "produced": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "sharing_level": options.get("sharing_level", "public"),
            "extensions": [dict(EXTENSION_DECLARATION)],
            "organisations": list(built.organisations.values()),
            "activities": built.activities,
        }
        if _text(meta.get("description")):
            document["description"] = meta["description"]
        if meta:
            document["extension_data"] = {EXTENSION: meta}
            for path, location in _meta_sources(stream, meta):
                built.source_map[path] = location
        problems = [*stream.problems, *built.problems]
        return build_result(document, format=self.name, problems=problems, source_map=built.source_map,
                            coverage=stream.counter.coverage())

    def write(self, package: Package, destination: str | os.PathLike[str], **options: Any) -> None:
        """
        Write the package's funding lines as a 360Giving JSON package, validated against the 360Giving schema.

        Raises:
            ConversionError: The package has no funding lines, or they lack what 360Giving requires
                (a grant id, an amount, an award date, a recipient …): the message lists each.

        Example:
            >>> import tempfile, pathlib, json
            >>> result = ThreeSixtyGivingFormat().read(sample_path())
            >>> target = pathlib.Path(tempfile.mkdtemp()) / "grants.json"
            >>> ThreeSixtyGivingFormat().write(result.package, target)
            >>> len(json.loads(target.read_text(encoding="utf-8"))["grants"])
            4
        """
        _check(options, _WRITE_OPTIONS, "writing")
        data = package_json(package, id_prefix=options.get("id_prefix"))
        with Path(destination).open("w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=options.get("indent", 2), ensure_ascii=False)
            handle.write("\n")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _meta_sources(stream: GrantStream, meta: Mapping[str, Any]) -> list[tuple[str, SourceLocation]]:
    out = []

    def walk(node: Any, path: tuple[str | int, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*path, index))
        else:
            out.append((json_path(["extension_data", EXTENSION, *path]), stream.locate_meta(path)))

    walk(meta, ())
    return out
