"""pantau: Indonesian law-enforcement news into structured, searchable records."""

__version__ = "0.1.0"
