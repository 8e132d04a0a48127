// graphbuild · how two actors are connected (graph)
// name: shortest_paths_graph
// description: The shortest paths between two actors over the ontology's relations (at most 6 hops), as a graph.
// param: from string - one actor: id, ISO3 code, name, alias or surname of an actor (case and accents ignored)
// param: to string - the other actor
// param: limit int = 25 - at most this many paths
// columns: p
// browser: :params {from: "Kim Jong-un", to: "Ukraine", limit: 25}
WITH [w IN split(reduce(txt = toLower(trim(toString(coalesce($from, '')))), ch IN ['\\', '+', '-', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '/', '&', '|'] | replace(txt, ch, ' ')), ' ')
     WHERE w <> ''] AS a_words
CALL db.index.fulltext.queryNodes('entity_lookup', CASE WHEN size(a_words) = 0 THEN '__none__'
     ELSE reduce(q = '', w IN a_words | q + ' ' + w + CASE WHEN size(w) >= 4 THEN ' ' + w + '~' ELSE '' END) END)
     YIELD node, score
WITH node, score ORDER BY score DESC LIMIT 100
WITH collect({n: node, s: score}) AS a_hits
WITH a_hits, [h IN a_hits WHERE toLower(trim(toString(coalesce($from, '')))) IN h.n.keys | h.n] AS a_exact
UNWIND CASE WHEN size(a_exact) > 0 THEN a_exact ELSE [h IN a_hits WHERE h.s = a_hits[0].s | h.n] END AS a
WITH collect(a) AS starts
WITH starts, [w IN split(reduce(txt = toLower(trim(toString(coalesce($to, '')))), ch IN ['\\', '+', '-', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '/', '&', '|'] | replace(txt, ch, ' ')), ' ')
     WHERE w <> ''] AS b_words
CALL db.index.fulltext.queryNodes('entity_lookup', CASE WHEN size(b_words) = 0 THEN '__none__'
     ELSE reduce(q = '', w IN b_words | q + ' ' + w + CASE WHEN size(w) >= 4 THEN ' ' + w + '~' ELSE '' END) END)
     YIELD node, score
WITH starts, node, score ORDER BY score DESC LIMIT 100
WITH starts, collect({n: node, s: score}) AS b_hits
WITH starts, b_hits, [h IN b_hits WHERE toLower(trim(toString(coalesce($to, '')))) IN h.n.keys | h.n] AS b_exact
UNWIND CASE WHEN size(b_exact) > 0 THEN b_exact ELSE [h IN b_hits WHERE h.s = b_hits[0].s | h.n] END AS b
UNWIND starts AS a
WITH a, b WHERE a <> b
MATCH p = allShortestPaths((a)-[:MEETS|VISITS|COOPERATES_WITH|SUPPORTS|SUPPLIES_ARMS_TO|SIGNS_AGREEMENT_WITH|SANCTIONS|THREATENS|CRITICIZES|ATTACKS|LEADER_OF|REPRESENTS|MEMBER_OF|LOCATED_IN*..6]-(b))
RETURN p
LIMIT toInteger(coalesce($limit, 25))
