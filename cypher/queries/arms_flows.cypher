// name: arms_flows
// description: Arms flows into or out of a country (or any actor), with the weapons and the modality.
// param: actor string - country id, ISO3 code, name or alias (case-insensitive)
// param: direction in|out|both = both - in: what it receives, out: what it supplies
// columns: direction, supplier_id, supplier, recipient_id, recipient, items, modality, modalities, times, first_date, last_date
MATCH (c:Entity)
WHERE c.id = $actor OR toLower(c.name) = toLower(trim($actor)) OR c.iso3 = toUpper(trim($actor))
   OR any(alias IN c.aliases WHERE toLower(alias) = toLower(trim($actor)))
MATCH (s:Entity)-[r:SUPPLIES_ARMS_TO]->(t:Entity)
WHERE (t = c AND $direction IN ['in', 'both']) OR (s = c AND $direction IN ['out', 'both'])
RETURN CASE WHEN t = c THEN 'in' ELSE 'out' END AS direction,
       s.id AS supplier_id, s.name AS supplier, t.id AS recipient_id, t.name AS recipient,
       [item IN r.items | coalesce(COLLECT { MATCH (w:Entity {id: item}) RETURN w.name }[0], item)] AS items,
       r.modality AS modality, r.modalities AS modalities, r.count AS times,
       r.first_date AS first_date, r.last_date AS last_date
ORDER BY direction, first_date, supplier, recipient, supplier_id, recipient_id
