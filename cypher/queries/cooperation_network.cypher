// graphbuild · cooperation partners of an actor
// name: cooperation_network
// description: The cooperation network of an actor: partners by cooperative relations (positive weight), strongest first.
// param: actor string - id, ISO3 code, name, alias or surname of an actor (case and accents ignored)
// param: limit int = 50 - at most this many partners
// columns: partner_id, partner, partner_type, relations, articles, score, first_date, last_date
// browser: :params {actor: "Russia", limit: 50}
//
// Cooperative = a relation type with a positive weight in the ontology (meets, visits,
// cooperates, supports, supplies arms, signs an agreement), unless only ever denied.
// score = sum over those relations of weight x number of articles.
WITH [w IN split(reduce(txt = toLower(trim(toString(coalesce($actor, '')))), ch IN ['\\', '+', '-', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '/', '&', '|'] | replace(txt, ch, ' ')), ' ')
     WHERE w <> ''] AS a_words
CALL db.index.fulltext.queryNodes('entity_lookup', CASE WHEN size(a_words) = 0 THEN '__none__'
     ELSE reduce(q = '', w IN a_words | q + ' ' + w + CASE WHEN size(w) >= 4 THEN ' ' + w + '~' ELSE '' END) END)
     YIELD node, score
WITH node, score ORDER BY score DESC LIMIT 100
WITH collect({n: node, s: score}) AS a_hits
WITH a_hits, [h IN a_hits WHERE toLower(trim(toString(coalesce($actor, '')))) IN h.n.keys | h.n] AS a_exact
UNWIND CASE WHEN size(a_exact) > 0 THEN a_exact ELSE [h IN a_hits WHERE h.s = a_hits[0].s | h.n] END AS a
MATCH (a)-[r:MEETS|VISITS|COOPERATES_WITH|SUPPORTS|SUPPLIES_ARMS_TO|SIGNS_AGREEMENT_WITH|SANCTIONS|THREATENS|CRITICIZES|ATTACKS|LEADER_OF|REPRESENTS|MEMBER_OF|LOCATED_IN]-(p:Entity)
WHERE r.weight > 0 AND r.modality <> 'denied'
WITH a, p, r ORDER BY type(r)
WITH p, collect(DISTINCT type(r)) AS relations,
     reduce(ids = [], rel IN collect(r) | ids + [i IN rel.article_ids WHERE NOT i IN ids]) AS article_ids,
     sum(r.weight * size(r.article_ids)) AS score, min(r.first_date) AS first_date, max(r.last_date) AS last_date
RETURN p.id AS partner_id, p.name AS partner, [l IN labels(p) WHERE l <> 'Entity'][0] AS partner_type,
       relations, size(article_ids) AS articles, round(score, 2) AS score, first_date, last_date
ORDER BY score DESC, partner, partner_id
LIMIT toInteger(coalesce($limit, 50))
