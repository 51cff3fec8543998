"""Developer-only generators (schemas, reference pages); never imported by the library."""
