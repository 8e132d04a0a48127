"""``--workers``: extraction in worker processes gives the same store, isolates failures, stays bounded."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from itertools import count
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graphbuild.cli import app
from graphbuild.extract import parallel
from graphbuild.extract.parallel import ParallelExtractor, WorkerSetupError
from graphbuild.models import Article, Extraction, InputProblem
from graphbuild.pipeline import ingest
from graphbuild.store import Store
from storedump import dump

pytestmark = pytest.mark.model

runner = CliRunner()


def test_workers_store_exactly_what_one_process_stores(repo_root, tmp_path):
    corpus = repo_root / "tests" / "fixtures" / "eval" / "heldout.jsonl"  # 10 articles -> 5 batches of 2
    runs = {}
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        res = runner.invoke(app, ["ingest", str(corpus), "--db", str(db), "--workers", str(workers),
                                  "--batch-size", "2", "--json"])
        assert res.exit_code == 0, res.output
        runs[workers] = json.loads(res.stdout)
        assert runs[workers]["articles"] == {"new": 10, "replaced": 0, "unchanged": 0, "failed": 0}
    assert runs[1]["extraction"] == "in-process" and runs[2]["extraction"] == "2 workers"
    assert runs[1]["entities"] == runs[2]["entities"] and runs[1]["relations"] == runs[2]["relations"] > 100
    one, two = dump(tmp_path / "w1.db"), dump(tmp_path / "w2.db")
    assert len(one["relations"]) == runs[1]["relations"]
    assert one == two


def test_one_batch_is_extracted_in_process(repo_root, tmp_path):
    res = runner.invoke(app, ["ingest", str(repo_root / "seeds"), "--db", str(tmp_path / "s.db"), "--workers", "2",
                              "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["extraction"] == "in-process"


def test_workers_option_is_validated(tmp_path):
    res = runner.invoke(app, ["ingest", str(tmp_path), "--workers", "0"])
    assert res.exit_code == 2 and "--workers" in res.output


def kill_on_marker(articles: list[Article]):
    """Worker fault injection: a text with KILLWORKER kills the worker process outright (like a segfault)."""
    if any("KILLWORKER" in a.text for a in articles):
        os._exit(7)
    return parallel._work(articles)


def fail_setup(articles: list[Article]):
    """Worker fault injection: the worker could not build its extractor."""
    raise WorkerSetupError("no spaCy English model installed (test)")


def article(i: int, text: str | None = None) -> Article:
    text = text or f"Report {i}\n\nFrance and Germany agreed to cooperate on defence, officials said on day {i}."
    return Article(id=f"a{i}", text=text, origin=f"feed.jsonl:{i}")


def test_a_dead_worker_costs_only_its_article_and_order_is_kept():
    texts = {5: "Report 5\n\nKILLWORKER France met Germany."}
    batches = [[article(i, texts.get(i)) for i in (2 * b, 2 * b + 1)] for b in range(6)]
    ex = ParallelExtractor(workers=2, batch_size=2, work=kill_on_marker)
    got = [(a.id, o) for batch, outs in ex.extract_batches(batches) for a, o in zip(batch, outs, strict=True)]
    assert ex.mode == "2 workers"
    assert [aid for aid, _ in got] == [f"a{i}" for i in range(12)]
    failed = {aid: o.reason for aid, o in got if isinstance(o, InputProblem)}
    assert failed == {"a5": "extraction failed: the worker process died on this article"}
    ok = [o for _, o in got if isinstance(o, Extraction)]
    assert len(ok) == 11
    assert all({(r.subject, r.predicate, r.object) for r in o.relations} >= {("country:DEU", "COOPERATES_WITH",
                                                                                "country:FRA")} for o in ok)


def test_a_pool_broken_between_batches_loses_nothing(monkeypatch):
    """A worker may die while the parent hands out the next batch: the pool then refuses it at once
    (``submit`` raises), and that batch is redone like the others, not raised to the caller."""
    made = count()
    real_pool = ParallelExtractor._pool

    class RefusesThird:
        def __init__(self, pool):
            self.pool, self.calls = pool, count()

        def submit(self, fn, *args):
            if next(self.calls) == 5:  # the first submit after a batch came back
                raise parallel.BrokenProcessPool("a child process terminated abruptly")
            return self.pool.submit(fn, *args)

        def __getattr__(self, name):
            return getattr(self.pool, name)

    def pool(self, workers=None):
        real = real_pool(self, workers)
        return RefusesThird(real) if next(made) == 0 else real

    monkeypatch.setattr(ParallelExtractor, "_pool", pool)
    ex = ParallelExtractor(workers=2, batch_size=1)
    got = [(a.id, o) for batch, outs in ex.extract_batches([[article(i)] for i in range(8)])
           for a, o in zip(batch, outs, strict=True)]
    assert ex.mode == "2 workers"
    assert [aid for aid, _ in got] == [f"a{i}" for i in range(8)]
    assert all(isinstance(o, Extraction) for _, o in got)


def test_input_is_read_a_few_batches_ahead_not_all():
    pulled = count()

    def endless():
        for i in count():
            next(pulled)
            yield [article(i)]

    ex = ParallelExtractor(workers=2, batch_size=1)
    stream = ex.extract_batches(endless())
    for _ in range(3):
        next(stream)
    stream.close()  # shuts the pool down
    assert next(pulled) <= 3 + 2 * 2 + 1


def test_a_worker_that_cannot_start_stops_the_run_with_its_message(tmp_path):
    store = Store(tmp_path / "x.db")
    arts = [article(i) for i in range(8)]
    with pytest.raises(WorkerSetupError, match="no spaCy English model installed"):
        ingest(arts, store, ParallelExtractor(workers=2, batch_size=2, work=fail_setup), batch_size=2)
    assert store.stats()["articles"] == 0
    store.close()


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                kids = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            todo += kids
            found.update(kids)
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_workers_leave_when_the_ingest_process_is_killed(repo_root, tmp_path):
    rows = [json.loads(line) for line in
            (repo_root / "tests" / "fixtures" / "eval" / "heldout.jsonl").read_text(encoding="utf-8").splitlines()]
    corpus = tmp_path / "many.jsonl"
    corpus.write_text("".join(json.dumps(r | {"id": f"{r['id']}-{k}"}) + "\n" for k in range(5) for r in rows),
                      encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "graphbuild", "ingest", str(corpus), "--db", str(tmp_path / "k.db"),
                             "--workers", "2", "--batch-size", "1", "--json"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(kids := descendants(proc.pid)) < 3:  # the fork server and two workers
            assert proc.poll() is None and time.monotonic() < deadline, "workers never started"
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 20
    while (left := [k for k in kids if alive(k)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left == [], f"worker processes outlived the killed ingest: {left}"


@pytest.mark.parametrize("when", ["starting", "working"])
def test_ctrl_c_in_a_workers_ingest_is_one_line_and_leaves_no_worker(repo_root, tmp_path, when):
    """Ctrl-C goes to the whole process group (as from a terminal): while the workers load the model
    ("starting"), or once they extract ("working"); only the parent answers, with one line."""
    rows = [json.loads(line) for line in
            (repo_root / "tests" / "fixtures" / "eval" / "heldout.jsonl").read_text(encoding="utf-8").splitlines()]
    corpus = tmp_path / "many.jsonl"
    corpus.write_text("".join(json.dumps(r | {"id": f"{r['id']}-{k}"}) + "\n" for k in range(20) for r in rows),
                      encoding="utf-8")
    db = tmp_path / "c.db"
    proc = subprocess.Popen([sys.executable, "-m", "graphbuild", "ingest", str(corpus), "--db", str(db),
                             "--workers", "2", "--batch-size", "1", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            # as from a shell: Ctrl-C at its default, whatever this test process inherited
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    kids: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        # two workers inside their initializer (importing spaCy: 30 MB past the fork server they were
        # forked from, which preloads the CLI's modules), or already extracting
        while True:
            kids |= descendants(proc.pid)
            servers = [k for k in _children(proc.pid) if _is_fork_server(k)]
            workers = [w for server in servers for w in descendants(server)]
            base = max((_rss_mb(server) for server in servers), default=0)
            if len(workers) >= 2 and all(_rss_mb(w) > base + 30 for w in workers) and \
                    (when == "starting" or _committed(db)):
                break
            assert proc.poll() is None and time.monotonic() < deadline, "workers never started"
            time.sleep(0.05)
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert (proc.returncode, out, err) == (130, "", "interrupted: everything committed so far is kept\n")
    deadline = time.monotonic() + 20
    while (left := [k for k in kids if alive(k)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left == [], f"worker processes outlived the interrupted ingest: {left}"


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


def _is_fork_server(pid: int) -> bool:
    try:
        return b"multiprocessing.forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _rss_mb(pid: int) -> int:
    """A process's resident memory in MB (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) // 1024 for line in status.splitlines() if line.startswith("VmRSS:")), 0)


