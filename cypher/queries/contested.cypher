// graphbuild · contested claims, one side asserting and another denying
// name: contested
// description: Contested relations: the same relation claimed by one claimant and denied by another, with both sides' sentences.
// param: limit int = 200 - at most this many rows
// columns: relation, subject_id, subject, object_id, object, side, claimant_id, claimant, date, dated_by, article_id, sentence
// browser: :params {limit: 200}
//
// One row per sentence of a relation whose `contested` flag is set (one claimant asserts it, or
// accuses: possible, and another denies it; see README, "Claims, event dates and corroboration");
// `side` is the sentence's modality; `claimant` is the claiming actor's name,
// the source's own words when no actor stands there, or "" for the article's own voice.
// `date` is the sentence's event date when it has one (`dated_by` = event), else the article's.
MATCH (s:Entity)-[r]->(o:Entity)
WHERE r.contested = true
MATCH (ev:Evidence {rel_key: r.key})
OPTIONAL MATCH (c:Entity {id: ev.claimed_by})
WITH r, s, o, ev, c,
     CASE WHEN coalesce(ev.event_date, '') <> '' THEN ev.event_date ELSE ev.date END AS day
RETURN type(r) AS relation, s.id AS subject_id, s.name AS subject, o.id AS object_id, o.name AS object,
       ev.modality AS side, coalesce(ev.claimed_by, '') AS claimant_id,
       coalesce(c.name, ev.claimed_by, '') AS claimant, day AS date,
       CASE WHEN coalesce(ev.event_date, '') <> '' THEN 'event' WHEN ev.date IS NULL THEN null ELSE 'published' END
         AS dated_by,
       ev.article_id AS article_id, ev.sentence AS sentence
ORDER BY relation, subject_id, object_id, side, claimant_id, date, article_id, ev.start
LIMIT toInteger(coalesce($limit, 200))
