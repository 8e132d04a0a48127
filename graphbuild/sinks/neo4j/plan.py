"""Compare the store with what Neo4j holds and list the writes that make them equal."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from operator import itemgetter
from typing import Any

from ...graph.model import edges
from ...ontology import ENTITY_TYPES, RELATION_TYPES
from ...store import Store
from .. import cypher as cy

@dataclass
class LoadReport:
    """What one load did: articles by status, rows sent, and Neo4j's own counters."""

    uri: str = ""
    database: str = ""
    articles_new: int = 0
    articles_changed: int = 0
    articles_unchanged: int = 0
    articles_removed: int = 0
    entities_written: int = 0
    entities_deleted: int = 0
    relations_written: int = 0
    relations_deleted: int = 0
    evidence_written: int = 0
    evidence_deleted: int = 0
    mentions_written: int = 0
    mentions_deleted: int = 0
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_deleted: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_deleted: int = 0
    properties_set: int = 0
    labels_added: int = 0
    constraints_added: int = 0
    indexes_added: int = 0
    batches: int = 0
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        """True if the load changed anything in the graph (schema included)."""
        return any((self.nodes_created, self.nodes_deleted, self.relationships_created,
                    self.relationships_deleted, self.properties_set, self.labels_added,
                    self.constraints_added, self.indexes_added))

    @property
    def relationships_per_second(self) -> float:
        """Typed relationships written per second of the whole load."""
        return self.relations_written / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        """Plain dict for ``--json``."""
        return asdict(self) | {"seconds": round(self.seconds, 3)}


def _read(session, query: str, **params: Any) -> list[Any]:
    return session.execute_read(lambda tx: [tuple(r.values()) for r in tx.run(query, params)])


def _read_rows(session, query: str, **params: Any) -> list[list[Any]]:
    """The rows of a query that returns them as ONE record, ``collect([...])``: a Bolt message per row costs more."""
    records = _read(session, query, **params)
    return records[0][0] if records else []


@dataclass
class _Op:
    """One statement with its rows; ``creates`` says which counter the rows create ("node"/"rel"/None)."""

    statement: cy.Statement
    rows: list[dict[str, Any]]
    creates: str | None


@dataclass
class _Group:
    """Articles new to Neo4j with their mentions and evidence: written in ONE transaction with CREATE.

    Nothing can hang off an article the same transaction creates, so CREATE is exact; if
    another load created one of them first, the unique constraint fails the transaction and
    the group is written again with the MERGE upserts.
    """

    articles: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    evidence: list[dict[str, Any]]

    @property
    def size(self) -> int:
        return len(self.articles) + len(self.mentions) + len(self.evidence)


_Work = _Op | _Group


@dataclass
class _Plan:
    """The writes of a load, in order: steps run one after the other, the work of a step in parallel."""

    steps: list[list[_Work]] = field(default_factory=list)
    total: int = 0

    def step(self, *ops: _Op | None) -> None:
        work = [op for op in ops if op is not None and op.rows]
        if work:
            self.steps.append(list(work))
            self.total += sum(len(op.rows) for op in work)


def _op(statement: cy.Statement, rows: list[dict[str, Any]], creates: str | None) -> _Op | None:
    return _Op(statement, rows, creates) if rows else None


def _groups(store: Store, counts: dict[str, list[int]], articles: dict[str, dict[str, Any]],
            batch_size: int) -> Iterator[_Group]:
    """New articles in groups of at most ``batch_size`` rows (or one article), read from the store per group."""
    members: list[str] = []
    size = 0
    for aid in sorted(counts):
        n = 1 + sum(counts[aid])
        if members and size + n > batch_size:
            yield _read_group(store, members, articles)
            members, size = [], 0
        members.append(aid)
        size += n
    if members:
        yield _read_group(store, members, articles)


def _read_group(store: Store, ids: list[str], articles: dict[str, dict[str, Any]]) -> _Group:
    mentions = [{"article_id": a, "entity_id": e, "count": c} for a, e, c in store.article_entities(ids)]
    mentions.sort(key=itemgetter("entity_id"))  # every transaction locks entities in the same order
    return _Group([cy.article_row(articles[i], sealed=False) for i in ids], mentions,
                  list(cy.evidence_rows(store.evidence(article_ids=ids))))


