"""A hand-built corpus for the graph sinks: six articles of Extraction objects, no NLP.

Other suites reuse it::

    from graphdata import build_fixture_store, extra_extraction, changed_extraction
    store = build_fixture_store(tmp_path / "g.db")

What it holds: real-world actors (persons, countries, organizations, places,
weapon classes) in several relation types with all four modalities, symmetric
relations written in both directions, weapons as items, an inferred relation,
dates from September 2023 to July 2024, and nasty strings (quotes, backslashes,
backticks, a ``'})`` fragment, newlines, NUL, emoji, an RTL mark) in names,
aliases, titles, urls and sentences.

Offsets are real: sentences are joined into the article text and every
sentence, mention and evidence carries its exact character span.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from graphbuild.graph.model import aggregate_relations
from graphbuild.models import Article, Entity, Evidence, Extraction, Mention, Relation
from graphbuild.ontology import RELATION_TYPES
from graphbuild.store import Store

__all__ = [
    "ENTITIES",
    "NASTY_NAME",
    "NASTY_TITLE",
    "build_fixture_store",
    "changed_extraction",
    "claims_extraction",
    "expected_graph",
    "extra_extraction",
    "fixture_extractions",
    "neo4j_graph",
]

RTL = "\u200f"
NASTY_NAME = "Site `X` '}) RETURN 1 // \"Q\" \\ end"
NASTY_TITLE = "\"Shells for Moscow\": Pyongyang's arms 'flow' \\ C:\\reports\\n — IISS 🚀"

ENTITIES: dict[str, Entity] = {e.id: e for e in (
    Entity("person:vladimir-putin", "Person", "Vladimir Putin", ("Putin", "Kremlin chief")),
    Entity("person:kim-jong-un", "Person", "Kim Jong-un", ("Kim",)),
    Entity("person:xi-jinping", "Person", "Xi Jinping", ("Xi",)),
    Entity("person:sergei-shoigu", "Person", "Sergei Shoigu", ("Shoigu",)),
    Entity("person:volodymyr-zelensky", "Person", "Volodymyr Zelensky", ("Zelensky",)),
    Entity("person:wang-yi", "Person", "Wang Yi", ()),
    Entity("country:RUS", "Country", "Russia", ("Russian", "Moscow", "the Kremlin"), "RUS"),
    Entity("country:PRK", "Country", "North Korea", ("Pyongyang", "North Korean"), "PRK"),
    Entity("country:UKR", "Country", "Ukraine", ("Kyiv", "Ukrainian"), "UKR"),
    Entity("country:CHN", "Country", "China", ("Beijing", "Chinese"), "CHN"),
    Entity("country:USA", "Country", "United States", ("Washington", "US"), "USA"),
    Entity("country:MLI", "Country", "Mali", ("Bamako",), "MLI"),
    Entity("org:iiss", "Organization", "International Institute for Strategic Studies", ("IISS",)),
    Entity("org:nato", "Organization", "NATO", ("the alliance",)),
    Entity("org:wagner-group", "Organization", "Wagner Group", ("Wagner",)),
    Entity("loc:vostochny-cosmodrome", "Location", "Vostochny Cosmodrome", ("Vostochny",)),
    Entity("loc:site-x-return-1-q-end", "Location", NASTY_NAME, ("מתקן" + RTL + " X",)),
    Entity("weapon:artillery-ammunition", "Weapon", "artillery ammunition", ("artillery shells", "shells")),
    Entity("weapon:ballistic-missiles", "Weapon", "ballistic missiles", ()),
    Entity("weapon:drones", "Weapon", "drones", ()),
    Entity("weapon:anti-tank-missiles", "Weapon", "anti-tank missiles", ()),
)}
#: The actors of :func:`claims_extraction` only (the six articles never name them).
CLAIM_ENTITIES: dict[str, Entity] = {e.id: e for e in (
    Entity("country:GHA", "Country", "Ghana", ("Accra",), "GHA"),
    Entity("country:TGO", "Country", "Togo", ("Lomé",), "TGO"),
    Entity("country:BFA", "Country", "Burkina Faso", (), "BFA"),
    Entity("weapon:armoured-vehicles", "Weapon", "armoured vehicles", ()),
)}


@dataclass
class _Doc:
    """A small builder: sentences -> text with offsets, entities -> mentions, relations -> evidence."""

    id: str
    title: str
    date: str | None
    source: str | None
    url: str | None
    sentences: list[str]
    entity_ids: list[str]
    relations: list[tuple] = field(default_factory=list)
    # (subject, predicate, object, modality, sentence index, rule, confidence[, items[, inferred[,
    #  (claimed_by, event_date, date_precision)]]])

    def build(self) -> Extraction:
        text, spans, pos = "", [], 0
        for i, sentence in enumerate(self.sentences):
            if i:
                text += " "
                pos += 1
            spans.append((pos, pos + len(sentence)))
            text += sentence
            pos += len(sentence)
        article = Article(self.id, text, self.title, self.date, self.url, self.source, origin=f"graphdata#{self.id}")
        ids = list(self.entity_ids)
        for rel in self.relations:
            for eid in (rel[0], rel[2], *(rel[7] if len(rel) > 7 else ())):
                if eid not in ids:
                    ids.append(eid)
        entities = tuple({**ENTITIES, **CLAIM_ENTITIES}[i] for i in ids)
        mentions = _mentions(text, entities)
        relations = []
        for rel in self.relations:
            subj, pred, obj, modality, idx, rule, conf = rel[:7]
            items = tuple(rel[7]) if len(rel) > 7 else ()
            inferred = rel[8] if len(rel) > 8 else False
            claim = tuple(rel[9]) if len(rel) > 9 else ()
            start, end = spans[idx]
            relations.append(Relation(subj, pred, obj, modality,
                                      Evidence(self.id, self.sentences[idx], start, end, rule, conf, *claim),
                                      items, inferred))
        return Extraction(article, entities, mentions, tuple(relations))


def _mentions(text: str, entities: tuple[Entity, ...]) -> tuple[Mention, ...]:
    """Every occurrence of a name or alias, longest first, without overlaps."""
    forms = sorted(((form, e.id) for e in entities for form in {e.name, *e.aliases}), key=lambda f: -len(f[0]))
    taken: list[tuple[int, int]] = []
    found = []
    for form, eid in forms:
        start = text.find(form)
        while start != -1:
            end = start + len(form)
            if all(end <= a or start >= b for a, b in taken):
                taken.append((start, end))
                found.append(Mention(eid, form, start, end))
            start = text.find(form, start + 1)
    return tuple(sorted(found, key=lambda m: (m.start, m.entity_id)))


def _docs() -> list[_Doc]:
    return [
        _Doc(
            "putin-kim-vostochny", "Putin and Kim meet at Vostochny Cosmodrome", "2023-09-13", "Krone",
            "https://example.org/krone/putin-kim?a=1&b='2'",
            [
                "Vladimir Putin met Kim Jong-un at the Vostochny Cosmodrome on Wednesday.",
                "Putin said Russia would help North Korea build satellites.",
                "Kim and Putin held talks for four hours.",
                "Analysts say Pyongyang may supply artillery shells to Moscow.",
                "The Vostochny Cosmodrome lies in the Russian Far East of Russia.",
            ],
            ["person:vladimir-putin", "person:kim-jong-un", "country:RUS", "country:PRK", "loc:vostochny-cosmodrome"],
            [
                ("person:vladimir-putin", "MEETS", "person:kim-jong-un", "asserted", 0, "meet-svo", 0.9),
                ("person:kim-jong-un", "MEETS", "person:vladimir-putin", "asserted", 2, "talks-hold", 0.8),
                ("person:kim-jong-un", "VISITS", "loc:vostochny-cosmodrome", "asserted", 0, "visit-at", 0.6),
                ("country:RUS", "SUPPORTS", "country:PRK", "promised", 1, "help-would", 0.7),
                ("country:PRK", "SUPPLIES_ARMS_TO", "country:RUS", "possible", 3, "supply-may", 0.65,
                 ["weapon:artillery-ammunition"]),
                ("loc:vostochny-cosmodrome", "LOCATED_IN", "country:RUS", "asserted", 4, "lies-in", 0.95),
                ("person:vladimir-putin", "LEADER_OF", "country:RUS", "asserted", 0, "title-leader", 0.5),
                ("country:RUS", "MEETS", "country:PRK", "asserted", 0, "lift-leaders", 0.9, [], True),
            ],
        ),
        _Doc(
            "pyongyang-shells", NASTY_TITLE, "2023-10-20", "IISS \\ Reuters",
            "https://example.org/iiss/shells?q=\"arms\"",
            [
                "North Korea has shipped artillery ammunition and ballistic missiles to Russia, the IISS said.",
                "Washington condemned Pyongyang's \"reckless\" transfers.",
                "The US will impose sanctions on North Korea, officials said.\nA path C:\\reports\\n was cited.",
            ],
            ["org:iiss"],
            [
                ("country:PRK", "SUPPLIES_ARMS_TO", "country:RUS", "asserted", 0, "ship-to", 0.85,
                 ["weapon:artillery-ammunition", "weapon:ballistic-missiles"]),
                ("country:USA", "CRITICIZES", "country:PRK", "asserted", 1, "condemn", 0.8),
                ("country:USA", "SANCTIONS", "country:PRK", "promised", 2, "sanction-will", 0.75),
            ],
        ),
        _Doc(
            "kyiv-strikes", "Missiles hit Kyiv 🚀 overnight", "2023-12-29", "Kyiv Independent", None,
            [
                "Russia launched a massive missile attack on Ukraine overnight 🚀.",
                "Volodymyr Zelensky, the president of Ukraine, denounced Russia.\nHe called it terror.",
                "Moscow could strike Kyiv again, the Kremlin chief hinted.",
            ],
            ["person:volodymyr-zelensky"],
            [
                ("country:RUS", "ATTACKS", "country:UKR", "asserted", 0, "attack-on", 0.95),
                ("country:UKR", "CRITICIZES", "country:RUS", "asserted", 1, "denounce", 0.85),
                ("person:volodymyr-zelensky", "LEADER_OF", "country:UKR", "asserted", 1, "appos-president", 0.9),
                ("country:RUS", "THREATENS", "country:UKR", "possible", 2, "strike-could", 0.6),
            ],
        ),
        _Doc(
            "beijing-talks", "Xi hosts Putin; 'no limits' partnership", "2024-03-05", "Xinhua", "https://example.org/x",
            [
                "Xi Jinping received Vladimir Putin in Beijing.",
                "China and Russia agreed to deepen cooperation and signed an energy agreement.",
                "Chinese Foreign Minister Wang Yi said Beijing has not supplied drones to Russia.",
                f"Officials toured {NASTY_NAME} near Beijing.",
            ],
            ["loc:site-x-return-1-q-end"],
            [
                ("person:xi-jinping", "MEETS", "person:vladimir-putin", "asserted", 0, "receive", 0.85),
                ("country:CHN", "COOPERATES_WITH", "country:RUS", "promised", 1, "cooperation-agree", 0.7),
                ("country:RUS", "SIGNS_AGREEMENT_WITH", "country:CHN", "asserted", 1, "sign-agreement", 0.8),
                ("country:CHN", "SUPPLIES_ARMS_TO", "country:RUS", "denied", 2, "supply-neg", 0.75,
                 ["weapon:drones"]),
                ("person:wang-yi", "REPRESENTS", "country:CHN", "asserted", 2, "title-minister", 0.9),
                ("loc:site-x-return-1-q-end", "LOCATED_IN", "country:CHN", "asserted", 3, "near", 0.4),
            ],
        ),
        _Doc(
            "wagner-mali", "Wagner \u200fin Mali\x00 and Shoigu in Pyongyang", "2024-05-18", "Le Monde", None,
            [
                "Russia delivered drones and anti-tank missiles to Mali, where the Wagner Group operates.",
                "Sergei Shoigu met Kim Jong-un in Pyongyang\x00 on Friday " + RTL + "(quote: \"'})\").",
                "Shoigu, Russia's defence minister, praised the partnership.",
                "Wagner fighters support Bamako's army.",
            ],
            ["org:wagner-group"],
            [
                ("country:RUS", "SUPPLIES_ARMS_TO", "country:MLI", "asserted", 0, "deliver-to", 0.9,
                 ["weapon:drones", "weapon:anti-tank-missiles"]),
                ("person:sergei-shoigu", "MEETS", "person:kim-jong-un", "asserted", 1, "meet-svo", 0.9),
                ("person:sergei-shoigu", "VISITS", "country:PRK", "asserted", 1, "meet-in-place", 0.55),
                ("person:sergei-shoigu", "REPRESENTS", "country:RUS", "asserted", 2, "title-minister", 0.85),
                ("org:wagner-group", "SUPPORTS", "country:MLI", "asserted", 3, "support", 0.7),
            ],
        ),
        _Doc(
            "nato-summit", "NATO summit in Washington", "2024-07-10", "AP", "https://example.org/ap/nato",
            [
                "The United States will send more anti-tank missiles to Ukraine.",
                "Ukraine is not a member of NATO yet, the alliance said.",
                "Washington condemned Russia and Moscow threatened the alliance.",
                "Putin may meet Kim again later this year.",
                "The United States and Ukraine deepened cooperation at the summit.",
            ],
            ["org:nato", "person:vladimir-putin", "person:kim-jong-un"],
            [
                ("country:USA", "SUPPLIES_ARMS_TO", "country:UKR", "promised", 0, "send-will", 0.8,
                 ["weapon:anti-tank-missiles"]),
                ("country:UKR", "MEMBER_OF", "org:nato", "denied", 1, "member-neg", 0.7),
                ("country:USA", "CRITICIZES", "country:RUS", "asserted", 2, "condemn", 0.8),
                ("country:RUS", "THREATENS", "org:nato", "asserted", 2, "threaten", 0.75),
                ("person:vladimir-putin", "MEETS", "person:kim-jong-un", "possible", 3, "meet-may", 0.6),
                ("country:UKR", "COOPERATES_WITH", "country:USA", "asserted", 4, "cooperation", 0.7),
            ],
        ),
    ]


def fixture_extractions() -> list[Extraction]:
    """The six articles, oldest first."""
    return [d.build() for d in _docs()]


def build_fixture_store(path: str | Path) -> Store:
    """Write the six articles into a new store at ``path`` and return it (open; close it when done)."""
    store = Store(path)
    for extraction in fixture_extractions():
        store.write(extraction)
    return store


def extra_extraction() -> Extraction:
    """A seventh, new article: one new entity, one new relation, more evidence on an old one."""
    return _Doc(
        "kim-putin-pyongyang", "Kim and Putin hold a second summit", "2024-08-02", "TASS", None,
        [
            "Kim Jong-un met Putin in Pyongyang for a second summit.",
            "North Korea signed a defence pact with Russia.",
            "Minsk praised the talks.",
        ],
        [],
        [
            ("person:kim-jong-un", "MEETS", "person:vladimir-putin", "asserted", 0, "meet-svo", 0.95),
            ("country:PRK", "SIGNS_AGREEMENT_WITH", "country:RUS", "asserted", 1, "sign-pact", 0.9),
        ],
    ).build()


def claims_extraction() -> Extraction:
    """An eighth article (issue 15's): a claim by Ghana that Togo denies, dated by its weekday, and a
    second outlet's uncontested report of a Togolese visit."""
    return _Doc(
        "ghana-togo-arms", "Ghana says Togo armed Burkina Faso", "2024-05-10", "Test Wire", None,
        [
            "On Tuesday, Ghana said Togo had delivered armoured vehicles to Burkina Faso, which Lomé denied.",
            "Togo's president visited Burkina Faso last month, according to Western officials.",
        ],
        ["country:GHA"],
        [
            ("country:TGO", "SUPPLIES_ARMS_TO", "country:BFA", "asserted", 0, "arms.verb", 0.8,
             ["weapon:armoured-vehicles"], False, ("country:GHA", "2024-05-07", "day")),
            ("country:TGO", "SUPPLIES_ARMS_TO", "country:BFA", "denied", 0, "arms.verb", 0.8,
             ["weapon:armoured-vehicles"], False, ("country:TGO", "2024-05-07", "day")),
            ("country:TGO", "VISITS", "country:BFA", "asserted", 1, "visit", 0.7, [], False,
             ("Western officials", "2024-04", "month")),
        ],
    ).build()


def changed_extraction() -> Extraction:
    """A new version of ``pyongyang-shells``: the sanctions sentence is gone, the arms sentence reworded."""
    return _Doc(
        "pyongyang-shells", NASTY_TITLE + " (updated)", "2023-10-21", "IISS \\ Reuters",
        "https://example.org/iiss/shells?q=\"arms\"",
        [
            "North Korea has shipped millions of artillery shells to Russia, the IISS said.",
            "Washington condemned Pyongyang's \"reckless\" transfers.",
        ],
        ["org:iiss"],
        [
            ("country:PRK", "SUPPLIES_ARMS_TO", "country:RUS", "asserted", 0, "ship-to", 0.9,
             ["weapon:artillery-ammunition"]),
            ("country:USA", "CRITICIZES", "country:PRK", "asserted", 1, "condemn", 0.8),
        ],
    ).build()


# -- what Neo4j must hold ------------------------------------------------------
def _clean(props: dict) -> dict:
    """Neo4j stores no nulls: drop them, and compare lists as lists."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in props.items() if v is not None}


def expected_graph(store: Store) -> dict[str, dict]:
    """The whole Neo4j graph the store should give, as plain dicts (see :func:`neo4j_graph`)."""
    from graphbuild.sinks import cypher as cy

    edges = list(aggregate_relations(store.evidence()))
    evidence = list(cy.evidence_rows(r for e in edges for r in e.evidence))
    names = {e.id: e.name for e in store.entities()}
    articles = {a["id"]: a for a in store.article_rows()}
    ranks = cy.entity_ranks(store)
    rows = [(e, cy.entity_row(e, ranks.get(e.id))) for e in store.entities()]
    graph = {
        "entities": {e.id: {"labels": sorted(["Entity", e.type, *filter(None, [row.pop("rank_label")])]),
                            **_clean(row)} for e, row in rows},
        "articles": {a["id"]: _clean(cy.article_row(a)) for a in store.article_rows()},
        "mentions": {(a, e): c for a, e, c in store.article_entities()},
        "relations": {(e.predicate, e.subject, e.object): _clean(
            {k: v for k, v in cy.edge_row(e, names, articles).items() if k not in ("subject", "object")})
            for e in edges},
        "items": {(e.subject, item, e.key): {"via": e.key, "recipient": e.object, "modality": e.modality,
                                      "label": cy.relation_label(cy.SUPPLIES_ITEM, e.modality)}
                  for e in edges if e.predicate == cy.ARMS for item in e.items if item in names},
        "evidence": {row["id"]: _clean(row) for row in evidence},
        "in_article": {(row["id"], row["article_id"]) for row in evidence},
        "about": {(row["id"], "HAS_SUBJECT", row["subject"]) for row in evidence}
                 | {(row["id"], "HAS_OBJECT", row["object"]) for row in evidence},
    }
    graph["counts"] = {"nodes": len(graph["entities"]) + len(graph["articles"]) + len(graph["evidence"]),
                       "relationships": sum(len(graph[k]) for k in ("relations", "mentions", "in_article", "items",
                                                                     "about"))}
    return graph


def _keyed(pairs, what: str, duplicates: list) -> dict:
    """A dict of ``(key, value)`` pairs; a key seen twice goes to ``duplicates`` (so a test sees it)."""
    out: dict = {}
    for key, value in pairs:
        if key in out:
            duplicates.append((what, key))
        out[key] = value
    return out


def neo4j_graph(driver, database: str = "neo4j") -> dict[str, dict]:
    """Everything in the Neo4j database, in the shape of :func:`expected_graph`: extra labels and
    relationship types show up under ``"other"``, a node or relationship that is there twice under
    ``"duplicates"``, and ``"counts"`` counts every node and relationship, so a test notices them."""
    def rows(query: str, **params) -> list:
        records, _, _ = driver.execute_query(query, params, database_=database)
        return [r.values() for r in records]

    other = rows("MATCH (n) WHERE NOT (n:Entity OR n:Article OR n:Evidence) RETURN labels(n)")
    other += rows("MATCH ()-[r]->() WITH type(r) AS t WHERE NOT t IN $types RETURN t",
                  types=["MENTIONS", "IN_ARTICLE", "HAS_SUBJECT", "HAS_OBJECT", "SUPPLIES_ITEM", *RELATION_TYPES])
    dup: list = []
    graph = {
        "entities": _keyed(((p["id"], {"labels": sorted(labels), **p})
                            for labels, p in rows("MATCH (n:Entity) RETURN labels(n), properties(n)")), "entity", dup),
        "articles": _keyed(((p["id"], p) for (p,) in rows("MATCH (a:Article) RETURN properties(a)")), "article", dup),
        "mentions": _keyed((((a, e), c) for a, e, c in rows(
            "MATCH (a)-[m:MENTIONS]->(e) RETURN a.id, e.id, m.count")), "mention", dup),
        "relations": _keyed((((t, s, o), p) for t, s, o, p in rows(
            "MATCH (s:Entity)-[r]->(o:Entity) WHERE type(r) <> 'SUPPLIES_ITEM' RETURN type(r), s.id, o.id, properties(r)")),
            "relation", dup),
        "items": _keyed((((s, w, p["via"]), p) for s, w, p in rows(
            "MATCH (s:Entity)-[x:SUPPLIES_ITEM]->(w:Entity) RETURN s.id, w.id, properties(x)")), "item", dup),
        "evidence": _keyed(((p["id"], p) for (p,) in rows("MATCH (ev:Evidence) RETURN properties(ev)")),
                           "evidence", dup),
        "in_article": set(_keyed((((e, a), None) for e, a in rows(
            "MATCH (ev)-[:IN_ARTICLE]->(a) RETURN ev.id, a.id")), "in_article", dup)),
        "about": set(_keyed((((e, t, x), None) for e, t, x in rows(
            "MATCH (ev:Evidence)-[r:HAS_SUBJECT|HAS_OBJECT]->(x:Entity) RETURN ev.id, type(r), x.id")), "about", dup)),
        # every node and relationship counted: a duplicate changes the count even where keys collapse it
        "counts": {"nodes": rows("MATCH (n) RETURN count(n)")[0][0],
                   "relationships": rows("MATCH ()-[r]->() RETURN count(r)")[0][0]},
    }
    if dup:
        graph["duplicates"] = dup
    if other:
        graph["other"] = other
    return graph
