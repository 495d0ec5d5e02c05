"""Spark tests run Spark in local mode (local[2]), one session for the whole run (a JVM start costs ~20 s).

They need pyspark, warcio and a Java runtime. Where one is missing the tests skip on a developer
machine and fail under CI (``CI`` set), as the PostgreSQL store tests do.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


@cache
def missing() -> str | None:
    """Why Spark cannot run here, or ``None``."""
    for module, package in (("pyspark", "pyspark>=3.5,<5"), ("warcio", "warcio>=1.7,<2")):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (pip install '{package}')"
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and os.path.exists(os.path.join(java_home, "bin", "java"))) and not shutil.which("java"):
        return "no Java runtime (java on PATH or JAVA_HOME) for Spark"
    return None


def require_spark() -> None:
    reason = missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"Spark tests cannot run: {reason} (CI must provide it)")
        pytest.skip(reason)


def require_warcio() -> None:
    if importlib.util.find_spec("warcio") is None:
        if os.environ.get("CI"):
            pytest.fail("warcio is not installed (CI must provide it)")
        pytest.skip("warcio is not installed (pip install 'warcio>=1.7,<2')")


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    require_spark()
    from pantau.spark.session import build_session

    session = build_session("local[2]", app_name="pantau-tests", conf={
        "spark.sql.shuffle.partitions": "4",
        "spark.default.parallelism": "2",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.memory": "1g",
    })
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
