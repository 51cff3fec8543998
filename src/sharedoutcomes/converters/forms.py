"""The form formats, kept at their 0.1 path; they live in `sharedoutcomes.forms`."""

from sharedoutcomes.forms import FormFormat, HarmonisingReportingFormat, NorthAyrshireFormat

__all__ = ["FormFormat", "HarmonisingReportingFormat", "NorthAyrshireFormat"]
