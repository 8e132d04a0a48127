// graphbuild · an actor's timeline, sentence by sentence
// name: timeline
// description: An actor's timeline: every sentence relating it to another actor, in date order.
// param: actor string - id, ISO3 code, name, alias or surname of an actor (case and accents ignored)
// param: since date = null - from this date (inclusive)
// param: until date = null - to this date (inclusive; 2024-03 means to the end of March 2024)
// columns: date, relation, direction, other, sentence, modality, other_id, article_id, dated_by
// browser: :params {actor: "Kim Jong-un", since: null, until: null}
WITH [w IN split(reduce(txt = toLower(trim(toString(coalesce($actor, '')))), ch IN ['\\', '+', '-', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '/', '&', '|'] | replace(txt, ch, ' ')), ' ')
     WHERE w <> ''] AS a_words
CALL db.index.fulltext.queryNodes('entity_lookup', CASE WHEN size(a_words) = 0 THEN '__none__'
     ELSE reduce(q = '', w IN a_words | q + ' ' + w + CASE WHEN size(w) >= 4 THEN ' ' + w + '~' ELSE '' END) END)
     YIELD node, score
WITH node, score ORDER BY score DESC LIMIT 100
WITH collect({n: node, s: score}) AS a_hits
WITH a_hits, [h IN a_hits WHERE toLower(trim(toString(coalesce($actor, '')))) IN h.n.keys | h.n] AS a_exact
UNWIND CASE WHEN size(a_exact) > 0 THEN a_exact ELSE [h IN a_hits WHERE h.s = a_hits[0].s | h.n] END AS a
MATCH (ev:Evidence)
WHERE ev.subject = a.id OR ev.object = a.id
// the sentence's own event date when it has one, else the article's date (dated_by says which)
WITH a, ev, CASE WHEN coalesce(ev.event_date, '') <> '' THEN ev.event_date ELSE ev.date END AS day
WHERE ($since IS NULL OR day >= $since)
  AND ($until IS NULL OR left(day, size($until)) <= $until)
MATCH (o:Entity {id: CASE WHEN ev.subject = a.id THEN ev.object ELSE ev.subject END})
RETURN day AS date, ev.predicate AS relation,
       CASE WHEN ev.predicate IN ['MEETS', 'COOPERATES_WITH', 'SIGNS_AGREEMENT_WITH'] THEN 'both'
            WHEN ev.subject = a.id THEN 'out' ELSE 'in' END AS direction,
       o.name AS other, ev.sentence AS sentence, ev.modality AS modality, o.id AS other_id,
       ev.article_id AS article_id,
       CASE WHEN coalesce(ev.event_date, '') <> '' THEN 'event' WHEN ev.date IS NULL THEN null ELSE 'published' END
         AS dated_by
ORDER BY date, article_id, ev.start, relation, other_id
