// graphbuild · an actor's relations with their sentences (graph)
// name: evidence_graph
// description: The Evidence nodes of an actor's relations, each linked to its subject and object.
// param: actor string - id, ISO3 code, name, alias or surname of an actor (case and accents ignored)
// param: limit int = 50 - at most this many sentences (most factual first)
// columns: p
// browser: :params {actor: "Kim Jong-un", limit: 50}
//
// Click an Evidence node for its sentence; it is captioned by its modality.
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
WITH ev ORDER BY CASE ev.modality WHEN 'asserted' THEN 0 WHEN 'promised' THEN 1 ELSE 2 END, ev.confidence DESC, ev.id
LIMIT toInteger(coalesce($limit, 50))
MATCH p = (:Entity)<-[:HAS_SUBJECT]-(ev)-[:HAS_OBJECT]->(:Entity)
RETURN p
