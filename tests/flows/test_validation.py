"""Great Expectations decides: failing rows go to quarantine, table-level failures block the batch."""
from flows.validation import apply_validation
from tests.warehouse.rows import article, row, tables
from transforms.article import RawDoc, article_row, prepare, text_chars
from warehouse.schemas import to_table


def page_article(aid, body="Some body text.", raw=None):
    raw = raw if raw is not None else "Title\n" + body + "\nFooter"
    return article(aid, body=body, raw_text_chars=text_chars(raw))


def entity(aid, seq, text, start, label="GPE"):
    return row("entities", article_id=aid, seq=seq, text=text, label=label, canonical=text, start_char=start,
               end_char=start + len(text), sentence_idx=0, run_id="r1")


def test_bad_rows_are_quarantined_with_the_expectation_name():
    data = tables(articles=[page_article("a", "Iraq and Syria."), page_article("b", "")],
                  entities=[entity("a", 0, "Iraq", 0), entity("a", 1, "Syria", 9, label="BOGUS"),
                            entity("a", 2, "Kuwait", 40)])
    out, report = apply_validation(data, "r1", None)
    assert report["success"]
    assert out["articles"].column("article_id").to_pylist() == ["a"]
    assert out["entities"].column("text").to_pylist() == ["Iraq"]
    reasons = {(q["article_id"], q["reason"].split(" (")[0]) for q in out["quarantine"].to_pylist()}
    assert ("b", "articles: expect_column_values_to_be_between(body_chars)") in reasons
    assert ("a", "entities: expect_column_values_to_be_in_set(label)") in reasons
    assert ("a", "entities: expect_column_pair_values_a_to_be_greater_than_b(article_body_chars>end_char)") in reasons
    assert set(out["quarantine"].column("run_id").to_pylist()) == {"r1"}


def test_an_article_takes_its_children_with_it():
    data = tables(articles=[page_article("a", ""), page_article("b", "Iraq.")],
                  entities=[entity("a", 0, "x", 0), entity("b", 0, "Iraq", 0)])
    out, _ = apply_validation(data, "r1", None)
    assert out["entities"].column("article_id").to_pylist() == ["b"]


def test_duplicate_ids_block_the_batch():
    _, report = apply_validation(tables(articles=[page_article("a"), page_article("a")]), "r1", None)
    assert not report["success"]
    assert report["blocking"] == ["articles: expect_column_values_to_be_unique(article_id)"]


def test_correct_output_passes_every_rule():
    """A clean page of single-newline lines: its body, re-joined with blank lines, is longer than the
    page, and still passes (the rule compares characters that are not white space)."""
    raw = "Short title\n" + "\n".join(f"Line {i} of a clean article says something new." for i in range(40))
    p = prepare(RawDoc(source_uri="/in/clean.txt", content=raw, batch_date="2026-11-20"))
    art = article_row(p, "run", "test")
    assert art["body_chars"] > art["raw_chars"]
    out, report = apply_validation({"articles": to_table("articles", [art])}, "run", None)
    assert report["success"] and "quarantine" not in out and out["articles"].num_rows == 1


def test_a_body_longer_than_its_page_is_quarantined():
    out, _ = apply_validation(tables(articles=[page_article("a", "A body with words the page never had.",
                                                            raw="A page.")]), "r1", None)
    assert out["articles"].num_rows == 0
    assert "raw_text_chars>body_text_chars" in out["quarantine"].column("reason")[0].as_py()


def test_large_amounts_and_long_units_are_valid():
    body = "Iran's budget is 1,500 trillion rials."
    fig = row("figures", article_id="a", seq=0, text="1,500 trillion rials", value=1.5e15, unit="IRR", kind="money",
              qualifier="exact", start_char=17, end_char=37, sentence_idx=0, run_id="r1")
    out, report = apply_validation(tables(articles=[page_article("a", body)], figures=[fig]), "r1", None)
    assert report["success"] and "quarantine" not in out and out["figures"].num_rows == 1


def test_great_expectations_is_imported_without_the_cloud_clients_and_with_scipy_stats_and_altair_deferred():
    """GX takes boto3, botocore and Google's clients for absent (refused to the thread importing it, ~30 MB);
    scipy.stats and Altair stand in until first used (~45 MB of a run's flow process). Its suites run and
    build Data Docs without either; the process imports the clients afterwards (s3fs needs botocore), and a
    deferred module's first use imports it, through the names GX bound and through a new import alike."""
    import subprocess
    import sys
    import textwrap

    code = textwrap.dedent("""
        import importlib.util, sys, tempfile, threading
        from expectations.loader import DEFERRED, import_gx, validate
        other = []
        thread = threading.Thread(target=import_gx)
        thread.start()
        import botocore.session  # another thread imports as usual meanwhile
        other.append("botocore" in sys.modules)
        thread.join()
        print(sorted(m for m in sys.modules if m.partition(".")[0] in ("boto3", "google", "grpc")), other)
        from tests.flows.test_validation import test_duplicate_ids_block_the_batch
        test_duplicate_ids_block_the_batch()
        from flows.validation import frames
        from tests.flows.test_validation import page_article, tables
        validate(frames(tables(articles=[page_article("a", "Some body.")])), tempfile.mkdtemp())
        print(sorted(type(sys.modules[m]).__name__ for m in DEFERRED), "scipy.special" in sys.modules,
              all(importlib.util.find_spec(m).name == m for m in DEFERRED))
        import boto3, google.cloud.storage
        print("imported later", "boto3" in sys.modules, "google.cloud.storage" in sys.modules)
        import great_expectations.expectations.core.expect_column_kl_divergence_to_be_less_than as kl
        print(kl.stats.norm.cdf(0.0), type(sys.modules["scipy.stats"]).__name__)
        from scipy.stats import norm
        import altair
        print(norm is kl.stats.norm, altair.Chart is kl.alt.Chart, type(sys.modules["altair"]).__name__)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["[] [True]", "['_Deferred', '_Deferred'] False True",
                                        "imported later True True", "0.5 module", "True True module"]
