"""Reading inputs: files, directories, gzip, JSON Lines corpora and stdin, as Documents."""

from pantau.ingest.document import Document, Skipped
from pantau.ingest.readers import read_inputs

__all__ = ["Document", "Skipped", "read_inputs"]
