-- One row per figure with its article's context and its claim group: line up the claims of different sources.
CREATE OR REPLACE VIEW figure_claims AS
WITH claims AS (
    SELECT
        article_id,
        batch_date,
        seq,
        sentence,
        subject,
        text AS figure_text,
        value,
        value_max,
        unit,
        kind,
        qualifier,
        attributed_to,
        measure,
        place
    FROM figures
),
article_context AS (
    SELECT article_id, batch_date, title, source_name, url, published_at, duplicate_of
    FROM articles
)
SELECT
    c.article_id,
    a.title,
    a.source_name,
    a.url,
    a.published_at,
    c.batch_date,
    c.sentence,
    c.subject,
    c.figure_text,
    c.value,
    c.value_max,
    c.unit,
    c.kind,
    c.qualifier,
    c.attributed_to,
    c.measure,
    c.place,
    m.group_id,
    a.duplicate_of
FROM claims AS c
JOIN article_context AS a USING (article_id, batch_date)
LEFT JOIN store.claim_members AS m USING (article_id, seq)
ORDER BY c.batch_date, c.article_id, c.seq;
