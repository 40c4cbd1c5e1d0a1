"""Every engine reads the tables with the right types: DuckDB, Polars, pyarrow.dataset and Spark (local)."""
import datetime as dt
import os

import pytest

from tests.warehouse.conftest import PUBLISHED


def test_duckdb(warehouse):
    import duckdb

    con = duckdb.connect(str(warehouse / "newsetl.duckdb"), read_only=True)
    types = dict(con.execute("select column_name, data_type from information_schema.columns "
                             "where table_name = 'articles'").fetchall())
    assert types["published_at"] == "TIMESTAMP WITH TIME ZONE" and types["batch_date"] == "DATE"
    assert con.execute("select typeof(value) from figures").fetchone() == ("DOUBLE",)
    con.execute("SET TimeZone = 'UTC'")
    assert con.execute("select max(published_at) from articles").fetchone()[0] == PUBLISHED


def test_pyarrow_dataset(warehouse):
    import pyarrow as pa
    import pyarrow.dataset as ds

    part = ds.partitioning(pa.schema([("batch_date", pa.date32())]), flavor="hive")
    table = ds.dataset(warehouse / "articles", format="parquet", partitioning=part).to_table()
    assert table.schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("batch_date").type == pa.date32()
    assert table.column("published_at")[0].as_py() == PUBLISHED
    figures = ds.dataset(warehouse / "figures", format="parquet", partitioning=part).to_table()
    assert figures.schema.field("value").type == pa.float64()


def test_polars(warehouse):
    import polars as pl

    df = pl.scan_parquet(str(warehouse / "articles" / "**" / "*.parquet"), hive_partitioning=True,
                         hive_schema={"batch_date": pl.Date}).collect()
    assert df.schema["published_at"] == pl.Datetime("us", "UTC") and df.schema["batch_date"] == pl.Date
    assert df["batch_date"][0] == dt.date(2026, 11, 20) and df["published_at"][0] == PUBLISHED
    figures = pl.read_parquet(str(warehouse / "figures" / "**" / "*.parquet"), hive_partitioning=True,
                              hive_schema={"batch_date": pl.Date})
    assert figures.schema["value"] == pl.Float64


@pytest.mark.skipif(not any(os.access(os.path.join(p, "java"), os.X_OK) for p in os.environ.get("PATH", "").split(":")),
                    reason="no java on PATH: Spark needs a JRE (apt-get install default-jre-headless)")
def test_spark_local(warehouse):
    pytest.importorskip("pyspark", reason="pyspark is the `spark` extra (~490 MB): make test-spark")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[1]").appName("newsetl-test")
             .config("spark.sql.session.timeZone", "UTC").config("spark.ui.enabled", "false").getOrCreate())
    try:
        spark.sparkContext.setLogLevel("OFF")
        df = spark.read.parquet(str(warehouse / "articles"))
        types = dict(df.dtypes)
        assert types["published_at"] == "timestamp" and types["batch_date"] == "date"
        row = df.select("published_at", "batch_date").first()
        assert row.batch_date == dt.date(2026, 11, 20)
        assert row.published_at == PUBLISHED.replace(tzinfo=None)  # Spark returns naive UTC (session time zone)
        assert dict(spark.read.parquet(str(warehouse / "figures")).dtypes)["value"] == "double"
    finally:
        spark.stop()


def test_delta_readers(warehouse):
    import polars as pl
    import pyarrow as pa
    from deltalake import DeltaTable

    articles = pa.table(DeltaTable(str(warehouse / "articles")).to_pyarrow_table())
    assert articles.num_rows == 3 and articles.schema.field("batch_date").type == pa.date32()
    assert articles.schema.field("published_at").type == pa.timestamp("us", tz="UTC")
    df = pl.read_delta(str(warehouse / "figures"))
    assert df.schema["value"] == pl.Float64 and df.schema["batch_date"] == pl.Date and df["value"][0] == 2500.0


def test_every_view_and_column_has_a_comment(warehouse):
    import duckdb

    con = duckdb.connect(str(warehouse / "newsetl.duckdb"), read_only=True)
    views = con.execute("select view_name, comment from duckdb_views() where not internal").fetchall()
    assert {"figure_claims", "entity_mentions", "daily_articles", "articles"} <= {v for v, _ in views}
    assert all(c for _, c in views), views
    missing = con.execute("select table_name, column_name from duckdb_columns() where comment is null "
                          "and table_name in (select view_name from duckdb_views() where not internal)").fetchall()
    assert missing == []
