// graphbuild · the sentences behind a relation
// name: evidence
// description: The evidence for one relationship: the articles and exact sentences that support it.
// param: subject string - one end: id, ISO3 code, name, alias or surname of an actor (case and accents ignored)
// param: object string - the other end
// param: type relation = null - the relation type; every type from subject to object when omitted
// columns: date, relation, modality, sentence, title, source, url, article_id, subject_id, object_id, start, end, rule, confidence
// browser: :params {subject: "North Korea", object: "Russia", type: null}
//
// Directed types are matched from subject to object; symmetric ones either way.
// The sentences of each relationship are found by the `evidence_rel_key` index (CALL per relationship).
WITH [w IN split(reduce(txt = toLower(trim(toString(coalesce($subject, '')))), ch IN ['\\', '+', '-', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '/', '&', '|'] | replace(txt, ch, ' ')), ' ')
     WHERE w <> ''] AS s_words
CALL db.index.fulltext.queryNodes('entity_lookup', CASE WHEN size(s_words) = 0 THEN '__none__'
     ELSE reduce(q = '', w IN s_words | q + ' ' + w + CASE WHEN size(w) >= 4 THEN ' ' + w + '~' ELSE '' END) END)
     YIELD node, score
WITH node, score ORDER BY score DESC LIMIT 100
WITH collect({n: node, s: score}) AS s_hits
WITH s_hits, [h IN s_hits WHERE toLower(trim(toString(coalesce($subject, '')))) IN h.n.keys | h.n] AS s_exact
UNWIND CASE WHEN size(s_exact) > 0 THEN s_exact ELSE [h IN s_hits WHERE h.s = s_hits[0].s | h.n] END AS s
WITH collect(s) AS subjects
WITH subjects, [w IN split(reduce(txt = toLower(trim(toString(coalesce($object, '')))), ch IN ['\\', '+', '-', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '/', '&', '|'] | replace(txt, ch, ' ')), ' ')
     WHERE w <> ''] AS o_words
CALL db.index.fulltext.queryNodes('entity_lookup', CASE WHEN size(o_words) = 0 THEN '__none__'
     ELSE reduce(q = '', w IN o_words | q + ' ' + w + CASE WHEN size(w) >= 4 THEN ' ' + w + '~' ELSE '' END) END)
     YIELD node, score
WITH subjects, node, score ORDER BY score DESC LIMIT 100
WITH subjects, collect({n: node, s: score}) AS o_hits
WITH subjects, o_hits, [h IN o_hits WHERE toLower(trim(toString(coalesce($object, '')))) IN h.n.keys | h.n] AS o_exact
UNWIND CASE WHEN size(o_exact) > 0 THEN o_exact ELSE [h IN o_hits WHERE h.s = o_hits[0].s | h.n] END AS o
UNWIND subjects AS s
MATCH (s)-[r:MEETS|VISITS|COOPERATES_WITH|SUPPORTS|SUPPLIES_ARMS_TO|SIGNS_AGREEMENT_WITH|SANCTIONS|THREATENS|CRITICIZES|ATTACKS|LEADER_OF|REPRESENTS|MEMBER_OF|LOCATED_IN]-(o)
WHERE ($type IS NULL OR type(r) = $type)
  AND (startNode(r) = s OR type(r) IN ['MEETS', 'COOPERATES_WITH', 'SIGNS_AGREEMENT_WITH'])
CALL (r) {
  MATCH (ev:Evidence {rel_key: r.key})
  RETURN ev
}
MATCH (ev)-[:IN_ARTICLE]->(art:Article)
RETURN art.date AS date, type(r) AS relation, ev.modality AS modality, ev.sentence AS sentence,
       art.title AS title, art.source AS source, art['url'] AS url, art.id AS article_id,
       startNode(r).id AS subject_id, endNode(r).id AS object_id, ev.start AS start, ev.end AS end,
       ev.rule AS rule, ev.confidence AS confidence
ORDER BY date, article_id, start, relation, subject_id, object_id