def _held_ranks(have: list[Any]) -> dict[str, Any]:
    """The score properties and rank label of a node as Neo4j holds it (``[labels, *ENTITY_PROPERTIES]``)."""
    held = dict(zip(cy.ENTITY_PROPERTIES, have[1:]))
    return {"pagerank": held["pagerank"] if held["pagerank"] is not None else 0.0, "degree": held["degree"] or 0,
            "community": held["community"],
            "rank_label": next((r for r in cy.RANK_LABELS if r in have[0]), None)}


def _entity_differs(row: dict[str, Any], label: str, have: list[Any]) -> bool:
    """Whether the node Neo4j holds (``[labels, *ENTITY_PROPERTIES]``) differs from the entity's row."""
    labels = {cy.ENTITY, label} | ({row["rank_label"]} if row["rank_label"] else set())
    if not labels <= set(have[0]) or set(have[0]) & set(cy.RANK_LABELS) != labels & set(cy.RANK_LABELS):
        return True
    for prop, value in zip(cy.ENTITY_PROPERTIES, have[1:]):
        wanted = row[prop]
        if isinstance(wanted, list):
            value = list(value or [])
        if value != wanted:
            return True
    return False


def _plan(store: Store, session, article_ids: Iterable[str] | None, report: LoadReport,
          batch_size: int) -> tuple[_Plan, dict[str, list[int]], _Plan, dict[str, dict[str, Any]]]:
    """Compare the store with what Neo4j holds and list the writes that make them equal.

    Returns the writes before the new articles, the new articles (written in groups by
    :func:`_groups`), and the writes after them.  Only what the changed articles touch is
    read from the store (all of it on a first load).
    """
    in_neo = dict(_read_rows(session, f"MATCH (a:{cy.ARTICLE}) RETURN collect([a.id, a.sha256])"))
    articles = {a["id"]: a for a in store.article_rows()}
    wanted = set(article_ids) if article_ids is not None else set(articles) | set(in_neo)
    dirty = {i for i in wanted if i in articles and in_neo.get(i) != articles[i]["sha256"]}
    removed = {i for i in wanted if i not in articles and i in in_neo}
    fresh = sorted(i for i in dirty if i not in in_neo)
    changed = dirty - set(fresh)
    report.articles_new = len(fresh)
    report.articles_changed = len(changed)
    report.articles_removed = len(removed)
    report.articles_unchanged = sum(1 for i in wanted if i in articles) - len(dirty)
    gone = sorted(changed | removed)

    # What Neo4j holds for the articles it has that change: evidence and mentions.
    old_ev = _read(session, f"UNWIND $ids AS id MATCH (ev:{cy.EVIDENCE} {{article_id: id}}) "
                            "RETURN ev.id, ev.rel_key, ev.subject, ev.predicate, ev.object", ids=gone) if gone else []
    old_ev_ids = {r[0] for r in old_ev}
    old_keys = {r[1]: (r[2], r[3], r[4]) for r in old_ev}
    old_mentions = {(a, e): c for a, e, c in _read(
        session, f"UNWIND $ids AS id MATCH (:{cy.ARTICLE} {{id: id}})-[m:{cy.MENTIONS}]->(e:{cy.ENTITY}) "
                 "RETURN id, e.id, m.count", ids=gone)} if gone else {}

    before, after = _Plan(), _Plan()
    # 1. entities that differ from the store (new ones, new aliases).
    # PageRank, degree and community move with any relation: computed on the whole graph of this
    # snapshot when an article changes (a minute or two on 100k articles), else kept as they are.
    neo_entities = {r[0]: r[1:] for r in _read_rows(
        session, f"MATCH (n:{cy.ENTITY}) RETURN collect([n.id, labels(n), "
                 + ", ".join(f"n.{p}" for p in cy.ENTITY_PROPERTIES) + "])")}
    pagerank = 1 + cy.ENTITY_PROPERTIES.index("pagerank")
    unscored = any(h[pagerank] is None for h in neo_entities.values())  # loaded by an older graphbuild
    # a reader that holds only part of the graph (a lake delta) cannot score it: Neo4j keeps its scores
    whole = not getattr(store, "partial_graph", False)
    ranks = cy.entity_ranks(store) if whole and (dirty or removed or unscored) else None
    store_ids = set()
    names: dict[str, str] = {}
    by_label: dict[str, list[dict[str, Any]]] = {label: [] for label in ENTITY_TYPES}
    for ent in store.entities():
        store_ids.add(ent.id)
        names[ent.id] = ent.name
        have = neo_entities.get(ent.id)
        row = cy.entity_row(ent, ranks.get(ent.id) if ranks is not None else None)
        if ranks is None and have is not None:  # nothing changed that could move them: as Neo4j has them
            row.update(_held_ranks(have))
        if have is None or _entity_differs(row, ent.type, have):
            by_label[ent.type].append(row)
    before.step(*(_op(cy.ENTITY_UPSERT[label], by_label[label], "node") for label in ENTITY_TYPES))
    report.entities_written = sum(len(v) for v in by_label.values())

    # 2. the new articles: counted here, written in groups between `before` and `after`.
    fresh_counts = store.article_sizes(fresh)
    report.mentions_written += sum(m for m, _ in fresh_counts.values())
    report.evidence_written += sum(e for _, e in fresh_counts.values())
    before.total += len(fresh) + report.mentions_written + report.evidence_written

    # 3. changed articles (in Neo4j with another sha256): unsealed, then only what differs, with MERGE.
    new_mentions = {(a, e): c for a, e, c in store.article_entities(changed)} if changed else {}
    mention_rows = [{"article_id": a, "entity_id": e, "count": c} for (a, e), c in sorted(new_mentions.items())
                    if old_mentions.get((a, e)) != c]
    ev_rows, keep_ev = [], set()
    for row in cy.evidence_rows(store.evidence(article_ids=changed)) if changed else ():
        keep_ev.add(row["id"])
        if row["id"] not in old_ev_ids:
            ev_rows.append(row)
    after.step(_op(cy.ARTICLE_UPSERT, [cy.article_row(articles[i], sealed=False) for i in sorted(changed)], "node"))
    after.step(_op(cy.MENTIONS_UPSERT, mention_rows, "rel"), _op(cy.EVIDENCE_UPSERT, ev_rows, "node"))
    report.mentions_written += len(mention_rows)
    report.evidence_written += len(ev_rows)

    # 4. every logical relation with old or new evidence from those articles, from all its evidence.
    keys: set[tuple[str, str, str]] | None = set(old_keys.values())
    if dirty == set(articles):
        keys = None  # a first load: every relation of the store
    elif dirty:
        keys |= store.relation_keys(dirty)
    by_type: dict[str, list[dict[str, Any]]] = {t: [] for t in RELATION_TYPES}
    touched_alive = set()
    if keys is None or keys:
        for edge in edges(store, keys=keys, examples=True):
            touched_alive.add(edge.key)
            by_type[edge.predicate].append(cy.edge_row(edge, names, articles))
    after.step(*(_op(cy.RELATION_UPSERT[t], by_type[t], "rel") for t in RELATION_TYPES))
    report.relations_written = sum(len(v) for v in by_type.values())

    # 5. deletions, after the upserts so a stopped load can still find what to redo.
    dead: dict[str, list[dict[str, Any]]] = {t: [] for t in RELATION_TYPES}
    for key, (s, p, o) in sorted(old_keys.items()):
        if key not in touched_alive:
            dead[p].append({"subject": s, "object": o})
    for t in RELATION_TYPES:
        after.step(_op(cy.RELATION_DELETE[t], dead[t], None))
    report.relations_deleted = sum(len(v) for v in dead.values())
    stale_mentions = [{"article_id": a, "entity_id": e} for (a, e) in sorted(old_mentions)
                      if a in dirty and (a, e) not in new_mentions]
    after.step(_op(cy.MENTIONS_DELETE, stale_mentions, None))
    report.mentions_deleted = len(stale_mentions)
    stale_ev = [{"id": i} for i in sorted(old_ev_ids - keep_ev)]
    after.step(_op(cy.EVIDENCE_DELETE, stale_ev, None))
    report.evidence_deleted = len(stale_ev)
    after.step(_op(cy.ARTICLE_DELETE, [{"id": i} for i in sorted(removed)], None))
    orphans = [{"id": i} for i in sorted(set(neo_entities) - store_ids)]
    after.step(_op(cy.ENTITY_DELETE, orphans, None))
    report.entities_deleted = len(orphans)

    # 6. seal: the article is now completely in Neo4j.
    after.step(_op(cy.ARTICLE_SEAL, [{"id": i, "sha256": articles[i]["sha256"]} for i in sorted(dirty)], None))
    return before, fresh_counts, after, articles
