"""The web dashboard: server-rendered pages with bundled JavaScript, no network at run time."""
