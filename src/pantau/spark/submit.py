"""The file spark-submit runs: ``spark-submit .../pantau/spark/submit.py INPUT... --out DIR``.

The same command as ``pantau spark`` (:func:`pantau.spark.cli.spark_command`), minus ``--master``
(spark-submit's is used). It lives apart from :mod:`pantau.spark.job` so that the job does not
import its command line.
"""

from __future__ import annotations


def main() -> None:
    import typer

    from pantau.spark.cli import spark_command

    app = typer.Typer(add_completion=False)
    app.command()(spark_command)
    app()


if __name__ == "__main__":
    main()
