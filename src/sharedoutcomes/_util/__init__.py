"""Leaf helpers shared by every layer, importing nothing of the library's: JSONPath formatting, progress, HTML pieces, the version."""
