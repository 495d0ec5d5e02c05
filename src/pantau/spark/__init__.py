"""pantau on Apache Spark: crawls (WARC, JSON Lines, text) to Parquet tables, and Parquet into the store.

``pantau spark`` (:mod:`pantau.spark.job`) runs the single-machine extraction per partition;
``pantau load`` (:mod:`pantau.spark.load`) writes its output into a pantau store. Importing this
package does not import pyspark: ``load`` needs only pyarrow.
"""
