// name: timeline
// description: An actor's timeline: every sentence relating it to another actor, in date order.
// param: actor string - actor id, ISO3 code, name or alias (case-insensitive)
// param: since date = null - from this date (inclusive)
// param: until date = null - to this date (inclusive; 2024-03 means to the end of March 2024)
// columns: date, article_id, relation, direction, other_id, other, modality, sentence
MATCH (a:Entity)
WHERE a.id = $actor OR toLower(a.name) = toLower(trim($actor)) OR a.iso3 = toUpper(trim($actor))
   OR any(alias IN a.aliases WHERE toLower(alias) = toLower(trim($actor)))
MATCH (ev:Evidence)
WHERE (ev.subject = a.id OR ev.object = a.id)
  AND ($since IS NULL OR ev.date >= $since)
  AND ($until IS NULL OR left(ev.date, size($until)) <= $until)
MATCH (o:Entity {id: CASE WHEN ev.subject = a.id THEN ev.object ELSE ev.subject END})
RETURN ev.date AS date, ev.article_id AS article_id, ev.predicate AS relation,
       CASE WHEN ev.predicate IN ['MEETS', 'COOPERATES_WITH', 'SIGNS_AGREEMENT_WITH'] THEN 'both'
            WHEN ev.subject = a.id THEN 'out' ELSE 'in' END AS direction,
       o.id AS other_id, o.name AS other, ev.modality AS modality, ev.sentence AS sentence
ORDER BY date, article_id, ev.start, relation, other_id
