"""The ``outcomes-star`` format, kept at its 0.1 path; it lives in `sharedoutcomes.stars`."""

from sharedoutcomes.stars._format import *  # noqa: F403
from sharedoutcomes.stars._format import __all__  # noqa: F401 - the same public names
