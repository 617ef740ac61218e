"""The package's version: in every reply's provenance, and the wheel's metadata."""

__version__ = "0.2.0"
