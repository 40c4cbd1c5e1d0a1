"""A small warehouse written by the real lakehouse writer and catalog, for the report and reader tests."""
import pytest

from tests.warehouse.rows import PUBLISHED, article, publish, row
from warehouse.catalog import refresh
from warehouse.lake import Lakehouse

__all__ = ["PUBLISHED"]


@pytest.fixture
def warehouse(tmp_path):
    lake = Lakehouse(str(tmp_path))
    lake.ensure_tables()
    with lake.lease("r1"):
        publish(lake, "r1",
                articles=[article(f"a{i}", source_name=src, published_at=PUBLISHED)
                          for i, src in enumerate(["Press TV", "Reuters", "Reuters"])],
                entities=[row("entities", article_id="a0", seq=0, text="US", label="GPE", canonical="United States",
                              start_char=0, end_char=2, sentence_idx=0, run_id="r1")],
                figures=[row("figures", article_id="a1", seq=0, text="2,500", value=2500.0, unit="troop", kind="count",
                             qualifier="approx", subject="US troops", start_char=0, end_char=5, sentence_idx=0,
                             sentence="About 2,500 US troops.", run_id="r1")],
                quarantine=[row("quarantine", source_uri="/in/x.bin", stage="ingest", reason="binary data: not text",
                                run_id="r1")])
    refresh(lake)
    return tmp_path
