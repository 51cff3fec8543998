"""Crosswalks between frameworks, kept at their 0.1 path; they live in `sharedoutcomes.frameworks.crosswalks`."""

from sharedoutcomes.frameworks.crosswalks import *  # noqa: F403
from sharedoutcomes.frameworks.crosswalks import __all__  # noqa: F401 - the same public names
