"""The package version, in a module of its own that imports nothing, so that any module
can read it without importing the whole package (``shapelint/__init__`` imports the API)."""

__version__ = "0.2.0"
