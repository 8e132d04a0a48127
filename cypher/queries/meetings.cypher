// graphbuild · who meets whom
// name: meetings
// description: Who meets whom and how often (around one actor, or everyone).
// param: actor string = null - id, ISO3 code, name, alias or surname of an actor (case and accents ignored); every meeting when omitted
// param: limit int = 50 - at most this many rows
// columns: a_id, a, b_id, b, times, articles, modality, modalities, first_date, last_date, inferred
// browser: :params {actor: null, limit: 50}
//
// MEETS is symmetric and stored once (ends in id order), so it is matched in both
// directions; without an actor each pair appears once. times = sentences, articles = articles.
CALL () {
  WITH 1 AS one WHERE $actor IS NULL
  MATCH (x:Entity)-[r:MEETS]-(y:Entity) WHERE x.id < y.id
  RETURN x, r, y
  UNION ALL
  WITH 1 AS one WHERE $actor IS NOT NULL
  WITH one, [w IN split(reduce(txt = toLower(trim(toString(coalesce($actor, '')))), ch IN ['\\', '+', '-', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '/', '&', '|'] | replace(txt, ch, ' ')), ' ')
       WHERE w <> ''] AS a_words
  CALL db.index.fulltext.queryNodes('entity_lookup', CASE WHEN size(a_words) = 0 THEN '__none__'
       ELSE reduce(q = '', w IN a_words | q + ' ' + w + CASE WHEN size(w) >= 4 THEN ' ' + w + '~' ELSE '' END) END)
       YIELD node, score
  WITH one, node, score ORDER BY score DESC LIMIT 100
  WITH one, collect({n: node, s: score}) AS a_hits
  WITH one, a_hits, [h IN a_hits WHERE toLower(trim(toString(coalesce($actor, '')))) IN h.n.keys | h.n] AS a_exact
  UNWIND CASE WHEN size(a_exact) > 0 THEN a_exact ELSE [h IN a_hits WHERE h.s = a_hits[0].s | h.n] END AS a
  MATCH (a)-[r:MEETS]-(y:Entity)
  RETURN a AS x, r, y
}
RETURN x.id AS a_id, x.name AS a, y.id AS b_id, y.name AS b,
       r.count AS times, size(r.article_ids) AS articles, r.modality AS modality, r.modalities AS modalities,
       r.first_date AS first_date, r.last_date AS last_date, r.inferred AS inferred
ORDER BY times DESC, articles DESC, a, b, a_id, b_id
LIMIT toInteger(coalesce($limit, 50))
