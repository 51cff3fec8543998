"""What a converter returns: `ConversionResult`, and `build_result`, which every converter ends with."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from html import escape
from typing import Any

import attrs
from attrs import field, frozen

from sharedoutcomes._structure import build_package
from sharedoutcomes._util import html
from sharedoutcomes.converters._coverage import Coverage
from sharedoutcomes.exceptions import InvalidDocument, Problem, SourceLocation
from sharedoutcomes.model import Package
from sharedoutcomes.validation import Report, ValidationProfile, validate_data

__all__ = ["ConversionResult", "build_result", "unbuildable"]

_UNBUILDABLE = frozenset({"json-too-deep", "json-number-too-large", "number-not-finite"})
"""Problems of a document's shape (besides ``schema.*``): no package can be built from it."""


def unbuildable(report: Report) -> bool:
    """
    Whether *report* says no package can be built from what it checked: an error of the schema or of the shape.

    Every route from a converter's document (or tables) to a package raises `InvalidDocument` then.

    Example:
        >>> from sharedoutcomes.validation import validate_data
        >>> unbuildable(validate_data({"schema_version": "0.2"})), unbuildable(Report())
        (True, False)
    """
    return any(p.rule.startswith("schema.") or p.rule in _UNBUILDABLE for p in report.errors)


@frozen(kw_only=True)
class ConversionResult:
    """
    What a converter made of a source: the package, the problems, and where values came from.

    Attributes:
        package: The converted package (rows or answers that could not be converted are
            left out of it and reported in `problems`, never silently dropped).
        problems: Every problem: the converter's own (bad cells, unknown areas …) and the
            validation of the package, each with its source location where known.
        source_map: JSONPath in the package → location in the original file.
        format: The name of the format that read the source.
        document: The package as JSON-ready data (a dict). A converter may give, instead, a function
            that makes it: it is then made the first time `document` is looked at, and kept.
        coverage: How many pieces of the source were read and how many were not, by part
            (``None`` for a converter that does not account for its input, such as a plugin
            written before 0.2).
    """

    package: Package
    problems: tuple[Problem, ...] = ()
    source_map: Mapping[str, SourceLocation] = field(factory=dict, repr=False)
    format: str = ""
    _document: Mapping[str, Any] | Callable[[], Mapping[str, Any]] = field(factory=dict, repr=False, eq=False,
                                                                          alias="document")
    coverage: Coverage | None = None

    @property
    def document(self) -> Mapping[str, Any]:
        """The package as JSON-ready data (made now, and kept, when the converter gave a function that makes it)."""
        document = self._document
        if callable(document):
            document = document()
            object.__setattr__(self, "_document", document)  # frozen: set once, the same data from then on
        return document

    @property
    def ok(self) -> bool:
        """``True`` when no problem is an error."""
        return not any(p.severity == "error" for p in self.problems)

    def with_profile(self, profile: ValidationProfile) -> ConversionResult:
        """
        The same result with *profile*'s severities: its problems re-graded, or dropped where turned off.

        Example:
            >>> from sharedoutcomes import ValidationProfile, convert, example_package_path
            >>> result = convert(example_package_path(), format="package")
            >>> result.with_profile(ValidationProfile(severities={"org-id-prefix": "error"})).ok
            True
        """
        return attrs.evolve(self, problems=tuple(profile.apply(self.problems)))

    @property
    def report(self) -> Report:
        """The problems as a validation `Report`."""
        return Report(problems=self.problems)

    def __repr__(self) -> str:
        errors = sum(p.severity == "error" for p in self.problems)
        warnings = len(self.problems) - errors
        return (f"<ConversionResult {self.format!r}: {len(self.package.evidence)} evidence, "
                f"{errors} errors, {warnings} warnings>")

    def _repr_html_(self) -> str:
        """The format, the package's own summary and the problems, for a notebook."""
        colour = html.OK if self.ok else html.BAD
        head = (f"<p>Read with <code>{escape(self.format)}</code>: "
                f"<strong style='color:{colour}'>{'ok' if self.ok else 'has errors'}</strong></p>")
        if self.coverage is not None:
            head += f"<p>Coverage: {escape(str(self.coverage))}</p>"
        return head + self.package._repr_html_() + self.report._repr_html_()


def build_result(
    document: Mapping[str, Any],
    *,
    format: str,
    problems: Iterable[Problem] = (),
    source_map: Mapping[str, SourceLocation] | None = None,
    profile: ValidationProfile | None = None,
    coverage: Coverage | None = None,
) -> ConversionResult:
    """
    Validate a converter's *document* and build the result: the helper every converter ends with.

    The converter's own problems come first, then the validation problems, located in the
    original file through *source_map*. A validation *profile* re-grades both.

    Raises:
        InvalidDocument: The document does not even have the shape of a package (a bug in
            the converter, or input it should have rejected): schema errors, nesting too deep,
            NaN or an infinity, an integer too long.

    Example:
        >>> from sharedoutcomes import dump, example_package
        >>> result = build_result(dump(example_package()), format="package")
        >>> result.ok
        True
    """
    # a dict is copied (the caller's stays its own); another Mapping, such as a map computed on look-up, is kept
    source_map = dict(source_map or {}) if source_map is None or isinstance(source_map, dict) else source_map
    problems = tuple(problems if profile is None else profile.apply(problems))
    report = validate_data(document, profile=profile, source_map=source_map)
    if unbuildable(report):
        # the converter's own problems (bad cells, rows it could not place) belong in the report too
        raise InvalidDocument(Report(problems=(*problems, *report.problems), source=report.source,
                                     profile=report.profile))
    package = build_package(document, owned=False)  # the schema passed: no need to re-run attrs validators
    return ConversionResult(
        package=package,
        problems=(*problems, *report.problems),
        source_map=source_map,
        format=format,
        document=document,
        coverage=coverage,
    )
