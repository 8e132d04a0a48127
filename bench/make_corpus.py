"""Make N realistic articles offline by recombining sentences with varied actors.

    python bench/make_corpus.py N OUT.jsonl [--seed S]

Sentences come from seeds/, the test fixtures' gold files and, when ../shared is
beside the checkout, the dev set; every country name, demonym and person name in a
sentence is swapped for a random one (countries and demonyms from the packaged
gazetteer, persons made up), so the extractor sees varied actors and the graph
grows like a real corpus. Deterministic for a given seed; streamed to disk.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

FIRST = ["Amina", "Boris", "Chen", "Dilnoza", "Elena", "Farid", "Gustavo", "Hana", "Ivan", "Jamal", "Kenji",
         "Leila", "Marta", "Nikolai", "Olga", "Pedro", "Qasim", "Rania", "Sergei", "Tariq", "Usha", "Viktor",
         "Wei", "Yusuf", "Zainab"]
LAST = ["Abadi", "Barros", "Costa", "Demir", "Eriksen", "Fofana", "Garcia", "Haddad", "Ivanov", "Jensen",
        "Kovacs", "Lindqvist", "Mensah", "Novak", "Okafor", "Petrov", "Qureshi", "Rahman", "Sato", "Tanaka",
        "Usmani", "Vargas", "Weber", "Yilmaz", "Zhou"]


def source_sentences() -> list[str]:
    """Sentences of the seed article, fixture gold files and (if present) the dev set."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
    golds = sorted((REPO / "tests" / "fixtures" / "eval").glob("*.jsonl"))
    dev = REPO.parent / "shared" / "eval" / "dev.jsonl"
    if dev.exists():
        golds.append(dev)
    for path in golds:
        texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    out: list[str] = []
    for text in texts:
        for para in text.split("\n"):
            out += [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", para) if len(s.split()) >= 6]
    return out


def build(n: int, out: Path, seed: int = 7) -> int:
    """Write ``n`` articles to ``out`` (JSON Lines); returns the number of words written."""
    from graphbuild.extract.gazetteer import Gazetteer

    rng = random.Random(seed)
    gaz = Gazetteer.load()
    countries = [e for e in gaz.entries("Country") if e.sovereign and e.demonyms]
    names = sorted({e.name for e in countries} | {d for e in countries for d in e.demonyms[:1]}, key=len,
                   reverse=True)
    by_surface = {e.name: ("name", e) for e in countries} | {e.demonyms[0]: ("demonym", e) for e in countries}
    pattern = re.compile(r"\b(" + "|".join(re.escape(x) for x in names) + r")\b")
    person = re.compile(r"\b([A-Z][a-z]+) ([A-Z][a-z]+(?:-[a-z]+)?)\b(?= (?:said|told|met|visited|says))")
    sentences = source_sentences()
    words = 0
    with out.open("w", encoding="utf-8") as fh:
        for i in range(n):
            swap: dict[str, str] = {}

            def repl(m: re.Match) -> str:
                kind, entry = by_surface[m.group(1)]
                new = swap.setdefault(entry.id, rng.choice(countries).id)
                other = gaz.get(new)
                return other.name if kind == "name" else other.demonyms[0]

            body = []
            for _ in range(rng.randint(8, 15)):
                s = pattern.sub(repl, rng.choice(sentences))
                s = person.sub(lambda m: f"{rng.choice(FIRST)} {rng.choice(LAST)}", s)
                body.append(s)
            title = body[0][:90].rstrip(" ,.;")
            text = title + "\n\n" + " ".join(body)
            words += len(text.split())
            date = f"20{rng.randint(15, 25):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            fh.write(json.dumps({"id": f"bench-{seed}-{i}", "title": title, "date": date, "source": "bench",
                                 "text": text}, ensure_ascii=False) + "\n")
    return words


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    words = build(args.n, args.out, args.seed)
    print(f"wrote {args.n} articles, {words} words to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
