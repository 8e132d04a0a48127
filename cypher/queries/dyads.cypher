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
// A whole-graph question: it reads every relation of the ten weighted types, each once (directed);
// no entry point to index, and `USING SCAN` makes it those types' own scan, not every node's
// relationships, however small the graph.  Each relation is reduced to its two ends' ids and
// names, the pair ordered by id, before the pairs are summed: grouping by strings, not by nodes,
// is ~1.7x faster at 100k articles (bench/RESULTS.md).  The ORDER BY type before the sums keeps
// their floating-point order that of the offline backend.
MATCH (x)-[r:MEETS|VISITS|COOPERATES_WITH|SUPPORTS|SUPPLIES_ARMS_TO|SIGNS_AGREEMENT_WITH|SANCTIONS|THREATENS|CRITICIZES|ATTACKS]->(y)
USING SCAN r:MEETS
WHERE x <> y AND r.weight <> 0 AND r.modality <> 'denied'
WITH x.id AS xi, x.name AS xn, y.id AS yi, y.name AS yn, type(r) AS t,
     r.weight * CASE WHEN r.articles IS NULL THEN size(r.article_ids) ELSE r.articles END AS score
ORDER BY t
WITH CASE WHEN xi < yi THEN xi ELSE yi END AS a_id, CASE WHEN xi < yi THEN xn ELSE yn END AS a,
     CASE WHEN xi < yi THEN yi ELSE xi END AS b_id, CASE WHEN xi < yi THEN yn ELSE xn END AS b, t, score
WITH a_id, a, b_id, b, collect(DISTINCT t) AS relations,
     sum(CASE WHEN score > 0 THEN score ELSE 0.0 END) AS friendly,
     sum(CASE WHEN score < 0 THEN score ELSE 0.0 END) AS hostile
WITH a_id, a, b_id, b, relations, round(friendly, 2) AS friendly, round(hostile, 2) AS hostile,
     round(friendly + hostile, 2) AS net
WITH a_id, a, b_id, b, relations, friendly, hostile, net,
     CASE WHEN net < 0 THEN 'hostile' WHEN net > 0 THEN 'friendly' ELSE 'neutral' END AS stance
WHERE coalesce($stance, 'both') = 'both' OR stance = $stance
RETURN a_id, a, b_id, b, friendly, hostile, net, stance, relations
ORDER BY CASE coalesce($stance, 'both') WHEN 'hostile' THEN net WHEN 'friendly' THEN -net ELSE -abs(net) END,
         a, b, a_id, b_id
LIMIT toInteger(coalesce($limit, 25))