def _committed(db: Path) -> bool:
    """True once the ingest has committed an article (so the workers are extracting)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
        try:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
        finally:
            con.close()
    except sqlite3.Error:
        return False


def _loop_on_marker() -> None:
    """Make the relation step spin forever on a text with LOOPFOREVER (a stand-in for a rule bug)."""
    import graphbuild.extract.engine as engine

    if getattr(engine, "_test_looping", False):
        return
    original = engine.find_relations

    def looping(state):
        if "LOOPFOREVER" in state.doc.text:
            while True:
                pass
        return original(state)

    engine.find_relations = looping
    engine._test_looping = True


def loop_in_worker(articles: list[Article]):
    """Worker fault injection: the relation step loops on LOOPFOREVER, under the worker's real time limit."""
    _loop_on_marker()
    return parallel._work(articles)


def test_an_article_that_never_finishes_fails_alone_in_a_worker():
    texts = {3: "Report 3\n\nLOOPFOREVER France met Germany."}
    batches = [[article(i, texts.get(i)) for i in (2 * b, 2 * b + 1)] for b in range(4)]
    ex = ParallelExtractor(workers=2, batch_size=2, time_limit=1, work=loop_in_worker)
    got = [(a.id, o) for batch, outs in ex.extract_batches(batches) for a, o in zip(batch, outs, strict=True)]
    assert [aid for aid, _ in got] == [f"a{i}" for i in range(8)]
    assert {aid: o.reason for aid, o in got if isinstance(o, InputProblem)} == {
        "a3": "extraction of this article stopped after 1 s (the per-article time limit); "
              "please report this article as a bug"}


