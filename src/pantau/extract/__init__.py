"""Extractors: pure functions from clean text to parts of the article record."""
