"""Leaf helpers shared by every layer: JSONPath formatting, optional imports, progress, HTML."""
