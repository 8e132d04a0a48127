// graphbuild · how two actors are connected
// name: shortest_paths
// description: Shortest paths between two actors over their relations, with the relation types on the way.
// param: from string - one actor: id, ISO3 code, name, alias or surname of an actor (case and accents ignored)
// param: to string - the other actor
// param: limit int = 25 - at most this many paths
// columns: hops, path, nodes, relations
// browser: :params {from: "Kim Jong-un", to: "Ukraine", limit: 25}
//
// Only the ontology's relations count (no hop through an Article, Evidence or a supplied
// weapon); at most 6 hops. In `path`, -[T]-> follows the stored direction and -[T]- marks a
// symmetric type.
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
WITH p, nodes(p) AS ns, relationships(p) AS rs
RETURN length(p) AS hops,
       reduce(text = ns[0].name, i IN range(0, size(rs) - 1) |
              text + CASE WHEN type(rs[i]) IN ['MEETS', 'COOPERATES_WITH', 'SIGNS_AGREEMENT_WITH']
                          THEN ' -[' + type(rs[i]) + ']- '
                          WHEN startNode(rs[i]) = ns[i] THEN ' -[' + type(rs[i]) + ']-> '
                          ELSE ' <-[' + type(rs[i]) + ']- ' END + ns[i + 1].name) AS path,
       [n IN ns | n.name] AS nodes, [r IN rs | type(r)] AS relations
ORDER BY hops, path
LIMIT toInteger(coalesce($limit, 25))
