// name: shortest_paths
// description: Shortest paths between two actors over their relations, with the relation types on the way.
// param: from string - one actor: id, ISO3 code, name or alias (case-insensitive)
// param: to string - the other actor
// param: limit int = 25 - at most this many paths
// columns: hops, path, nodes, relations
//
// Only entity-to-entity relations count (no hop through an Article); at most 6 hops.
// In `path`, -[T]-> follows the stored direction and -[T]- marks a symmetric type.
MATCH (a:Entity)
WHERE a.id = $from OR toLower(a.name) = toLower(trim($from)) OR a.iso3 = toUpper(trim($from))
   OR any(alias IN a.aliases WHERE toLower(alias) = toLower(trim($from)))
MATCH (b:Entity)
WHERE b.id = $to OR toLower(b.name) = toLower(trim($to)) OR b.iso3 = toUpper(trim($to))
   OR any(alias IN b.aliases WHERE toLower(alias) = toLower(trim($to)))
WITH a, b WHERE a <> b
MATCH p = allShortestPaths((a)-[*..6]-(b))
WHERE all(n IN nodes(p) WHERE n:Entity)
WITH p, nodes(p) AS ns, relationships(p) AS rs
RETURN length(p) AS hops,
       reduce(text = ns[0].name, i IN range(0, size(rs) - 1) |
              text + CASE WHEN type(rs[i]) IN ['MEETS', 'COOPERATES_WITH', 'SIGNS_AGREEMENT_WITH']
                          THEN ' -[' + type(rs[i]) + ']- '
                          WHEN startNode(rs[i]) = ns[i] THEN ' -[' + type(rs[i]) + ']-> '
                          ELSE ' <-[' + type(rs[i]) + ']- ' END + ns[i + 1].name) AS path,
       [n IN ns | n.name] AS nodes, [r IN rs | type(r)] AS relations
ORDER BY hops, path
LIMIT $limit
