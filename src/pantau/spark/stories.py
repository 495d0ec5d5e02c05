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
    * the story is the root of the resulting forest ("best earlier match" links), followed on the driver
      (:func:`story_roots`). ``story_id`` is the ``row_id`` of the story's first article.

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
    roots = story_roots(dict(links.collect()))
    return records.sparkSession.createDataFrame(sorted(roots.items()),
                                                f"{sch.ROW_ID} long, {sch.STORY_ID} long")


def story_roots(parents: dict[int, int]) -> dict[int, int]:
    """The first article of each linked article's story: ``parents`` (an article -> the earlier article it joins)
    followed to an article that joins none.

    On the driver: one pair per article that joins an earlier story (a tenth of a crawl, two integers each, less
    than the profiles the driver collects for incidents), where following them on Spark took a join and a
    checkpoint per doubling of the longest chain.
    """
    roots: dict[int, int] = {}
    for article in parents:
        chain: list[int] = []
        node = article
        while node in parents and node not in roots:
            chain.append(node)
            node = parents[node]
        root = roots.get(node, node)
        for member in chain:
            roots[member] = root
    return roots


def with_stories(records: DataFrame, links: DataFrame) -> DataFrame:
    """``records`` with ``story_id``: the linked story, else the record opens its own."""
    from pyspark.sql import functions as F

    return (records.join(links.withColumnRenamed(sch.STORY_ID, "linked"), sch.ROW_ID, "left")
            .withColumn(sch.STORY_ID, F.coalesce("linked", sch.ROW_ID)).drop("linked"))
