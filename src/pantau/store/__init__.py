"""The pantau store: SQLite by default, PostgreSQL for a team server, one schema for both."""
