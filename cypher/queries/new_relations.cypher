// graphbuild · actors with the most new relations in a period
// name: new_relations
// description: Actors with the most new relations (first seen) in a date range.
// param: since date - first day of the range (inclusive)
// param: until date = null - last day of the range (inclusive; open-ended when omitted)
// param: limit int = 20 - at most this many actors
// columns: actor_id, actor, actor_type, new_relations, relations, event_dated
// browser: :params {since: "2024-01-01", until: null, limit: 20}
//
// Each relation type is entered through its range index on first_date (rel_<type>_first_date):
// one index seek per type reads only the relations first seen since $since (a relationship
// index covers one type, hence the union).  Each relation is read once (directed) and counted
// for both its ends.  A relation's first date is its first sentence's own event date when
// the sentences have one, else its article's date: event_dated counts the new relations dated
// (at least in part) by the sentences' own dates.
CALL () {
  MATCH (s)-[r:MEETS]->(o) WHERE r.first_date >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:VISITS]->(o) WHERE r.first_date >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:COOPERATES_WITH]->(o) WHERE r.first_date >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:SUPPORTS]->(o) WHERE r.first_date >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:SUPPLIES_ARMS_TO]->(o) WHERE r.first_date >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:SIGNS_AGREEMENT_WITH]->(o) WHERE r.first_date >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:SANCTIONS]->(o) WHERE r.first_date >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:THREATENS]->(o) WHERE r.first_date >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:CRITICIZES]->(o) WHERE r.first_date >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:ATTACKS]->(o) WHERE r.first_date >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:LEADER_OF]->(o) WHERE r.first_date >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:REPRESENTS]->(o) WHERE r.first_date >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:MEMBER_OF]->(o) WHERE r.first_date >= $since RETURN s, r, o
  UNION ALL
  MATCH (s)-[r:LOCATED_IN]->(o) WHERE r.first_date >= $since RETURN s, r, o
}
WITH s, r, o WHERE $until IS NULL OR left(r.first_date, size($until)) <= $until
WITH s, o, type(r) AS t, CASE WHEN r.dated_by IN ['event', 'mixed'] THEN 1 ELSE 0 END AS event
UNWIND CASE WHEN s = o THEN [s] ELSE [s, o] END AS a
WITH a, t, event ORDER BY t
WITH a, count(*) AS new_relations, collect(DISTINCT t) AS relations, sum(event) AS event_dated
RETURN a.id AS actor_id, a.name AS actor, [l IN labels(a) WHERE l <> 'Entity'][0] AS actor_type,
       new_relations, relations, event_dated
ORDER BY new_relations DESC, actor, actor_id
LIMIT toInteger(coalesce($limit, 20))
