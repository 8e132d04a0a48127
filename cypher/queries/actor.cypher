// name: actor
// description: Everything about one actor: every relation with its counterpart, direction, modality, counts and dates.
// param: actor string - actor id, ISO3 code, name or alias (case-insensitive)
// columns: actor_id, actor, relation, direction, other_id, other, other_type, modality, times, articles, first_date, last_date, inferred
//
// direction: out = the actor is the subject, in = the object, both = a symmetric type.
MATCH (a:Entity)
WHERE a.id = $actor OR toLower(a.name) = toLower(trim($actor)) OR a.iso3 = toUpper(trim($actor))
   OR any(alias IN a.aliases WHERE toLower(alias) = toLower(trim($actor)))
MATCH (a)-[r]-(o:Entity)
RETURN a.id AS actor_id, a.name AS actor, type(r) AS relation,
       CASE WHEN type(r) IN ['MEETS', 'COOPERATES_WITH', 'SIGNS_AGREEMENT_WITH'] THEN 'both'
            WHEN startNode(r) = a THEN 'out' ELSE 'in' END AS direction,
       o.id AS other_id, o.name AS other, [l IN labels(o) WHERE l <> 'Entity'][0] AS other_type,
       r.modality AS modality, r.count AS times, size(r.article_ids) AS articles,
       r.first_date AS first_date, r.last_date AS last_date, r.inferred AS inferred
ORDER BY actor_id, relation, direction, other, other_id
