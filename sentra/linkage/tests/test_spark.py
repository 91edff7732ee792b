"""The same engine on Spark (pyspark in local mode) finds the same pairs as on DuckDB.

Skipped, with the reason in pytest's summary, where Java or pyspark is missing.
"""

import importlib.util
import shutil

import pytest

from sentra.linkage.engine import Spec, dedupe
from sentra.linkage.tests import records

pytestmark = pytest.mark.spark
THRESHOLD = 0.9


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    """A local Spark session tuned for tiny tables: one partition, no code generation or adaptive planning."""
    if shutil.which("java") is None:
        pytest.skip("Spark backend not tested: no `java` on PATH (Spark needs Java 17+)")
    if importlib.util.find_spec("pyspark") is None:
        pytest.skip("Spark backend not tested: pyspark is not installed (pip install -e '.[dev]')")
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master("local[2]")
        .appName("sentra-linkage-test")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.default.parallelism", "1")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("spark-checkpoints")))
    yield session
    session.stop()


def pairs_of(result) -> dict[tuple[str, str], float]:
    linked = result.pairs[result.pairs["probability"] >= THRESHOLD]
    return {
        tuple(sorted((a, b))): p
        for a, b, p in zip(linked["left_id"], linked["right_id"], linked["probability"], strict=True)
    }


def test_spark_finds_the_same_pairs_as_duckdb(spark):
    rows, spec = records.office_rows(), Spec("no", records.ROLES)
    on_duckdb = dedupe(rows, spec, backend="duckdb", threshold=THRESHOLD)
    on_spark = dedupe(rows, spec, backend="spark", threshold=THRESHOLD)
    assert on_spark.backend == "spark"
    assert set(pairs_of(on_spark)) == set(pairs_of(on_duckdb)) == records.true_pairs(rows)
    for pair, probability in pairs_of(on_duckdb).items():
        assert pairs_of(on_spark)[pair] == pytest.approx(probability, abs=0.01)
    assert on_spark.clusters["cluster_id"].tolist() == on_duckdb.clusters["cluster_id"].tolist()
