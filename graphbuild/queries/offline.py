"""The saved questions of ``cypher/queries/`` answered from the embedded store and networkx, without Neo4j.

One Python function per saved query, registered by name in :data:`OFFLINE_QUERIES`
with the columns it returns.  Each one reads the same graph the Neo4j loader
writes (:func:`graphbuild.graph.build_graph`: one edge per logical relation with its
aggregates and evidence) and follows its ``.cypher`` file clause by clause: the
same actor matching (:func:`graphbuild.graph.lookup.match_actors`), the same
filters, ``round(x, 2)`` as Neo4j rounds (half up, on the shortest decimal
text), ``ORDER BY`` with Cypher's null placement (last ascending, first
descending), ``LIMIT``; and the same value types as the driver returns: lists,
``None``, ints, floats, booleans and dates as ISO text.

``tests/test_offline_queries.py`` runs every query on both backends and asserts
identical rows.  A query that has no function here (a user's own ``.cypher``
file) needs Neo4j: :func:`run_offline` says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import networkx as nx

from ..analysis.paths import path_text, shortest_relation_paths
from ..errors import InputError
from ..graph.lookup import match_actors
from ..graph.nx import build_graph, evidence_attrs
from ..graph.stance import cypher_round, direction, edge_score, incident, stance_of
from ..models import QueryResult
from ..ontology import SYMMETRIC
from ..store import DateWindow, Store
from .catalogue import SavedQuery

__all__ = ["OFFLINE_QUERIES", "OfflineData", "OfflineQuery", "run_offline"]

Row = list[Any]


@dataclass(frozen=True)
class OfflineData:
    """What the offline queries read: the networkx graph and the articles' metadata by id.

    Built by :meth:`from_store`, everything is in memory (usable after the store is
    closed).  Built by :meth:`on_store`, the graph has no evidence sentences and no
    article is read up front: the few queries that show sentences fetch those of the
    relations they touch from the (still open) ``store``, so one query on a big store
    takes seconds.  Both answer every query with the same rows.
    """

    graph: nx.MultiDiGraph
    articles: dict[str, dict[str, Any]]
    store: Store | None = None

    @classmethod
    def from_store(cls, store: Store) -> OfflineData:
        """Build the graph and read the article metadata of ``store``."""
        return cls(build_graph(store), {a["id"]: a for a in store.article_rows()})

    @classmethod
    def on_store(cls, store: Store) -> OfflineData:
        """The graph without evidence; sentences and articles read from ``store`` when a query needs them."""
        return cls(build_graph(store, evidence=False), {}, store)

    def evidence(self, subject: str, obj: str, predicate: str, attrs: dict[str, Any]) -> list[dict[str, Any]]:
        """The evidence dicts of one edge (as :func:`build_graph` stores them), from the graph or the store."""
        if "evidence" in attrs or self.store is None:
            return attrs["evidence"]
        return [evidence_attrs(r) for r in self.store.evidence(keys=[(subject, predicate, obj)])]

    def article(self, article_id: str) -> dict[str, Any]:
        """One article's metadata, from memory or the store."""
        found = self.articles.get(article_id)
        if found is None and self.store is not None:
            found = self.store.article_row(article_id)
            if found is not None:
                self.articles[article_id] = found
        if found is None:
            raise KeyError(article_id)
        return found

    def name(self, node: str) -> str:
        return self.graph.nodes[node]["name"]

    def type(self, node: str) -> str:
        return self.graph.nodes[node]["type"]

    def incident(self, node: str) -> Iterator[tuple[str, str, str, dict[str, Any], str]]:
        """``(subject, object, type, attrs, other end)`` of every relation touching ``node`` (``(a)-[r]-(o)``)."""
        return incident(self.graph, node)


@dataclass(frozen=True)
class OfflineQuery:
    """One offline implementation: the columns it returns and the function giving its rows."""

    columns: tuple[str, ...]
    run: Callable[[OfflineData, dict[str, Any]], list[Row]]


