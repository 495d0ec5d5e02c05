"""The REST API (FastAPI), read-only over the store."""
