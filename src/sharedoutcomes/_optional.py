"""Optional dependencies: import one, or say which extra installs it."""

from __future__ import annotations

import importlib
from types import ModuleType

from sharedoutcomes.exceptions import MissingDependency


def require(module: str, *, extra: str, purpose: str, distribution: str | None = None) -> ModuleType:
    """
    Import *module* (``"pandas"``, ``"matplotlib.figure"`` …), or raise `MissingDependency`.

    Only a missing *module* (or one of its parent packages) becomes `MissingDependency`, naming
    the extra that installs it; any other import failure is a broken installation and is raised
    as it is. *distribution* is the name to install, where it differs from the module's.

    Example:
        >>> require("json", extra="none", purpose="parsing").__name__
        'json'
        >>> require("no_such_module", extra="charts", purpose="drawing charts")
        Traceback (most recent call last):
        ...
        sharedoutcomes.exceptions.MissingDependency: drawing charts needs no_such_module. Install it with: python -m pip install 'sharedoutcomes[charts]'
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as error:
        if error.name is None or not (module == error.name or module.startswith(error.name + ".")):
            raise
        raise MissingDependency(distribution or module.split(".", maxsplit=1)[0], extra=extra, purpose=purpose) from None