OFFLINE_QUERIES: dict[str, OfflineQuery] = {}


def _query(name: str, columns: str) -> Callable:
    def register(func: Callable[[OfflineData, dict[str, Any]], list[Row]]):
        OFFLINE_QUERIES[name] = OfflineQuery(tuple(c.strip() for c in columns.split(",")), func)
        return func

    return register


# -- Cypher semantics -----------------------------------------------------------
def _order(rows: list[Row], *keys: tuple[Callable[[Row], Any], bool]) -> list[Row]:
    """Sort like ``ORDER BY k1 [DESC], k2 ...``: nulls last ascending, first descending."""
    for key, desc in reversed(keys):
        rows.sort(key=lambda r, k=key: (k(r) is None, k(r)), reverse=desc)
    return rows


def _col(i: int) -> Callable[[Row], Any]:
    return lambda r: r[i]


def _asc(*indexes: int) -> list[tuple[Callable[[Row], Any], bool]]:
    return [(_col(i), False) for i in indexes]


def _limit(rows: list[Row], limit: int) -> list[Row]:
    if limit < 0:
        raise InputError(f"--param limit={limit}: expected 0 or more")
    return rows[:limit]


def _min(values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _max(values: list[Any]) -> Any:
    present = [v for v in values if v is not None]
    return max(present) if present else None


# -- the queries ------------------------------------------------------------------
@_query("meetings", "a_id, a, b_id, b, times, articles, modality, modalities, first_date, last_date, inferred")
def meetings(data: OfflineData, p: dict[str, Any]) -> list[Row]:
    actor = p["actor"]
    wanted = set(match_actors(data.graph, actor)) if actor is not None else set()
    rows = []
    for u, v, k, d in data.graph.edges(keys=True, data=True):
        if k != "MEETS":
            continue
        for x, y in ((u, v), (v, u)):
            if (x < y) if actor is None else (x in wanted):
                rows.append([x, data.name(x), y, data.name(y), d["count"], len(d["article_ids"]), d["modality"],
                             list(d["modalities"]), d["first_date"], d["last_date"], d["inferred"]])
    _order(rows, (_col(4), True), (_col(5), True), *_asc(1, 3, 0, 2))
    return _limit(rows, p["limit"])


@_query("arms_flows", "direction, supplier_id, supplier, recipient_id, recipient, items, modality, modalities, "
                      "times, first_date, last_date")
def arms_flows(data: OfflineData, p: dict[str, Any]) -> list[Row]:
    g, way = data.graph, p["direction"]
    rows = []
    for c in match_actors(g, p["actor"]):
        for s, t, k, d in g.edges(keys=True, data=True):
            if k != "SUPPLIES_ARMS_TO":
                continue
            if (t == c and way in ("in", "both")) or (s == c and way in ("out", "both")):
                items = [data.name(i) if i in g else i for i in d["items"]]
                rows.append(["in" if t == c else "out", s, data.name(s), t, data.name(t), items, d["modality"],
                             list(d["modalities"]), d["count"], d["first_date"], d["last_date"]])
    return _order(rows, *_asc(0, 9, 2, 4, 1, 3))


@_query("cooperation_network", "partner_id, partner, partner_type, relations, articles, score, first_date, last_date")
def cooperation_network(data: OfflineData, p: dict[str, Any]) -> list[Row]:
    partners: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for a in match_actors(data.graph, p["actor"]):
        for _s, _o, k, d, other in data.incident(a):
            if d["weight"] > 0 and d["modality"] != "denied":
                partners[other].append((k, d))
    rows = []
    for partner, rels in partners.items():
        rels.sort(key=lambda r: r[0])
        article_ids: set[str] = set()
        score = 0.0
        for _k, d in rels:
            article_ids.update(d["article_ids"])
            score += edge_score(d)
        rows.append([partner, data.name(partner), data.type(partner), sorted({k for k, _ in rels}), len(article_ids),
                     cypher_round(score), _min([d["first_date"] for _, d in rels]),
                     _max([d["last_date"] for _, d in rels])])
    _order(rows, (_col(5), True), *_asc(1, 0))
    return _limit(rows, p["limit"])


@_query("shortest_paths", "hops, path, nodes, relations")
def shortest_paths(data: OfflineData, p: dict[str, Any]) -> list[Row]:
    g = data.graph
    rows = []
    for a in match_actors(g, p["from"]):
        for b in match_actors(g, p["to"]):
            for path in shortest_relation_paths(g, a, b, max_hops=6):
                names = [data.name(n) for n in path.nodes]
                rows.append([path.hops, path_text(names, path.steps), names, [s.type for s in path.steps]])
    _order(rows, *_asc(0, 1))
    return _limit(rows, p["limit"])


@_query("actor", "actor_id, actor, relation, direction, other_id, other, other_type, modality, times, articles, "
                 "first_date, last_date, inferred")
def actor(data: OfflineData, p: dict[str, Any]) -> list[Row]:
    rows = []
    for a in match_actors(data.graph, p["actor"]):
        for s, _o, k, d, other in data.incident(a):
            rows.append([a, data.name(a), k, direction(k, s, a), other, data.name(other), data.type(other),
                         d["modality"], d["count"], len(d["article_ids"]), d["first_date"], d["last_date"],
                         d["inferred"]])
    return _order(rows, *_asc(0, 2, 3, 5, 4))


def _day(ev: dict[str, Any]) -> tuple[str | None, str | None]:
    """A piece of evidence's date (its event date when it has one, else its article's) and ``dated_by``."""
    if ev.get("event_date"):
        return ev["event_date"], "event"
    return ev["date"], None if ev["date"] is None else "published"


@_query("timeline", "date, relation, direction, other, sentence, modality, other_id, article_id, dated_by")
def timeline(data: OfflineData, p: dict[str, Any]) -> list[Row]:
    rows = []
    window = DateWindow(p["since"], p["until"])
    for a in match_actors(data.graph, p["actor"]):
        for s, o, k, d, other in data.incident(a):
            for ev in data.evidence(s, o, k, d):
                day, dated_by = _day(ev)
                if window.contains(day):
                    rows.append([day, k, direction(k, s, a), data.name(other), ev["sentence"], ev["modality"], other,
                                 ev["article_id"], dated_by, ev["start"]])
    _order(rows, *_asc(0, 7, 9, 1, 6))
    return [r[:-1] for r in rows]


@_query("contested", "relation, subject_id, subject, object_id, object, side, claimant_id, claimant, date, dated_by, "
                     "article_id, sentence")
def contested(data: OfflineData, p: dict[str, Any]) -> list[Row]:
    g = data.graph
    rows = []
    for s, o, k, d in g.edges(keys=True, data=True):
        if not d.get("contested"):
            continue
        for ev in data.evidence(s, o, k, d):
            who = ev["claimed_by"] or ""
            day, dated_by = _day(ev)
            rows.append([k, s, data.name(s), o, data.name(o), ev["modality"], who,
                         data.name(who) if who in g else who, day, dated_by, ev["article_id"], ev["sentence"],
                         ev["start"]])
    _order(rows, *_asc(0, 1, 3, 5, 6, 8, 10, 12))
    return [r[:-1] for r in _limit(rows, p["limit"])]


@_query("evidence", "date, relation, modality, sentence, title, source, url, article_id, subject_id, object_id, "
                    "start, end, rule, confidence")
def evidence(data: OfflineData, p: dict[str, Any]) -> list[Row]:
    g, wanted = data.graph, p["type"]
    rows = []
    for s in match_actors(g, p["subject"]):
        for o in match_actors(g, p["object"]):
            between = [(s, o, k, d) for k, d in g.get_edge_data(s, o, default={}).items()]
            if s != o:
                between += [(o, s, k, d) for k, d in g.get_edge_data(o, s, default={}).items()]
            for start, end, k, d in between:
                if (wanted is not None and k != wanted) or (start != s and k not in SYMMETRIC):
                    continue
                for ev in data.evidence(start, end, k, d):
                    art = data.article(ev["article_id"])
                    rows.append([art["date"], k, ev["modality"], ev["sentence"], art["title"], art["source"],
                                 art["url"], art["id"], start, end, ev["start"], ev["end"], ev["rule"],
                                 ev["confidence"]])
    return _order(rows, *_asc(0, 7, 10, 1, 8, 9))


@_query("new_relations", "actor_id, actor, actor_type, new_relations, relations, event_dated")
def new_relations(data: OfflineData, p: dict[str, Any]) -> list[Row]:
    counts: dict[str, int] = defaultdict(int)
    by_event: dict[str, int] = defaultdict(int)
    types: dict[str, set[str]] = defaultdict(set)
    for u, v, k, d in data.graph.edges(keys=True, data=True):
        if d["first_date"] is None or not DateWindow(p["since"], p["until"]).contains(d["first_date"]):
            continue
        for end in (u, v) if u != v else (u,):
            counts[end] += 1
            types[end].add(k)
            by_event[end] += d.get("dated_by") in ("event", "mixed")
    rows = [[a, data.name(a), data.type(a), n, sorted(types[a]), by_event[a]] for a, n in counts.items()]
    _order(rows, (_col(3), True), *_asc(1, 0))
    return _limit(rows, p["limit"])


@_query("dyads", "a_id, a, b_id, b, friendly, hostile, net, stance, relations")
def dyads(data: OfflineData, p: dict[str, Any]) -> list[Row]:
    pairs: dict[tuple[str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for u, v, k, d in data.graph.edges(keys=True, data=True):
        if u != v and d["weight"] != 0 and d["modality"] != "denied":
            pairs[(u, v) if u < v else (v, u)].append((k, d))
    stance_wanted = p["stance"]
    rows = []
    for (x, y), rels in pairs.items():
        rels.sort(key=lambda r: r[0])
        scores = [edge_score(d) for _k, d in rels]
        friendly, hostile, net, stance = stance_of(sum(v for v in scores if v > 0), sum(v for v in scores if v < 0))
        if stance_wanted != "both" and stance != stance_wanted:
            continue
        rows.append([x, data.name(x), y, data.name(y), friendly, hostile, net, stance,
                     sorted({k for k, _ in rels})])
    by_stance = {"hostile": lambda r: r[6], "friendly": lambda r: -r[6]}.get(stance_wanted, lambda r: -abs(r[6]))
    _order(rows, (by_stance, False), *_asc(1, 3, 0, 2))
    return _limit(rows, p["limit"])


# -- running ---------------------------------------------------------------------
def run_offline(source: Store | OfflineData, query: SavedQuery, params: dict[str, Any]) -> QueryResult:
    """Answer a saved query from the embedded store: the same columns and rows as on Neo4j.

    Raises :class:`InputError` for a query with no offline implementation, or whose
    ``// columns:`` header no longer matches it.
    """
    impl = OFFLINE_QUERIES.get(query.name)
    if impl is None:
        raise InputError(f"query '{query.name}' has no offline implementation; run it on Neo4j "
                         "(set NEO4J_URI or pass --uri)")
    if impl.columns != query.columns:
        raise InputError(f"{query.path}: columns {', '.join(query.columns)} differ from the offline "
                         f"implementation's ({', '.join(impl.columns)}); run it on Neo4j (--backend neo4j)")
    data = source if isinstance(source, OfflineData) else OfflineData.on_store(source)
    return QueryResult(list(impl.columns), impl.run(data, dict(params)))
