"""A state's own institutions named after it: its armed forces and its government bodies.

ONTOLOGY conventions: "the Sudanese army" is an Organization (the country's military as an
institution), not Sudan; "the Polish Foreign Ministry" is an Organization whose officials
represent both the ministry and Poland, and whose unnamed spokesman acts for Poland.  The
words that make such a name (``military_heads``, ``state_body_words``) are in
``graphbuild/data/rules/actors.yaml``.
"""

from __future__ import annotations

from ..ontology import canonical_id
from .analysis import DocState
from .gazetteer import Gazetteer
from .mentions import Span
from .rules import ActorRules

__all__ = ["institutions", "body_country"]


def institutions(state: DocState, gazetteer: Gazetteer, title_words: frozenset[str]) -> list[Span]:
    """Organization spans for "<state> army/military" and "<state> <Ministry/Office ...>" phrases."""
    doc = state.doc
    actors = state.rules.actors
    out: list[Span] = []
    for span in state.spans:
        if span.type != "Country" or span.kind not in ("demonym", "name"):
            continue
        military = _military_end(state, span, actors)
        end = military or _body_end(state, span, actors, title_words)
        if end is None:
            continue
        text = doc[span.start:end].text
        eid = canonical_id("Organization", text)
        entry = gazetteer.get(eid)
        body = Span(span.start, end, "Organization", "name", entry.id if entry is not None else eid, text, "rule")
        if military is None and span.entity_id.startswith("country:"):
            state.body_states[body.entity_id] = span.entity_id  # a government body: its officials act for the state
        out.append(body)
    return out


def _military_end(state: DocState, span: Span, actors: ActorRules) -> int | None:
    """End of "the Sudanese army", "Mali's military" (the army's head word is the demonym's head)."""
    doc = state.doc
    root = doc[span.start:span.end].root
    head = root.head
    if root.dep_ not in ("amod", "compound", "nmod", "poss") or head.i <= root.i:
        return None
    end = head.i + 1
    words = doc[span.end:end].text.lower().replace("’", "'").removeprefix("'s ").strip()
    if head.lower_ not in actors.military_heads and words not in actors.military_heads:
        return None
    if any(i in state.token_span for i in range(span.end, end)):
        return None  # "Russian military intelligence" or a named force: not the bare army
    return end


def _body_end(state: DocState, span: Span, actors: ActorRules, title_words: frozenset[str]) -> int | None:
    """End of "the Chilean Foreign Ministry", "Indonesia's Ministry of Foreign Affairs"."""
    doc = state.doc
    bodies = actors.state_body_words
    j = span.end + (1 if span.end < len(doc) and doc[span.end].lower_ in ("'s", "’s") else 0)
    end, head = j, None
    def free(i: int) -> bool:  # a model's guess does not block a body's name; a gazetteer name does
        return i not in state.token_span or state.token_span[i].source == "ner"

    while end < len(doc) and end - j < 6 and free(end):
        word = doc[end].lower_
        if word in bodies:
            head = end
        elif not (doc[end].is_title or word in ("of", "and", "foreign", "defence", "defense") or word in title_words):
            break
        end += 1
    if head is None:
        return None
    end = head + 1  # "Ministry of Foreign Affairs": the of-phrase after the head belongs to it
    while end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end + 1].is_title and free(end + 1):
        end += 2
        while end < len(doc) and (doc[end].is_title or doc[end].lower_ == "and") and free(end):
            end += 1
    while doc[end - 1].lower_ in ("of", "and"):
        end -= 1
    return end


def body_country(gazetteer: Gazetteer, actors: ActorRules, span: Span) -> str | None:
    """The state a government body belongs to: its gazetteer entry's country, or the country or
    demonym that opens its name ("Iraqi Foreign Ministry", "Pakistan Foreign Office")."""
    entry = gazetteer.get(span.entity_id)
    if entry is not None and entry.type == "Organization":
        return entry.country_id if entry.kind == "government" else None
    words = span.text.replace("’", "'").split()
    if len(words) < 2 or not {w.lower() for w in words[1:]} & actors.state_body_words:
        return None
    for n in (3, 2, 1):  # the longest country name or demonym opening the name
        lead = " ".join(words[:n]).removesuffix("'s")
        hits = [e for e in gazetteer.lookup(lead) if e.type == "Country"]
        if hits and n < len(words):
            return hits[0].id
    return None
