-- Groups of figures that state the same quantity (same measure, comparable unit, same place, within
-- 31 days) in more than one article, with every claim side by side. A claim's range of values is
-- read through its qualifier (exact and approx within 10%, at_least up from its value, at_most up to
-- it, a range between its ends); a group is disputed when no single value satisfies every claim.
CREATE OR REPLACE VIEW claim_groups AS
WITH claims AS (
    SELECT
        m.group_id,
        f.measure,
        f.place,
        f.unit,
        f.value,
        f.value_max,
        f.qualifier,
        f.attributed_to,
        f.article_id,
        a.source_name,
        a.title,
        coalesce(a.duplicate_of, a.article_id) AS story,
        coalesce(CAST(a.published_at AS DATE), f.batch_date) AS day,
        CASE WHEN f.qualifier IN ('exact', 'approx') THEN 0.9 * f.value
             WHEN f.qualifier IN ('at_least', 'range') THEN f.value
             ELSE CAST('-infinity' AS DOUBLE) END AS lowest_possible,
        CASE WHEN f.qualifier IN ('exact', 'approx') THEN 1.1 * f.value
             WHEN f.qualifier = 'at_most' THEN f.value
             WHEN f.qualifier = 'range' THEN f.value_max
             ELSE CAST('infinity' AS DOUBLE) END AS highest_possible
    FROM store.claim_members AS m
    JOIN figures AS f USING (article_id, seq)
    JOIN articles AS a USING (article_id)
)
SELECT
    group_id,
    any_value(measure) AS measure,
    mode(unit) AS unit,
    any_value(place) AS place,
    min(day) AS first_seen,
    max(day) AS last_seen,
    count(*) AS n_claims,
    count(DISTINCT story) AS n_sources,
    min(value) AS low,
    max(coalesce(value_max, value)) AS high,
    max(lowest_possible) > min(highest_possible) AS disputed,
    list({'value': value, 'qualifier': qualifier, 'attributed_to': attributed_to, 'source_name': source_name,
          'title': title, 'article_id': article_id} ORDER BY day, value) AS claims
FROM claims
GROUP BY group_id
HAVING count(DISTINCT article_id) > 1
ORDER BY disputed DESC, n_sources DESC, first_seen;
