// graphbuild · overview, the most central actors and the relations between them
// name: overview
// description: A way into a big graph: the N actors with the highest PageRank, and the relations among them.
// param: limit int = 25 - this many actors
// columns: p
// browser: :params {limit: 25}
//
// PageRank, degree and community are `graphbuild analyze`'s, written on every actor by
// `graphbuild load` (PageRank weighs a relation by its sentences). The top actors come in
// PageRank order from the `entity_pagerank` index; the style draws the ten highest (label
// Top10) and the next ninety (Top100) bigger. Start here, then double-click an actor to expand it.
MATCH (a:Entity)
WHERE a.pagerank IS NOT NULL
WITH a ORDER BY a.pagerank DESC, a.id
LIMIT toInteger(coalesce($limit, 25))
WITH collect(a) AS top
UNWIND top AS a
MATCH p = (a)-[:MEETS|VISITS|COOPERATES_WITH|SUPPORTS|SUPPLIES_ARMS_TO|SIGNS_AGREEMENT_WITH|SANCTIONS|THREATENS|CRITICIZES|ATTACKS|LEADER_OF|REPRESENTS|MEMBER_OF|LOCATED_IN]->(b:Entity)
WHERE b IN top
RETURN p
