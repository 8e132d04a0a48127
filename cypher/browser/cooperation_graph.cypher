// graphbuild · cooperation partners of an actor (graph)
// name: cooperation_graph
// description: An actor's cooperative relations (positive weight, not only denied), strongest first, as a graph.
// param: actor string - id, ISO3 code, name, alias or surname of an actor (case and accents ignored)
// param: limit int = 50 - at most this many relations
// columns: p
// browser: :params {actor: "Russia", limit: 50}
WITH [w IN split(reduce(txt = toLower(trim(toString(coalesce($actor, '')))), ch IN ['\\', '+', '-', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '/', '&', '|'] | replace(txt, ch, ' ')), ' ')
     WHERE w <> ''] AS a_words
CALL db.index.fulltext.queryNodes('entity_lookup', CASE WHEN size(a_words) = 0 THEN '__none__'
     ELSE reduce(q = '', w IN a_words | q + ' ' + w + CASE WHEN size(w) >= 4 THEN ' ' + w + '~' ELSE '' END) END)
     YIELD node, score
WITH node, score ORDER BY score DESC LIMIT 100
WITH collect({n: node, s: score}) AS a_hits
WITH a_hits, [h IN a_hits WHERE toLower(trim(toString(coalesce($actor, '')))) IN h.n.keys | h.n] AS a_exact
UNWIND CASE WHEN size(a_exact) > 0 THEN a_exact ELSE [h IN a_hits WHERE h.s = a_hits[0].s | h.n] END AS a
MATCH p = (a)-[r:MEETS|VISITS|COOPERATES_WITH|SUPPORTS|SUPPLIES_ARMS_TO|SIGNS_AGREEMENT_WITH|SANCTIONS|THREATENS|CRITICIZES|ATTACKS|LEADER_OF|REPRESENTS|MEMBER_OF|LOCATED_IN]-(:Entity)
WHERE r.weight > 0 AND r.modality <> 'denied'
WITH p, r ORDER BY r.weight * size(r.article_ids) DESC, r.key
LIMIT toInteger(coalesce($limit, 50))
RETURN p
