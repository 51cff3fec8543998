"""
360Giving grants data: who funds which organisation, for what, when and how much.

The ``360giving`` format (`ThreeSixtyGivingFormat`) reads 360Giving JSON packages (1.x) and CSV or
XLSX files in the official flattened layout (headings as titles or field paths, a sheet per
sub-object, the ``Meta`` sheet): each grant becomes an activity with its funding line, its funder
and recipient organisations, and every 360Giving field the model has no place for kept under the
``threesixtygiving`` extension. It writes a package's funding lines back as 360Giving JSON that
validates against the 360Giving schema, vendored with its licence. `GrantStream` and
`iter_grants` read a file of any size one grant at a time.

Example:
    >>> import sharedoutcomes
    >>> from sharedoutcomes.threesixtygiving import sample_path
    >>> result = sharedoutcomes.convert(sample_path(), format="360giving")
    >>> result.package.activities[0].funding[0].grant_id
    '360G-ABCT-0065I000005BoDGQA044222'
"""

from sharedoutcomes.threesixtygiving._format import (
    EXTENSION_DECLARATION,
    FORMAT,
    PLACEHOLDER_PUBLISHER,
    ThreeSixtyGivingFormat,
    sample_path,
)
from sharedoutcomes.threesixtygiving._grant import EXTENSION, MAPPING, MappedGrant, parse_date
from sharedoutcomes.threesixtygiving._jsonfile import streaming
from sharedoutcomes.threesixtygiving._schema import grant_schema, package_validator
from sharedoutcomes.threesixtygiving._stream import GrantStream, iter_grants
from sharedoutcomes.threesixtygiving._write import VERSION, package_json

__all__ = [
    "EXTENSION",
    "EXTENSION_DECLARATION",
    "FORMAT",
    "MAPPING",
    "PLACEHOLDER_PUBLISHER",
    "VERSION",
    "GrantStream",
    "MappedGrant",
    "ThreeSixtyGivingFormat",
    "grant_schema",
    "iter_grants",
    "package_json",
    "package_validator",
    "parse_date",
    "sample_path",
    "streaming",
]
