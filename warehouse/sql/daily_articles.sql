-- Articles and body words per day and source.
CREATE OR REPLACE VIEW daily_articles AS
WITH published AS (
    SELECT batch_date, coalesce(source_name, '(unknown)') AS source_name, body_words
    FROM articles
)
SELECT
    batch_date,
    source_name,
    count(*) AS articles,
    sum(body_words) AS body_words
FROM published
GROUP BY batch_date, source_name
ORDER BY batch_date, source_name;
