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
// A whole-graph question: it reads every relation (no entry point to index).
MATCH (x:Entity)-[r:MEETS|VISITS|COOPERATES_WITH|SUPPORTS|SUPPLIES_ARMS_TO|SIGNS_AGREEMENT_WITH|SANCTIONS|THREATENS|CRITICIZES|ATTACKS|LEADER_OF|REPRESENTS|MEMBER_OF|LOCATED_IN]-(y:Entity)
WHERE x.id < y.id AND r.weight <> 0 AND r.modality <> 'denied'
WITH x, y, r ORDER BY type(r)
WITH x, y, collect(DISTINCT type(r)) AS relations,
     sum(CASE WHEN r.weight > 0 THEN r.weight * size(r.article_ids) ELSE 0.0 END) AS friendly,
     sum(CASE WHEN r.weight < 0 THEN r.weight * size(r.article_ids) ELSE 0.0 END) AS hostile
WITH x, y, relations, round(friendly, 2) AS friendly, round(hostile, 2) AS hostile,
     round(friendly + hostile, 2) AS net
WITH x, y, relations, friendly, hostile, net,
     CASE WHEN net < 0 THEN 'hostile' WHEN net > 0 THEN 'friendly' ELSE 'neutral' END AS stance
WHERE coalesce($stance, 'both') = 'both' OR stance = $stance
RETURN x.id AS a_id, x.name AS a, y.id AS b_id, y.name AS b, friendly, hostile, net, stance, relations
ORDER BY CASE coalesce($stance, 'both') WHEN 'hostile' THEN net WHEN 'friendly' THEN -net ELSE -abs(net) END,
         a, b, a_id, b_id
LIMIT toInteger(coalesce($limit, 25))
