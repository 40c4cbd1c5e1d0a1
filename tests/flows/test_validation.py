"""Great Expectations decides: failing rows go to quarantine, table-level failures block the batch."""
from flows.validation import apply_validation
from transforms.article import RawDoc, article_row, prepare, text_chars
from tests.conftest import FIXTURES


def article(aid, body="Some body text.", raw=None):
    raw = raw if raw is not None else "Title\n" + body + "\nFooter"
    return {"article_id": aid, "source_uri": f"/in/{aid}.txt", "body": body, "raw_chars": len(raw),
            "raw_text_chars": text_chars(raw), "body_chars": len(body), "language": "en", "input_format": "text",
            "batch_date": "2026-11-20"}


def entity(aid, seq, text, start, label="GPE"):
    return {"article_id": aid, "seq": seq, "text": text, "label": label, "canonical": text, "start_char": start,
            "end_char": start + len(text), "sentence_idx": 0, "batch_date": "2026-11-20"}


def test_bad_rows_are_quarantined_with_the_expectation_name():
    rows = {"articles": [article("a", "Iraq and Syria."), article("b", "")],
            "entities": [entity("a", 0, "Iraq", 0), entity("a", 1, "Syria", 9, label="BOGUS"), entity("a", 2, "Kuwait", 40)],
            "quarantine": []}
    out, report = apply_validation(rows, None)
    assert report["success"]
    assert [a["article_id"] for a in out["articles"]] == ["a"]
    assert [e["text"] for e in out["entities"]] == ["Iraq"]
    reasons = {(q["article_id"], q["reason"].split(" (")[0]) for q in out["quarantine"]}
    assert ("b", "articles: expect_column_values_to_be_between(body_chars)") in reasons
    assert ("a", "entities: expect_column_values_to_be_in_set(label)") in reasons
    assert ("a", "entities: expect_column_pair_values_a_to_be_greater_than_b(article_body_chars>end_char)") in reasons


def test_duplicate_ids_block_the_batch():
    rows = {"articles": [article("a"), article("a")], "quarantine": []}
    _, report = apply_validation(rows, None)
    assert not report["success"]
    assert report["blocking"] == ["articles: expect_column_values_to_be_unique(article_id)"]


def test_correct_output_passes_every_rule():
    """A clean page of single-newline lines: its body, re-joined with blank lines, is longer than the
    page, and still passes (the rule compares characters that are not white space)."""
    raw = "Short title\n" + "\n".join(f"Line {i} of a clean article says something new." for i in range(40))
    p = prepare(RawDoc(source_uri="/in/clean.txt", content=raw, batch_date="2026-11-20"))
    row = article_row(p, "run", "test")
    assert row["body_chars"] > row["raw_chars"]
    out, report = apply_validation({"articles": [row], "quarantine": []}, None)
    assert report["success"] and out["quarantine"] == [] and len(out["articles"]) == 1


def test_a_body_longer_than_its_page_is_quarantined():
    rows = {"articles": [article("a", "A body with words the page never had.", raw="A page.")], "quarantine": []}
    out, _ = apply_validation(rows, None)
    assert out["articles"] == [] and "raw_text_chars>body_text_chars" in out["quarantine"][0]["reason"]


def test_large_amounts_and_long_units_are_valid():
    body = "Iran's budget is 1,500 trillion rials."
    fig = {"article_id": "a", "seq": 0, "text": "1,500 trillion rials", "value": 1.5e15, "value_max": None,
           "unit": "IRR", "kind": "money", "qualifier": "exact", "start_char": 17, "end_char": 37, "sentence_idx": 0,
           "batch_date": "2026-11-20"}
    out, report = apply_validation({"articles": [article("a", body)], "figures": [fig], "quarantine": []}, None)
    assert report["success"] and out["quarantine"] == [] and len(out["figures"]) == 1
