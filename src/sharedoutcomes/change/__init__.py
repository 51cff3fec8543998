"""Change on any instrument (placeholder)."""
