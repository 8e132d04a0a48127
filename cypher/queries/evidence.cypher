// name: evidence
// description: The evidence for one relationship: the articles and exact sentences that support it.
// param: subject string - one end: id, ISO3 code, name or alias (case-insensitive)
// param: object string - the other end
// param: type relation = null - the relation type; every type from subject to object when omitted
// columns: relation, subject_id, object_id, article_id, title, date, source, url, sentence, start, end, modality, rule, confidence
//
// Directed types are matched from subject to object; symmetric ones either way.
MATCH (s:Entity)
WHERE s.id = $subject OR toLower(s.name) = toLower(trim($subject)) OR s.iso3 = toUpper(trim($subject))
   OR any(alias IN s.aliases WHERE toLower(alias) = toLower(trim($subject)))
MATCH (o:Entity)
WHERE o.id = $object OR toLower(o.name) = toLower(trim($object)) OR o.iso3 = toUpper(trim($object))
   OR any(alias IN o.aliases WHERE toLower(alias) = toLower(trim($object)))
MATCH (s)-[r]-(o)
WHERE ($type IS NULL OR type(r) = $type)
  AND (startNode(r) = s OR type(r) IN ['MEETS', 'COOPERATES_WITH', 'SIGNS_AGREEMENT_WITH'])
MATCH (ev:Evidence {rel_key: r.key})-[:IN_ARTICLE]->(art:Article)
RETURN type(r) AS relation, startNode(r).id AS subject_id, endNode(r).id AS object_id,
       art.id AS article_id, art.title AS title, art.date AS date, art.source AS source, art.url AS url,
       ev.sentence AS sentence, ev.start AS start, ev.end AS end, ev.modality AS modality,
       ev.rule AS rule, ev.confidence AS confidence
ORDER BY date, article_id, start, relation, subject_id, object_id
