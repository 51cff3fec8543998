"""The public API: an explicit, sorted __all__, and an import that stays light."""

from __future__ import annotations

import subprocess
import sys
import types

import sharedoutcomes
import sharedoutcomes.exceptions


def test_all_lists_exactly_the_public_names() -> None:
    public = {
        name for name, obj in vars(sharedoutcomes).items()
        if not name.startswith("_") and not isinstance(obj, types.ModuleType) and name != "annotations"
    } | set(sharedoutcomes._LAZY)  # the names imported on first use

    assert set(sharedoutcomes.__all__) == public
    assert all(getattr(sharedoutcomes, name) is not None for name in sharedoutcomes.__all__)
    assert list(sharedoutcomes.__all__) == sorted(sharedoutcomes.__all__, key=lambda n: (not n.isupper(), n))


def test_every_public_name_has_a_docstring() -> None:
    for name in sharedoutcomes.__all__:
        obj = getattr(sharedoutcomes, name)
        if callable(obj):
            assert obj.__doc__, name


def test_importing_the_package_imports_none_of_its_layers_until_a_name_is_used() -> None:
    code = ("import sys, sharedoutcomes; before = sorted(m for m in sys.modules if m.startswith('sharedoutcomes.')); "
            "sharedoutcomes.validate; print(before, 'sharedoutcomes.validation' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[] True"


def test_version_is_available_lazily() -> None:
    assert sharedoutcomes.__version__.count(".") >= 2


def test_every_exception_has_the_root_and_a_builtin() -> None:
    for name in sharedoutcomes.exceptions.__all__:
        obj = getattr(sharedoutcomes.exceptions, name)
        if (isinstance(obj, type) and issubclass(obj, Exception) and not issubclass(obj, Warning)
                and obj is not sharedoutcomes.SharedOutcomesError):
            assert issubclass(obj, sharedoutcomes.SharedOutcomesError), name
            builtins = (ValueError, LookupError, ImportError, TypeError, OSError)
            assert issubclass(obj, builtins), name


def test_importing_the_package_pulls_in_no_optional_dependency() -> None:
    code = (
        "import sys, sharedoutcomes\n"
        "sharedoutcomes.formats()\n"
        "heavy = {'pandas', 'openpyxl', 'docx', 'matplotlib', 'hypothesis', 'numpy', 'lxml'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

    assert loaded.strip() == "[]"
