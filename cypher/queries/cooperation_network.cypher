// name: cooperation_network
// description: The cooperation network of an actor: partners by cooperative relations (positive weight), strongest first.
// param: actor string - actor id, ISO3 code, name or alias (case-insensitive)
// param: limit int = 50 - at most this many partners
// columns: partner_id, partner, partner_type, relations, articles, score, first_date, last_date
//
// Cooperative = a relation type with a positive weight in the ontology (meets, visits,
// cooperates, supports, supplies arms, signs an agreement), unless only ever denied.
// score = sum over those relations of weight x number of articles.
MATCH (a:Entity)
WHERE a.id = $actor OR toLower(a.name) = toLower(trim($actor)) OR a.iso3 = toUpper(trim($actor))
   OR any(alias IN a.aliases WHERE toLower(alias) = toLower(trim($actor)))
MATCH (a)-[r]-(p:Entity)
WHERE r.weight > 0 AND r.modality <> 'denied'
WITH a, p, r ORDER BY type(r)
WITH p, collect(DISTINCT type(r)) AS relations,
     reduce(ids = [], rel IN collect(r) | ids + [i IN rel.article_ids WHERE NOT i IN ids]) AS article_ids,
     sum(r.weight * size(r.article_ids)) AS score, min(r.first_date) AS first_date, max(r.last_date) AS last_date
RETURN p.id AS partner_id, p.name AS partner, [l IN labels(p) WHERE l <> 'Entity'][0] AS partner_type,
       relations, size(article_ids) AS articles, round(score, 2) AS score, first_date, last_date
ORDER BY score DESC, partner, partner_id
LIMIT $limit
