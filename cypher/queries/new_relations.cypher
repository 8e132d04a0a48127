// graphbuild · actors with the most new relations in a period
// name: new_relations
// description: Actors with the most new relations (first seen) in a date range.
// param: since date - first day of the range (inclusive)
// param: until date = null - last day of the range (inclusive; open-ended when omitted)
// param: limit int = 20 - at most this many actors
// columns: actor_id, actor, actor_type, new_relations, relations, event_dated
// browser: :params {since: "2024-01-01", until: null, limit: 20}
//
// A whole-graph question: it reads every relation once (directed, first_date is not indexed)
// and counts it for both its ends.  A relation's first date is its first sentence's own event date when
// the sentences have one, else its article's date: event_dated counts the new relations dated (at least
// in part) by the sentences' own dates.
MATCH (s:Entity)-[r:MEETS|VISITS|COOPERATES_WITH|SUPPORTS|SUPPLIES_ARMS_TO|SIGNS_AGREEMENT_WITH|SANCTIONS|THREATENS|CRITICIZES|ATTACKS|LEADER_OF|REPRESENTS|MEMBER_OF|LOCATED_IN]->(o:Entity)
WHERE r.first_date >= $since AND ($until IS NULL OR left(r.first_date, size($until)) <= $until)
UNWIND CASE WHEN s = o THEN [s] ELSE [s, o] END AS a
WITH a, r ORDER BY type(r)
WITH a, count(r) AS new_relations, collect(DISTINCT type(r)) AS relations,
     sum(CASE WHEN r.dated_by IN ['event', 'mixed'] THEN 1 ELSE 0 END) AS event_dated
RETURN a.id AS actor_id, a.name AS actor, [l IN labels(a) WHERE l <> 'Entity'][0] AS actor_type,
       new_relations, relations, event_dated
ORDER BY new_relations DESC, actor, actor_id
LIMIT toInteger(coalesce($limit, 20))
