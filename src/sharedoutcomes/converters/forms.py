"""The form formats, kept at their 0.1 path; they live in `sharedoutcomes.forms`."""

from sharedoutcomes.forms._format import *  # noqa: F403
from sharedoutcomes.forms._format import __all__  # noqa: F401 - the same public names
