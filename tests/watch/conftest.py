from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.watch.server import FixtureServer, ServerFactory


@pytest.fixture
def fixture_server() -> Iterator[FixtureServer]:
    """One local host for the test, stopped afterwards."""
    with FixtureServer() as server:
        yield server


@pytest.fixture
def fixture_servers() -> Iterator[ServerFactory]:
    """A factory for several hosts: ``first, second = fixture_servers.many(2)``."""
    factory = ServerFactory()
    try:
        yield factory
    finally:
        factory.stop()
