"""Great Expectations decides: failing rows go to quarantine, table-level failures block the batch."""
from flows.validation import apply_validation


def article(aid, body="Some body text."):
    return {"article_id": aid, "source_uri": f"/in/{aid}.txt", "body": body, "raw_chars": 100,
            "body_chars": len(body), "language": "en", "input_format": "text", "batch_date": "2026-11-20"}


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
