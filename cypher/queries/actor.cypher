// graphbuild · everything about one actor
// name: actor
// description: Everything about one actor: every relation with its counterpart, direction, modality, counts and dates.
// param: actor string - id, ISO3 code, name, alias or surname of an actor (case and accents ignored)
// columns: actor_id, actor, relation, direction, other_id, other, other_type, modality, times, articles, first_date, last_date, inferred
// browser: :params {actor: "Russia"}
//
// direction: out = the actor is the subject, in = the object, both = a symmetric type.
// The actor is found through the full-text index `entity_lookup`: an exact id, name, alias or
// ISO3 code first, else the best-scoring names ("Zelensky", "zelenskiy", "kremlin").
WITH [w IN split(reduce(txt = toLower(trim(toString(coalesce($actor, '')))), ch IN ['\\', '+', '-', '!', '(', ')', '{', '}', '[', ']', '^', '"', '~', '*', '?', ':', '/', '&', '|'] | replace(txt, ch, ' ')), ' ')
     WHERE w <> ''] AS a_words
CALL db.index.fulltext.queryNodes('entity_lookup', CASE WHEN size(a_words) = 0 THEN '__none__'
     ELSE reduce(q = '', w IN a_words | q + ' ' + w + CASE WHEN size(w) >= 4 THEN ' ' + w + '~' ELSE '' END) END)
     YIELD node, score
WITH node, score ORDER BY score DESC LIMIT 100
WITH collect({n: node, s: score}) AS a_hits
WITH a_hits, [h IN a_hits WHERE toLower(trim(toString(coalesce($actor, '')))) IN h.n.keys | h.n] AS a_exact
UNWIND CASE WHEN size(a_exact) > 0 THEN a_exact ELSE [h IN a_hits WHERE h.s = a_hits[0].s | h.n] END AS a
MATCH (a)-[r:MEETS|VISITS|COOPERATES_WITH|SUPPORTS|SUPPLIES_ARMS_TO|SIGNS_AGREEMENT_WITH|SANCTIONS|THREATENS|CRITICIZES|ATTACKS|LEADER_OF|REPRESENTS|MEMBER_OF|LOCATED_IN]-(o:Entity)
RETURN a.id AS actor_id, a.name AS actor, type(r) AS relation,
       CASE WHEN type(r) IN ['MEETS', 'COOPERATES_WITH', 'SIGNS_AGREEMENT_WITH'] THEN 'both'
            WHEN startNode(r) = a THEN 'out' ELSE 'in' END AS direction,
       o.id AS other_id, o.name AS other, [l IN labels(o) WHERE l <> 'Entity'][0] AS other_type,
       r.modality AS modality, r.count AS times, size(r.article_ids) AS articles,
       r.first_date AS first_date, r.last_date AS last_date, r.inferred AS inferred
ORDER BY actor_id, relation, direction, other, other_id
