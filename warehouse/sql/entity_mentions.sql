-- One row per canonical entity: how often and where it is mentioned.
CREATE OR REPLACE VIEW entity_mentions AS
WITH mentions AS (
    SELECT e.canonical, e.label, e.article_id, e.batch_date
    FROM entities AS e
),
per_entity AS (
    SELECT
        canonical,
        label,
        count(DISTINCT article_id) AS articles,
        count(*) AS mentions,
        min(batch_date) AS first_seen,
        max(batch_date) AS last_seen
    FROM mentions
    GROUP BY canonical, label
)
SELECT * FROM per_entity
ORDER BY mentions DESC, canonical;
