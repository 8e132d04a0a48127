// name: meetings
// description: Who meets whom and how often (around one actor, or everyone).
// param: actor string = null - actor id, ISO3 code, name or alias (case-insensitive); every meeting when omitted
// param: limit int = 50 - at most this many rows
// columns: a_id, a, b_id, b, times, articles, modality, modalities, first_date, last_date, inferred
//
// MEETS is symmetric and stored once (ends in id order), so it is matched in both
// directions; without an actor each pair appears once. times = sentences, articles = articles.
MATCH (x:Entity)-[r:MEETS]-(y:Entity)
WHERE CASE WHEN $actor IS NULL THEN x.id < y.id
           ELSE x.id = $actor OR toLower(x.name) = toLower(trim($actor)) OR x.iso3 = toUpper(trim($actor))
                OR any(alias IN x.aliases WHERE toLower(alias) = toLower(trim($actor))) END
RETURN x.id AS a_id, x.name AS a, y.id AS b_id, y.name AS b,
       r.count AS times, size(r.article_ids) AS articles, r.modality AS modality, r.modalities AS modalities,
       r.first_date AS first_date, r.last_date AS last_date, r.inferred AS inferred
ORDER BY times DESC, articles DESC, a, b, a_id, b_id
LIMIT $limit
