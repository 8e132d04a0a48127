// graphbuild · arms flows of an actor (graph)
// name: arms_flows_graph
// description: The arms transfers into and out of an actor, with the weapons each supplier sends.
// param: actor string - id, ISO3 code, name, alias or surname of an actor (case and accents ignored)
// columns: p, items
// browser: :params {actor: "Russia"}
//
// The caption of a possible, promised or denied transfer says so ("SUPPLIES_ARMS_TO · possible").
WITH [w IN split(reduce(txt = toLower(trim(toString(coalesce($actor, '')))), ch IN ['\\', '+', '-', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '/', '&', '|'] | replace(txt, ch, ' ')), ' ')
     WHERE w <> ''] AS c_words
CALL db.index.fulltext.queryNodes('entity_lookup', CASE WHEN size(c_words) = 0 THEN '__none__'
     ELSE reduce(q = '', w IN c_words | q + ' ' + w + CASE WHEN size(w) >= 4 THEN ' ' + w + '~' ELSE '' END) END)
     YIELD node, score
WITH node, score ORDER BY score DESC LIMIT 100
WITH collect({n: node, s: score}) AS c_hits
WITH c_hits, [h IN c_hits WHERE toLower(trim(toString(coalesce($actor, '')))) IN h.n.keys | h.n] AS c_exact
UNWIND CASE WHEN size(c_exact) > 0 THEN c_exact ELSE [h IN c_hits WHERE h.s = c_hits[0].s | h.n] END AS c
MATCH p = (c)-[r:SUPPLIES_ARMS_TO]-(:Entity)
WITH p, r, startNode(r) AS s
OPTIONAL MATCH items = (s)-[:SUPPLIES_ITEM {via: r.key}]->(:Weapon)
RETURN p, collect(items) AS items
