// graphbuild · overview, the most connected actors and the relations between them
// name: overview
// description: A way into a big graph: the N actors with the most relations, and the relations among them.
// param: limit int = 25 - this many actors
// columns: p
// browser: :params {limit: 25}
//
// Degree = relations of the ontology's types to other actors (articles, evidence and supplied
// weapons do not count). Start here, then double-click an actor to expand it.
MATCH (a:Entity)
WITH a, COUNT { (a)-[:MEETS|VISITS|COOPERATES_WITH|SUPPORTS|SUPPLIES_ARMS_TO|SIGNS_AGREEMENT_WITH|SANCTIONS|THREATENS|CRITICIZES|ATTACKS|LEADER_OF|REPRESENTS|MEMBER_OF|LOCATED_IN]-(:Entity) } AS degree
ORDER BY degree DESC, a.id
LIMIT toInteger(coalesce($limit, 25))
WITH collect(a) AS top
UNWIND top AS a
MATCH p = (a)-[:MEETS|VISITS|COOPERATES_WITH|SUPPORTS|SUPPLIES_ARMS_TO|SIGNS_AGREEMENT_WITH|SANCTIONS|THREATENS|CRITICIZES|ATTACKS|LEADER_OF|REPRESENTS|MEMBER_OF|LOCATED_IN]->(b:Entity)
WHERE b IN top
RETURN p
