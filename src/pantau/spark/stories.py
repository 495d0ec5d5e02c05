"""Stories on Spark SQL, with the store's exact semantics (:mod:`pantau.store.writer`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pantau.spark import schema as sch
from pantau.store.stories import DEFAULT_THRESHOLD, NUM_PERM
from pantau.store.writer import BUCKET_CAP, MAX_CANDIDATES

if TYPE_CHECKING:
    from pyspark.sql import DataFrame


def assign_stories(records: DataFrame, threshold: float = DEFAULT_THRESHOLD) -> DataFrame:
    """(row_id, story_id) of every record that joins an earlier record's story: the store's semantics.

    The store (``pantau.store.writer``) gives each article, in load order, the story of the most
    similar earlier article at or above ``threshold`` among its candidates, else a new story.
    Candidates share an LSH bucket with it; a bucket stops taking members at ``BUCKET_CAP`` articles
    (template text every report shares), and only the ``MAX_CANDIDATES`` sharing the most buckets
    are compared. Here the same, with load order = (year, month, row_id), which is the order in
    which ``pantau load`` writes the output, so the store re-derives the same groups:

    * rank each article in each (band, bucket) by load order; ranks above the cap neither look up
      nor are found;
    * join looking-up articles to earlier members by bucket, count shared buckets, keep the top
      candidates, compare signatures, take the best (ties: the last compared, as the store does);
    * the story is the root of the resulting forest ("best earlier match" links), found by pointer
      jumping: O(log depth) joins. ``story_id`` is the ``row_id`` of the story's first article.

    Records absent from the result open their own story (:func:`with_stories`).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    order = F.concat_ws("/", sch.YEAR, sch.MONTH, F.lpad(F.col(sch.ROW_ID).cast("string"), 20, "0"))
    base = records.select(sch.ROW_ID, order.alias("ord"), sch.BANDS)
    entries = (base.select(sch.ROW_ID, "ord", F.explode(sch.BANDS).alias("b"))
               .select(sch.ROW_ID, "ord", F.col("b.band").alias("band"), F.col("b.bucket").alias("bucket"))
               .withColumn("rank", F.row_number().over(Window.partitionBy("band", "bucket").orderBy("ord")))
               .where(F.col("rank") <= BUCKET_CAP))
    lookups = entries.select(F.col(sch.ROW_ID).alias("x"), F.col("ord").alias("x_ord"), "bucket")
    members = entries.select(F.col(sch.ROW_ID).alias("c"), F.col("ord").alias("c_ord"), "bucket")
    hits = (lookups.join(members, "bucket").where(F.col("c_ord") < F.col("x_ord"))
            .groupBy("x", "c", "c_ord").agg(F.count(F.lit(1)).alias("hits")))
    top = (hits.withColumn("pos", F.row_number().over(
        Window.partitionBy("x").orderBy(F.col("hits").desc(), F.col("c_ord").asc())))
        .where(F.col("pos") <= MAX_CANDIDATES))
    keys = records.select(sch.ROW_ID, sch.KEYS)
    # the store's similarity, np.mean(a == b): equal positions / NUM_PERM (exact in floating point)
    same = F.size(F.array_intersect("x_keys", "c_keys"))
    scored = (top.join(keys.withColumnRenamed(sch.ROW_ID, "x").withColumnRenamed(sch.KEYS, "x_keys"), "x")
              .join(keys.withColumnRenamed(sch.ROW_ID, "c").withColumnRenamed(sch.KEYS, "c_keys"), "c")
              .withColumn("score", same / F.lit(float(NUM_PERM)))
              .where(F.col("score") >= F.lit(threshold)))
    links = (scored.withColumn("best", F.row_number().over(
        Window.partitionBy("x").orderBy(F.col("score").desc(), F.col("pos").desc())))
        .where(F.col("best") == 1).select(F.col("x").alias(sch.ROW_ID), F.col("c").alias("parent")))
    links = links.localCheckpoint()
    while True:  # pointer jumping: each pass replaces a parent by its parent's parent
        up = links.alias("e").join(links.alias("p"), F.col("e.parent") == F.col("p." + sch.ROW_ID), "left")
        links = up.select(F.col("e." + sch.ROW_ID).alias(sch.ROW_ID),
                          F.coalesce(F.col("p.parent"), F.col("e.parent")).alias("parent"),
                          F.col("p.parent").isNotNull().alias("moved")).localCheckpoint()
        if links.where("moved").isEmpty():
            break
        links = links.drop("moved")
    return links.select(sch.ROW_ID, F.col("parent").alias(sch.STORY_ID))


def with_stories(records: DataFrame, links: DataFrame) -> DataFrame:
    """``records`` with ``story_id``: the linked story, else the record opens its own."""
    from pyspark.sql import functions as F

    return (records.join(links.withColumnRenamed(sch.STORY_ID, "linked"), sch.ROW_ID, "left")
            .withColumn(sch.STORY_ID, F.coalesce("linked", sch.ROW_ID)).drop("linked"))