def test_an_article_that_never_finishes_fails_alone_in_process(tmp_path, monkeypatch):
    import graphbuild.extract.engine as engine

    monkeypatch.setattr(engine, "_test_looping", False, raising=False)
    monkeypatch.setattr(engine, "find_relations", engine.find_relations)  # restored after the test
    _loop_on_marker()
    store = Store(tmp_path / "t.db")
    arts = [article(0), article(1, "Report 1\n\nLOOPFOREVER France met Germany."), article(2)]
    report = ingest(arts, store, ParallelExtractor(workers=1, time_limit=0.5), batch_size=8)
    assert [str(p) for p in report.problems] == [
        "feed.jsonl:1: extraction of this article stopped after 0.5 s (the per-article time limit); "
        "please report this article as a bug"]
    assert report.count("new") == 2 and store.stats()["articles"] == 2
    store.close()


INVENTED = [
    {"id": "inv-1", "title": "Chile and Peru talk trade",
     "text": "Chilean President Ricardo Montalvo met Peruvian Foreign Minister Elena Vargas in Lima on Monday."},
    {"id": "inv-2", "title": "Montalvo criticises Bolivia",
     "text": "President Montalvo condemned Bolivia on Tuesday. Bolivia rejected the remarks."},
    {"id": "inv-3", "title": "Vargas in Santiago",
     "text": "Vargas visited Chile on Wednesday."},
]


def test_any_order_and_any_workers_give_the_same_graph(repo_root, tmp_path):
    """Names resolve across articles to the same entities whatever the order and the worker count."""
    import random

    from identity_helpers import snapshot

    lines = (repo_root / "tests" / "fixtures" / "eval" / "heldout.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(x) for x in lines if x.strip()] + INVENTED
    snaps = []
    for n, (workers, batch) in enumerate([(1, 3), (2, 2), (1, 13)]):
        random.Random(n).shuffle(records)
        src = tmp_path / f"in{n}.jsonl"
        src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        res = runner.invoke(app, ["ingest", str(src), "--db", str(tmp_path / f"o{n}.db"), "--workers", str(workers),
                                  "--batch-size", str(batch), "--json"])
        assert res.exit_code == 0, res.output
        snaps.append(snapshot(tmp_path / f"o{n}.db"))
    assert snaps[0] == snaps[1] == snaps[2]
    rels = snaps[0]["relations"]
    assert ("inv-2", "person:ricardo-montalvo", "CRITICIZES", "country:BOL") in rels
    assert ("inv-3", "person:elena-vargas", "VISITS", "country:CHL") in rels


def test_a_worker_ignores_ctrl_c_once_set_up(tmp_path):
    """What the Ctrl-C test cannot always see (the parent ends the workers before they print): a worker's
    set-up leaves SIGINT ignored, in a process that starts with it at its default."""
    code = ("import os, signal\n"
            "from graphbuild.extract.parallel import _init_worker\n"
            "_init_worker(os.getpid(), (), 1, None)\n"
            "print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert (res.returncode, res.stdout) == (0, "True\n"), res.stderr
