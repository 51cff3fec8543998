"""The immutable registry of formats: explicit built-ins plus entry-point plugins, loaded lazily."""

from __future__ import annotations

import pkgutil
from collections.abc import Iterator, Mapping
from importlib.metadata import entry_points
from typing import Any, Final

from attrs import evolve, field, frozen

from sharedoutcomes.converters._protocol import Converter
from sharedoutcomes.exceptions import SharedOutcomesError, UnknownFormat

ENTRY_POINT_GROUP: Final = "sharedoutcomes.converters"
"""Third-party formats register under this entry-point group."""

# Loaded on first use, so `import sharedoutcomes` never imports openpyxl or python-docx.
BUILT_IN: Final[Mapping[str, str]] = {
    "package": "sharedoutcomes.converters.package:PackageFormat",
    "north-ayrshire": "sharedoutcomes.forms:NorthAyrshireFormat",
    "harmonising-reporting": "sharedoutcomes.forms:HarmonisingReportingFormat",
    "form": "sharedoutcomes.forms:FormFormat",
    "outcomes-star": "sharedoutcomes.stars:OutcomesStarFormat",
    "tables-csv": "sharedoutcomes.tables:TablesCsvFormat",
    "tables-xlsx": "sharedoutcomes.tables:TablesXlsxFormat",
    "survey": "sharedoutcomes.surveys:SurveyFormat",
    "indigo": "sharedoutcomes.indigo:IndigoFormat",
    "360giving": "sharedoutcomes.threesixtygiving:ThreeSixtyGivingFormat",
}


class PluginError(SharedOutcomesError, ImportError):
    """A registered format could not be loaded (a broken plugin or a missing module)."""

    def __init__(self, name: str, reference: str, reason: str) -> None:
        super().__init__(f"the format {name!r} ({reference}) could not be loaded: {reason}")
        self.format_name = name
        self.reference = reference
        self.reason = reason


def _instantiate(name: str, entry: Converter | str) -> Converter:
    if not isinstance(entry, str):
        return entry
    try:
        loaded = pkgutil.resolve_name(entry)
    except (ImportError, AttributeError, ValueError) as error:
        raise PluginError(name, entry, f"{type(error).__name__}: {error}") from error
    converter = loaded() if isinstance(loaded, type) else loaded
    if not isinstance(converter, Converter):
        reason = "it does not have the Converter protocol's name, description, extensions and read()"
        raise PluginError(name, entry, reason)
    return converter


@frozen
class ConverterRegistry:
    """
    An immutable mapping of format names to converters.

    Entries may be converter objects or ``"module:Class"`` references imported on first
    use. `with_converter` returns a new registry; the old one is unchanged.

    Example:
        >>> from sharedoutcomes.converters import default_registry
        >>> "package" in default_registry()
        True
        >>> default_registry()["pakage"]
        Traceback (most recent call last):
        ...
        sharedoutcomes.exceptions.UnknownFormat: No format is called 'pakage'. Did you mean 'package'?
    """

    _entries: Mapping[str, Converter | str] = field(factory=dict, alias="entries")
    _cache: dict[str, Converter] = field(factory=dict, eq=False, repr=False, alias="_cache")

    def with_converter(self, converter: Converter) -> ConverterRegistry:
        """Return a new registry that also knows *converter*, under ``converter.name``."""
        return evolve(self, entries={**self._entries, converter.name: converter}, _cache={})

    def names(self) -> tuple[str, ...]:
        """The registered format names, sorted."""
        return tuple(sorted(self._entries))

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._entries)

    def __getitem__(self, name: str) -> Converter:
        if name in self._cache:
            return self._cache[name]
        try:
            entry = self._entries[name]
        except KeyError:
            raise UnknownFormat(name, known=self.names()) from None
        converter = _instantiate(name, entry)
        self._cache[name] = converter
        return converter

    def formats_for(self, extension: str) -> tuple[str, ...]:
        """
        The names of the formats that read files ending in *extension* (``".docx"``), sorted.

        A plugin that fails to load is left out (the ``formats`` command reports it).

        Example:
            >>> default_registry().formats_for(".xlsx")
            ('360giving', 'form', 'harmonising-reporting', 'indigo', 'north-ayrshire', 'outcomes-star', 'survey', 'tables-xlsx')
        """
        wanted = extension.lower()
        found = []
        for name in self.names():
            try:
                converter = self[name]
            except PluginError:
                continue
            if wanted in (ending.lower() for ending in converter.extensions):
                found.append(name)
        return tuple(found)

    def describe(self) -> dict[str, dict[str, Any]]:
        """Each format's description, file extensions and whether it can write."""
        out = {}
        for name in self.names():
            converter = self[name]
            out[name] = {
                "description": converter.description,
                "extensions": list(converter.extensions),
                "writes": callable(getattr(converter, "write", None)),
            }
        return out


def default_registry() -> ConverterRegistry:
    """
    The built-in formats plus every installed plugin (built-in names win).

    Example:
        >>> default_registry().names()[0] in default_registry()
        True
    """
    plugins = {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}
    return ConverterRegistry(entries={**plugins, **BUILT_IN})
