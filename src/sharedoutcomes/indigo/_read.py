"""Reading INDIGO data into a package: project JSON, the spreadsheet form, or the dataset's flat tables."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from sharedoutcomes.converters import ConversionResult, CoverageCounter, build_result, not_read
from sharedoutcomes.exceptions import ConversionError
from sharedoutcomes.indigo._build import Build
from sharedoutcomes.indigo._convention import EXTENSION_DECLARATION, FORMAT, PLACEHOLDER_PUBLISHER
from sharedoutcomes.indigo._form import is_form, read_form
from sharedoutcomes.indigo._json import json_projects, load_json, project_source
from sharedoutcomes.indigo._orgs import OrgBook, OrgRecord
from sharedoutcomes.indigo._project import add_project
from sharedoutcomes.indigo._tables import FlatTables, read_tables
from sharedoutcomes.indigo._values import ProjectSource
from sharedoutcomes.model import ORG_ID_PATTERN, SCHEMA_VERSION
from sharedoutcomes.problems import Problem, SourceLocation

__all__ = ["READ_OPTIONS", "read"]

READ_OPTIONS: Final = frozenset({
    "projects", "organisations", "publisher", "publisher_name", "publisher_sector", "sharing_level",
    "package_id", "title", "project_id",
})
"""The options `read` takes."""


def read(source: str | os.PathLike[str], **options: Any) -> ConversionResult:
    """
    Read INDIGO data at *source* into a package (see `IndigoFormat` for the options).

    Raises:
        ConversionError: The source cannot be read, holds no INDIGO data, or is a blank spreadsheet form.
    """
    unknown = sorted(set(options) - READ_OPTIONS)
    if unknown:
        msg = (f"the 'indigo' format does not take {', '.join(map(repr, unknown))} "
               f"(it takes: {', '.join(sorted(READ_OPTIONS))})")
        raise TypeError(msg)
    path = Path(source)
    if not path.exists():
        raise ConversionError("no such file or folder", source=SourceLocation(file=path.name))
    selected = _selection(options.get("projects"))
    counter = CoverageCounter()
    problems: list[Problem] = []
    records: dict[str, OrgRecord] = {}
    org_cells: dict[str, tuple[str, int]] = {}
    if path.is_dir() or path.suffix.lower() == ".csv" or (path.suffix.lower() in {".xlsx", ".xlsm"}
                                                          and not is_form(path)):
        tables = read_tables(path, selected)
        sources = list(tables.projects.values())
        problems.extend(tables.problems)
        counter = tables.counter
        records = dict(tables.organisations)
        org_cells = {i: (tables.organisation_part, n) for i, n in tables.organisation_cells.items()}
    elif path.suffix.lower() in {".xlsx", ".xlsm"}:
        sources = [read_form(path, counter, problems)]
    else:
        sources = _json_sources(path, options.get("project_id"), selected, counter, problems)
    extra = options.get("organisations")
    if extra is not None:
        more, more_problems, more_cells = _organisations(extra, counter)
        records.update(more)
        problems.extend(more_problems)
        org_cells.update(more_cells)
    if selected is not None:
        missing = sorted(selected - {s.project_id for s in sources})
        if missing:
            msg = f"no project {', '.join(map(repr, missing))} in this source (projects= asked for it)"
            raise ConversionError(msg, source=SourceLocation(file=path.name))
    if not sources:
        raise ConversionError("the source holds no INDIGO project", source=SourceLocation(file=path.name))
    return _package(path.name, sources, records=records, org_cells=org_cells, counter=counter, problems=problems,
                    options=options)


def _selection(projects: Any) -> set[str] | None:
    if projects is None:
        return None
    if isinstance(projects, str):
        projects = [projects]
    if not isinstance(projects, Iterable):
        msg = "projects= takes a project id or a list of them, such as ['INDIGO-POJ-0200']"
        raise TypeError(msg)
    return {" ".join(str(p).split()) for p in projects}


def _json_sources(path: Path, project_id: str | None, selected: set[str] | None, counter: CoverageCounter,
                  problems: list[Problem]) -> list[ProjectSource]:
    sources = []
    mapped = False  # whether any project holds a field of INDIGO's project schema
    unknown: dict[str, None] = {}  # the members that are not, in the order met (for the refusal)
    for pid, data, root, beside in json_projects(load_json(path), path.name, project_id):
        source = project_source(pid, data, file=path.name, root=root, counter=counter, problems=problems)
        mapped = mapped or any(True for _ in source)
        unknown.update(dict.fromkeys(str(name) for name in data if name != "id"))
        if beside:
            counter.read("id")  # the project's id, beside its data: the activity's id
        if selected is not None and pid not in selected:
            counter.not_read("not selected", len(list(source)))
            problems.append(not_read(SourceLocation(file=path.name, section=root), f"project {pid}",
                                     why="it is not among projects="))
            continue
        sources.append(source)
    if not mapped:
        # Nothing in the file is INDIGO's: a package of it would hold nothing of the file, and validate clean.
        names = ", ".join(list(unknown)[:5]) + (" …" if len(unknown) > 5 else "")
        found = f"its members ({names}) are not fields of INDIGO's project schema" if unknown else "it holds no field"
        msg = (f"this does not look like an INDIGO project JSON file: {found}; an INDIGO project has fields such as "
               "name, dates, outcome_metrics and results (see https://indigo-data-standard.readthedocs.io/en/latest/data-dictionary/project.html)")
        raise ConversionError(msg, source=SourceLocation(file=path.name))
    return sources


def _organisations(extra: Any,
                   counter: CoverageCounter) -> tuple[dict[str, OrgRecord], list[Problem], dict[str, tuple[str, int]]]:
    """The organisations of ``organisations=``; what its table holds besides them is counted and reported."""
    if isinstance(extra, Mapping):
        records = {}
        for indigo_id, given in extra.items():
            info = given if isinstance(given, Mapping) else {"name": given}
            records[str(indigo_id)] = OrgRecord(str(indigo_id), name=info.get("name"), type=info.get("type"),
                                                org_id=info.get("org_id"), url=info.get("url"))
        return records, [], {}
    tables: FlatTables = read_tables(Path(extra), set())
    for part, n in tables.counter.coverage().not_read.items():
        counter.not_read(part, n)
    for part, n in tables.counter.coverage().read.items():
        counter.read(part, n)
    return dict(tables.organisations), tables.problems, \
        {i: (tables.organisation_part, n) for i, n in tables.organisation_cells.items()}


def _package(file: str, sources: list[ProjectSource], *, records: dict[str, OrgRecord],
             org_cells: dict[str, tuple[str, int]],
             counter: CoverageCounter, problems: list[Problem], options: Mapping[str, Any]) -> ConversionResult:
    build = Build(file=file, orgs=OrgBook(records), counter=counter, problems=problems)
    for source in sources:
        add_project(build, source)
        if source.indices("results") and not source.indices("service_provisions"):
            build.flag("indigo.no-provider", f"$.activities[{len(build.activities) - 1}]",
                       f"project {source.project_id!r} names no service provider, so its results are linked to "
                       "its indicators only, not to a contribution", SourceLocation(file=file))
    if build.assumed_aggregation:
        build.flag("indigo.aggregation-assumed", "$.indicators",
                   f"{build.assumed_aggregation} outcome metrics have fewer than two results, so nothing says "
                   "whether their values are per period or cumulative; they are taken as 'per-period' "
                   "(aggregation_basis 'default' under the indicator's extension data)", SourceLocation(file=file))
    organisations, org_problems = build.orgs.organisations()
    build.problems.extend(org_problems)
    for indigo_id, (part, cells) in org_cells.items():
        if indigo_id in build.orgs.used:
            build.counter.read(part, cells)
        else:
            build.counter.not_read(part, cells)
    unused = sorted(set(org_cells) - set(build.orgs.used))
    if unused:
        build.problems.append(not_read(SourceLocation(file=file), f"{len(unused)} organisations",
                                       why="no project read names them"))
    publisher = _publisher(build, organisations, options)
    document = _document(build, sources, organisations, publisher, options)
    return build_result(document, format=FORMAT, problems=build.problems, source_map=build.source_map,
                        coverage=build.counter.coverage())


def _publisher(build: Build, organisations: list[dict[str, Any]], options: Mapping[str, Any]) -> str:
    publisher = options.get("publisher")
    if not publisher or not re.fullmatch(ORG_ID_PATTERN, str(publisher)):
        build.flag("indigo.no-publisher", "$.publisher",
                   f"no publisher= (an org-id) was given, so the package is published by the placeholder "
                   f"{PLACEHOLDER_PUBLISHER!r}; pass publisher= and publisher_name=", None, publisher)
        publisher = PLACEHOLDER_PUBLISHER
    if all(o["id"] != publisher for o in organisations):
        organisations.append({"id": publisher, "name": options.get("publisher_name") or publisher,
                              "sector": options.get("publisher_sector", "public")})
    return str(publisher)


def _document(build: Build, sources: list[ProjectSource], organisations: list[dict[str, Any]], publisher: str,
              options: Mapping[str, Any]) -> dict[str, Any]:
    single = sources[0].project_id if len(sources) == 1 else None
    stem = single or Path(build.file).stem
    slug = "-".join("".join(c if c.isalnum() else " " for c in stem.lower()).split()) or "projects"
    produced = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    title = build.activities[0]["title"] if single else f"INDIGO projects from {build.file}"
    document: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION, "id": options.get("package_id") or f"indigo-{slug}",
        "title": options.get("title") or title, "publisher": publisher, "produced": produced,
        "sharing_level": options.get("sharing_level", "public"), "extensions": [dict(EXTENSION_DECLARATION)],
        "organisations": organisations, "activities": build.activities,
    }
    for name in ("outcomes", "indicators", "contributions", "evidence", "links"):
        items = getattr(build, name)
        if items:
            document[name] = items
    return document
