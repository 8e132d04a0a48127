// graphbuild · arms flows into or out of an actor
// name: arms_flows
// description: Arms flows into or out of a country (or any actor), with the weapons and the modality.
// param: actor string - id, ISO3 code, name, alias or surname of an actor (case and accents ignored)
// param: direction in|out|both = both - in: what it receives, out: what it supplies
// columns: direction, supplier_id, supplier, recipient_id, recipient, items, modality, modalities, times, first_date, last_date
// browser: :params {actor: "Russia", direction: "both"}
WITH [w IN split(reduce(txt = toLower(trim(toString(coalesce($actor, '')))), ch IN ['\\', '+', '-', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '/', '&', '|'] | replace(txt, ch, ' ')), ' ')
     WHERE w <> ''] AS c_words
CALL db.index.fulltext.queryNodes('entity_lookup', CASE WHEN size(c_words) = 0 THEN '__none__'
     ELSE reduce(q = '', w IN c_words | q + ' ' + w + CASE WHEN size(w) >= 4 THEN ' ' + w + '~' ELSE '' END) END)
     YIELD node, score
WITH node, score ORDER BY score DESC LIMIT 100
WITH collect({n: node, s: score}) AS c_hits
WITH c_hits, [h IN c_hits WHERE toLower(trim(toString(coalesce($actor, '')))) IN h.n.keys | h.n] AS c_exact
UNWIND CASE WHEN size(c_exact) > 0 THEN c_exact ELSE [h IN c_hits WHERE h.s = c_hits[0].s | h.n] END AS c
WITH c, coalesce($direction, 'both') AS dir
CALL (c, dir) {
  WITH c, dir WHERE dir IN ['in', 'both']
  MATCH (s:Entity)-[r:SUPPLIES_ARMS_TO]->(c) RETURN s, r, c AS t
  UNION ALL
  WITH c, dir WHERE dir IN ['out', 'both']
  MATCH (c)-[r:SUPPLIES_ARMS_TO]->(t:Entity) WHERE t <> c OR dir = 'out' RETURN c AS s, r, t
}
RETURN CASE WHEN t = c THEN 'in' ELSE 'out' END AS direction,
       s.id AS supplier_id, s.name AS supplier, t.id AS recipient_id, t.name AS recipient,
       coalesce(r.item_names, r.items) AS items,
       r.modality AS modality, r.modalities AS modalities, r.count AS times,
       r.first_date AS first_date, r.last_date AS last_date
ORDER BY direction, first_date, supplier, recipient, supplier_id, recipient_id
