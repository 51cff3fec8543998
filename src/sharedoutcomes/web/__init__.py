"""
The validator page: `sharedoutcomes serve`, a page on this machine where anyone can check files.

Drop or choose files (or a folder): the page finds each file's format and says why, converts and
validates it, and shows its problems grouped by where they are, in the problem catalogue's words
with what to do; a preview of its package; the package and contribution report of the whole set;
and downloads of each package, the merged package, the problem list (HTML, XLSX, CSV) and the
report. Nothing leaves the machine: the page binds to 127.0.0.1, loads nothing from elsewhere, and
keeps uploaded files only while it checks them.

Needs the ``web`` extra (``pip install 'sharedoutcomes[web]'``: Starlette, uvicorn, python-multipart).

Example:
    >>> import sharedoutcomes
    >>> from sharedoutcomes.web import build_set, check_file
    >>> checked = build_set([check_file(sharedoutcomes.example_package_path(), name="returns.json")])
    >>> [(f.name, f.format, f.ok) for f in checked.files]
    [('returns.json', 'package', True)]
"""

from sharedoutcomes._optional import require

require("starlette", extra="web", purpose="serving the validator page")
require("uvicorn", extra="web", purpose="serving the validator page")
require("python_multipart", extra="web", purpose="reading uploads on the validator page", distribution="python-multipart")

from sharedoutcomes.web._app import COOKIE, LOCAL_HOSTS, PAGE_POLICY, REPORT_POLICY, create_app  # noqa: E402
from sharedoutcomes.web._check import NOT_CONVERTED, PRIORITY, Attempt, FileCheck, check_file, kind_of  # noqa: E402
from sharedoutcomes.web._limits import MEBIBYTE, Limits  # noqa: E402
from sharedoutcomes.web._names import safe_name  # noqa: E402
from sharedoutcomes.web._serve import serve, server_config  # noqa: E402
from sharedoutcomes.web._set import CheckedSet, build_set  # noqa: E402

__all__ = [
    "COOKIE",
    "LOCAL_HOSTS",
    "MEBIBYTE",
    "NOT_CONVERTED",
    "PAGE_POLICY",
    "PRIORITY",
    "REPORT_POLICY",
    "Attempt",
    "CheckedSet",
    "FileCheck",
    "Limits",
    "build_set",
    "check_file",
    "create_app",
    "kind_of",
    "safe_name",
    "serve",
    "server_config",
]
