"""Cleaning scraped text: normalising, dropping page furniture, finding headline and lead."""

from pantau.clean.layout import CleanText, clean_text

__all__ = ["CleanText", "clean_text"]
