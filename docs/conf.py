"""Sphinx configuration: MyST Markdown, the furo theme, autodoc of the public API, generated references."""

from __future__ import annotations

import json
import os
import sys
from importlib.metadata import version as _version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "sharedoutcomes"
author = "The sharedoutcomes developers"
copyright = "2025, the sharedoutcomes developers"
release = _version("sharedoutcomes")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "sharedoutcomes_docs",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_generated", "Thumbs.db", ".DS_Store", "**/data/**", "notebooks/*.ipynb"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
# The docs build from `.[docs]` alone: the Hypothesis strategies (sharedoutcomes.testing) are documented from a
# stand-in of hypothesis, which only the `testing` extra installs (tests/test_docs_build.py builds with it hidden).
autodoc_mock_imports = ["hypothesis"]
napoleon_google_docstring = True
napoleon_numpy_docstring = False

napoleon_use_ivar = True  # "Attributes:" sections as fields, so attrs fields are not described twice

nitpicky = True
# Names the docstrings mention that no inventory documents (type aliases, third-party internals).
nitpick_ignore_regex = [
    (r"py:.*", r"(importlib|attrs|attr|cattrs|jsonschema|referencing|pd|pandas|openpyxl|hypothesis|st|os|pathlib|datetime|dt|collections|typing|_io|argparse|matplotlib|starlette|uvicorn)\..*"),
    (r"py:.*", r"(Any|Path|TextIO|Mapping|Sequence|Iterable|Iterator|Callable|Literal|TypeAlias|Final|ClassVar|"
               r"JSONValue|ScalarValue|Severity|Action|Kind|SearchStrategy|DataFrame|Figure|Axes|"
               r"PathLike|date|datetime|Traversable|Registry|Resource|T|Converter|Source|JSONData|_Absent|"
               r"NoneType|ellipsis|function|optional|Ellipsis|NDArray|"
               r"Names|DateWindow|ChartPath|StarRegistry)"),  # Star analysis aliases
    (r"py:.*", r"sharedoutcomes\.(\w+\.)*_\w.*"),  # private modules and names at any depth
    (r"py:.*", r".*\.T"),
    (r"py:class", r"[A-Z][A-Za-z0-9]*"),  # bare names of type aliases used in annotations (ChartPath, Names …)
    (r"py:.*", r".* .*"),  # napoleon reads "Some words: more words" in an alias's docstring as a type
]
suppress_warnings = ["myst.header"]

html_theme = "furo"
html_title = f"sharedoutcomes {release}"
html_static_path = ["_static"]
templates_path = ["_templates"]

# The version switcher (docs/_templates/sidebar/versions.html): one entry per published version of the docs, in
# docs/_static/versions.json; add a line there when a version is released. A build on Read the Docs says which
# version it is in READTHEDOCS_VERSION; a local build is "latest".
_VERSIONS = json.loads((Path(__file__).parent / "_static" / "versions.json").read_text(encoding="utf-8"))
html_context = {"sharedoutcomes_versions": _VERSIONS,
                "sharedoutcomes_current": os.environ.get("READTHEDOCS_VERSION", "latest")}
html_sidebars = {"**": ["sidebar/brand.html", "sidebar/versions.html", "sidebar/search.html",
                        "sidebar/scroll-start.html", "sidebar/navigation.html", "sidebar/scroll-end.html"]}
