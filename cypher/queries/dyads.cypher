// graphbuild · most hostile and most friendly pairs of actors
// name: dyads
// description: Hostile vs friendly dyads: pairs of actors scored by the signed weight of their relations.
// param: stance hostile|friendly|both = both - hostile: net < 0 (most hostile first), friendly: net > 0, both: by |net|
// param: limit int = 25 - at most this many pairs
// columns: a_id, a, b_id, b, friendly, hostile, net, stance, relations
// browser: :params {stance: "both", limit: 25}
//
// Each relation adds weight x articles (ontology weights: cooperation > 0, conflict < 0);
// relations only ever denied and zero-weight types (LEADER_OF, ...) do not count.
// A whole-graph question: it reads every relation of the ten weighted types (no entry point to
// index), each once (directed), the pair ordered by id.
MATCH (x:Entity)-[r:MEETS|VISITS|COOPERATES_WITH|SUPPORTS|SUPPLIES_ARMS_TO|SIGNS_AGREEMENT_WITH|SANCTIONS|THREATENS|CRITICIZES|ATTACKS]->(y:Entity)
WHERE x <> y AND r.weight <> 0 AND r.modality <> 'denied'
WITH CASE WHEN x.id < y.id THEN x ELSE y END AS p, CASE WHEN x.id < y.id THEN y ELSE x END AS q, r
ORDER BY type(r)
WITH p, q, collect(DISTINCT type(r)) AS relations,
     sum(CASE WHEN r.weight > 0 THEN r.weight * coalesce(r.articles, size(r.article_ids)) ELSE 0.0 END) AS friendly,
     sum(CASE WHEN r.weight < 0 THEN r.weight * coalesce(r.articles, size(r.article_ids)) ELSE 0.0 END) AS hostile
WITH p, q, relations, round(friendly, 2) AS friendly, round(hostile, 2) AS hostile,
     round(friendly + hostile, 2) AS net
WITH p, q, relations, friendly, hostile, net,
     CASE WHEN net < 0 THEN 'hostile' WHEN net > 0 THEN 'friendly' ELSE 'neutral' END AS stance
WHERE coalesce($stance, 'both') = 'both' OR stance = $stance
RETURN p.id AS a_id, p.name AS a, q.id AS b_id, q.name AS b, friendly, hostile, net, stance, relations
ORDER BY CASE coalesce($stance, 'both') WHEN 'hostile' THEN net WHEN 'friendly' THEN -net ELSE -abs(net) END,
         a, b, a_id, b_id
LIMIT toInteger(coalesce($limit, 25))
