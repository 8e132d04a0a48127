// graphbuild · the sentences about an actor (table)
// name: sentences
// description: Every sentence relating an actor to another, sentence first, newest first.
// param: actor string - id, ISO3 code, name, alias or surname of an actor (case and accents ignored)
// param: limit int = 100 - at most this many sentences
// columns: sentence, subject, relation, object, modality, title, date
// browser: :params {actor: "Kim Jong-un", limit: 100}
WITH [w IN split(reduce(txt = toLower(trim(toString(coalesce($actor, '')))), ch IN ['\\', '+', '-', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '/', '&', '|'] | replace(txt, ch, ' ')), ' ')
     WHERE w <> ''] AS a_words
CALL db.index.fulltext.queryNodes('entity_lookup', CASE WHEN size(a_words) = 0 THEN '__none__'
     ELSE reduce(q = '', w IN a_words | q + ' ' + w + CASE WHEN size(w) >= 4 THEN ' ' + w + '~' ELSE '' END) END)
     YIELD node, score
WITH node, score ORDER BY score DESC LIMIT 100
WITH collect({n: node, s: score}) AS a_hits
WITH a_hits, [h IN a_hits WHERE toLower(trim(toString(coalesce($actor, '')))) IN h.n.keys | h.n] AS a_exact
UNWIND CASE WHEN size(a_exact) > 0 THEN a_exact ELSE [h IN a_hits WHERE h.s = a_hits[0].s | h.n] END AS a
MATCH (a)<-[:HAS_SUBJECT|HAS_OBJECT]-(ev:Evidence)
MATCH (s:Entity)<-[:HAS_SUBJECT]-(ev)-[:HAS_OBJECT]->(o:Entity)
MATCH (ev)-[:IN_ARTICLE]->(art:Article)
RETURN ev.sentence AS sentence, s.name AS subject, ev.predicate AS relation, o.name AS object,
       ev.modality AS modality, art.title AS title, art.date AS date
ORDER BY date DESC, title, sentence
LIMIT toInteger(coalesce($limit, 100))
