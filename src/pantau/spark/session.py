"""The SparkSession pantau runs on: local masters made safe (loopback, no UI) and pointed at this interpreter."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

DEFAULT_MASTER = "local[*]"


def build_session(master: str | None = None, *, conf: dict[str, str] | None = None,
                  app_name: str = "pantau") -> SparkSession:
    """A SparkSession on ``master`` (default ``local[*]``, or spark-submit's own when run under it).

    Local masters bind to 127.0.0.1 (the driver would otherwise listen on the external interface)
    and run their Python workers with this interpreter, so they import this pantau.
    """
    from pyspark.sql import SparkSession

    under_submit = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit started the JVM and set the master
    builder = SparkSession.builder.appName(app_name)
    if master or not under_submit:
        master = master or DEFAULT_MASTER
        builder = builder.master(master)
    if master and master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        cores = os.cpu_count() or 1
        for key, value in {"spark.driver.bindAddress": "127.0.0.1", "spark.driver.host": "127.0.0.1",
                           "spark.ui.enabled": "false", "spark.sql.shuffle.partitions": str(4 * cores)}.items():
            builder = builder.config(key, value)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()
