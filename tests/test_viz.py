"""``graphbuild viz``: the self-contained graph page, checked as text and in real headless Chromium.

The browser tests (marker ``browser``) drive Debian's ``chromium`` through its
``chromedriver`` with Selenium; ``bash scripts/test`` installs both.  They are
never skipped: without the browser they fail and say how to install it.
Override the paths with ``GRAPHBUILD_TEST_CHROMIUM`` / ``GRAPHBUILD_TEST_CHROMEDRIVER``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from graphbuild import cli
from graphbuild.graph import build_graph
from graphbuild.sinks import viz
from graphbuild.store import DateWindow
from graphdata import NASTY_NAME, NASTY_TITLE, build_fixture_store

runner = CliRunner()

CHROMIUM = Path(os.environ.get("GRAPHBUILD_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("GRAPHBUILD_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"))
VIZ_DATA = Path(viz.__file__).resolve().parent.parent / "data" / "viz"

HOSTILE_NAME = "</script><script>window.pwned=1</script><!-- <img src=x onerror=\"window.pwned=2\">"
HOSTILE_ALIAS = "line\u2028sep\u2029para & \"q\" 'a' \\ \x00 \U0001F680 \u200fרוסיה"
HOSTILE_TITLE = "</title><script>window.pwned=3</script>"


# -- fixtures ------------------------------------------------------------------------
@pytest.fixture
def fixture_graph(tmp_path):
    store = build_fixture_store(tmp_path / "g.db")
    try:
        yield build_graph(store), list(store.article_rows()), store
    finally:
        store.close()


def hostile_graph() -> tuple[nx.MultiDiGraph, list[dict]]:
    g = nx.MultiDiGraph()
    g.add_node("loc:evil", type="Location", name=HOSTILE_NAME, aliases=[HOSTILE_ALIAS], iso3=None)
    g.add_node("country:RUS", type="Country", name="Russia", aliases=["Moscow"], iso3="RUS")
    g.add_edge("loc:evil", "country:RUS", key="LOCATED_IN", type="LOCATED_IN", modality="possible",
               modalities=["possible"], count=1, first_date="2024-01-02", last_date="2024-01-02", cameo=None,
               weight=0.0, article_ids=["a</script>"], confidence=0.5, items=[], inferred=False,
               evidence=[{"article_id": "a</script>", "sentence": HOSTILE_NAME + " lies in Russia.\u2028",
                          "start": 0, "end": 10, "rule": "r<!--", "confidence": 0.5, "modality": "possible",
                          "date": "2024-01-02"}])
    articles = [{"id": "a</script>", "title": HOSTILE_TITLE, "date": "2024-01-02",
                 "url": "javascript:window.pwned=4", "source": None}]
    return g, articles


class _Page(HTMLParser):
    """Tags with their attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict | None = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None
        self._in_title = False

    def handle_data(self, data):
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
        elif self._in_title:
            self.title += data


def parse(html_text: str) -> _Page:
    page = _Page()
    page.feed(html_text)
    page.close()
    return page


# -- the page as text ------------------------------------------------------------------
def test_page_loads_nothing_from_outside(fixture_graph):
    graph, articles, _ = fixture_graph
    page = parse(viz.render_html(graph, articles, "t"))
    for tag, attrs in page.tags:
        for name in ("src", "href", "action", "data", "poster", "srcset", "background"):
            value = attrs.get(name)
            assert value is None or value.startswith("data:"), f"<{tag} {name}={value!r}> loads something"
    assert [(a.get("type"), "src" in a) for a, _ in page.scripts] == [("application/json", False), (None, False),
                                                                       (None, False)]
    _, vis_js = page.scripts[1]
    assert "@version " + viz.VIS_NETWORK_VERSION in vis_js and "sourceMappingURL" not in vis_js
    # Outside the licence comments of the library, no http(s) URL appears in the page's markup or script.
    markup = viz.render_html(graph, articles, "t").replace(vis_js, "")
    assert re.findall(r"https?://", markup.replace(page.scripts[0][1], "")) == []
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp and "unsafe-inline" not in csp.split(";")[1]


def test_data_block_round_trips_the_hostile_fixture_strings(fixture_graph):
    graph, articles, _ = fixture_graph
    html_text = viz.render_html(graph, articles, "t")
    page = parse(html_text)
    block = page.scripts[0][1]
    assert not set(block) & {"<", ">", "&", "\u2028", "\u2029"} and block.isascii()
    data = json.loads(block)
    assert data == json.loads(json.dumps(viz.graph_payload(graph, articles)))
    assert len(data["nodes"]) == graph.number_of_nodes() and len(data["edges"]) == graph.number_of_edges()
    names = {n["name"] for n in data["nodes"]}
    assert NASTY_NAME in names
    assert data["articles"]["pyongyang-shells"]["title"] == NASTY_TITLE
    sentences = {ev["sentence"] for e in data["edges"] for ev in e["evidence"]}
    assert any("\x00" in s for s in sentences) and any("\n" in s for s in sentences)
    assert html_text.lower().count("</script") == 3 and html_text.count("<!--") == 1


def test_hostile_names_and_title_are_escaped():
    graph, articles = hostile_graph()
    html_text = viz.render_html(graph, articles, HOSTILE_TITLE)
    for raw in (HOSTILE_NAME, HOSTILE_TITLE, "<script>window.pwned", "<img src=x", "\u2028", "\u2029"):
        assert raw not in html_text
    page = parse(html_text)
    assert page.title == HOSTILE_TITLE  # shown as text, not markup
    data = json.loads(page.scripts[0][1])
    assert data["nodes"][0]["name"] == HOSTILE_NAME and data["nodes"][0]["aliases"] == [HOSTILE_ALIAS]
    assert data["articles"] == {"a</script>": {"title": HOSTILE_TITLE, "date": "2024-01-02",
                                               "url": "javascript:window.pwned=4", "source": None}}


def test_palette_is_the_browser_style(repo_root):
    grass = (repo_root / "cypher" / "style.grass").read_text(encoding="utf-8")
    blocks = dict(re.findall(r"^(node\.\w+|relationship\.\w+) \{(.*?)^\}", grass, re.S | re.M))

    def prop(block: str, name: str) -> str:
        return re.search(rf"^\s*{name}: (#[0-9A-Fa-f]+);", block, re.M).group(1)

    for etype, (fill, border) in viz.NODE_COLORS.items():
        assert (prop(blocks[f"node.{etype}"], "color"), prop(blocks[f"node.{etype}"], "border-color")) == (fill, border)
    for rtype, color in viz.RELATION_COLORS.items():
        assert prop(blocks[f"relationship.{rtype}"], "color") == color


def test_vendored_library_is_the_documented_one():
    lib = (VIZ_DATA / "vis-network.min.js").read_bytes()
    notes = (VIZ_DATA / "VENDORED.md").read_text(encoding="utf-8")
    assert f"vis-network {viz.VIS_NETWORK_VERSION}" in notes
    assert f"sha256: `{hashlib.sha256(lib).hexdigest()}`" in notes
    assert f"size: {len(lib):,} bytes" in notes
    assert b"@version " + viz.VIS_NETWORK_VERSION.encode() in lib[:400]
    assert (VIZ_DATA / "LICENSE-MIT").is_file() and (VIZ_DATA / "LICENSE-APACHE-2.0").is_file()


# -- the command ------------------------------------------------------------------------
def test_cli_viz_writes_the_page_and_reports(tmp_path, fixture_graph):
    graph, _, store = fixture_graph
    out = tmp_path / "site" / "graph.html"
    res = runner.invoke(cli.app, ["viz", "-o", str(out), "--db", str(store.path), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == {"path": str(out), "nodes": graph.number_of_nodes(),
                                      "edges": graph.number_of_edges()}
    assert parse(out.read_text(encoding="utf-8")).title == "graphbuild graph"
    assert [p.name for p in out.parent.iterdir()] == ["graph.html"]  # no temp file left

    since = build_graph(store, DateWindow("2024-01-01", "2024-06-30"))
    res = runner.invoke(cli.app, ["viz", "-o", str(out), "--db", str(store.path), "--since", "2024-01-01",
                                  "--until", "2024-06-30", "--title", "H1 2024 <draft>"])
    assert res.exit_code == 0, res.output
    size = out.stat().st_size
    assert res.stdout == "" and res.stderr == (f"wrote {out} ({since.number_of_nodes()} nodes, {since.number_of_edges()} edges, "
                          f"{size / 1024:.0f} KiB); open it in a browser\n")
    page_text = out.read_text(encoding="utf-8")
    assert parse(page_text).title == "H1 2024 <draft>" and "<draft>" not in page_text
    assert len(json.loads(parse(page_text).scripts[0][1])["edges"]) == since.number_of_edges() < graph.number_of_edges()


def test_cli_viz_errors(tmp_path, fixture_graph):
    _, _, store = fixture_graph
    res = runner.invoke(cli.app, ["viz", "-o", str(tmp_path / "g.html"), "--db", str(store.path), "--since", "May"])
    assert res.exit_code == 1
    assert res.stderr == "error: --since May: expected a date YYYY-MM-DD (or YYYY-MM, YYYY)\n"
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = runner.invoke(cli.app, ["viz", "-o", str(blocker / "g.html"), "--db", str(store.path)])
    assert res.exit_code == 1
    assert res.stderr == f"error: {blocker / 'g.html'}: cannot write the page: {blocker} is not a folder\n"
    res = runner.invoke(cli.app, ["viz", "--db", str(store.path)])
    assert res.exit_code == 2 and "--output" in res.output


# -- the page in headless Chromium ---------------------------------------------------
@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(f"headless Chromium is needed and {', '.join(missing)} is missing: "
                    "`apt-get install -y chromium chromium-driver` (bash scripts/test does it when run as root)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,900",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=str(CHROMEDRIVER)))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver, path: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("about:blank")
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(path.as_uri())
    WebDriverWait(driver, 60).until(
        lambda d: d.execute_script("return !!(window.graphbuildStats && window.graphbuildStats.ready)"))


def console_errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def requested_urls(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def drawn(driver) -> dict:
    return driver.execute_script(
        "const n = window.graphbuildNetwork, s = window.graphbuildStats,"
        " el = document.getElementById('graphbuild-stats');"
        "return {stats: [s.nodes, s.edges], attrs: [+el.dataset.nodes, +el.dataset.edges],"
        " drawn: [n.body.nodeIndices.length, n.body.edgeIndices.length]};")


def click_at(driver, x: float, y: float) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    actions = ActionChains(driver)
    actions.w3c_actions.pointer_action.move_to_location(round(x), round(y)).click()
    actions.perform()


def click_node(driver, node_id: str) -> None:
    x, y = driver.execute_script(
        "const n = window.graphbuildNetwork, r = n.canvas.frame.canvas.getBoundingClientRect();"
        "const p = n.canvasToDOM(n.getPositions([arguments[0]])[arguments[0]]);"
        "return [r.left + p.x, r.top + p.y];", node_id)
    click_at(driver, x, y)


def click_edge(driver, edge_id: str) -> None:
    x, y = driver.execute_script(
        "const n = window.graphbuildNetwork, r = n.canvas.frame.canvas.getBoundingClientRect();"
        "const e = n.body.edges[arguments[0]], p = n.canvasToDOM(e.edgeType.getPoint(0.5));"
        "return [r.left + p.x, r.top + p.y];", edge_id)
    click_at(driver, x, y)


def panel(driver) -> dict:
    return driver.execute_script(
        "const p = document.getElementById('panel');"
        "return {kind: p.dataset.kind, id: p.dataset.id, title: (p.querySelector('h2') || {}).textContent,"
        " text: p.textContent};")


def edge_id(graph: nx.MultiDiGraph, u: str, key: str, v: str) -> str:
    for i, (a, b, k) in enumerate(graph.edges(keys=True)):
        if (a, k, b) == (u, key, v):
            return f"e{i}"
    raise KeyError((u, key, v))


@pytest.mark.browser
def test_page_in_chromium(browser, fixture_graph, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    graph, articles, store = fixture_graph
    t0 = time.perf_counter()
    out = viz.write_html(tmp_path / "graph.html", graph, articles, "Fixture corpus").path
    open_page(browser, out)
    print(f"page {out} ({out.stat().st_size} bytes) ready in {time.perf_counter() - t0:.2f} s")
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    assert drawn(browser) == {"stats": [n, m], "attrs": [n, m], "drawn": [n, m]}
    assert console_errors(browser) == []
    urls = requested_urls(browser)
    assert out.as_uri() in urls  # the log is live ...
    assert [u for u in urls if not u.startswith(("file:", "data:", "blob:"))] == []  # ... and nothing else loads

    # a real click on Putin's node shows his aliases, relations and their evidence with article titles
    click_node(browser, "person:vladimir-putin")
    shown = panel(browser)
    assert (shown["kind"], shown["id"], shown["title"]) == ("node", "person:vladimir-putin", "Vladimir Putin")
    for text in ("Kremlin chief", "Person", "LEADER_OF", "Vladimir Putin met Kim Jong-un at the Vostochny "
                 "Cosmodrome on Wednesday.", "Putin and Kim meet at Vostochny Cosmodrome", "2023-09-13"):
        assert text in shown["text"]
    assert browser.execute_script("return window.graphbuildNetwork.getSelectedNodes()") == ["person:vladimir-putin"]

    # a real click on an edge shows its modality, items and every evidence sentence
    eid = edge_id(graph, "country:PRK", "SUPPLIES_ARMS_TO", "country:RUS")
    click_edge(browser, eid)
    shown = panel(browser)
    assert (shown["kind"], shown["id"]) == ("edge", eid)
    for text in ("asserted, possible", "artillery ammunition", "ballistic missiles", NASTY_TITLE,
                 "Analysts say Pyongyang may supply artillery shells to Moscow.", "2023-10-20"):
        assert text in shown["text"]

    browser.save_screenshot(str(tmp_path / "graph.png"))
    print(f"screenshot: {tmp_path / 'graph.png'}")

    # search by alias (Enter focuses the best match), and by a hostile alias in Hebrew with an RTL mark
    box = browser.find_element(By.ID, "search")
    box.send_keys("kremlin chief", Keys.ENTER)
    assert panel(browser)["title"] == "Vladimir Putin"
    assert browser.execute_script("return window.graphbuildNetwork.getSelectedNodes()") == ["person:vladimir-putin"]
    box.clear()
    box.send_keys("מתקן")
    browser.find_element(By.CSS_SELECTOR, "#search-results button").click()
    assert panel(browser)["title"] == NASTY_NAME

    # relation-type filter: a real click on a checkbox hides that type's edges
    attacks = sum(1 for *_, k in graph.edges(keys=True) if k == "THREATENS")
    browser.find_element(By.ID, "type-THREATENS").click()
    assert drawn(browser)["stats"] == drawn(browser)["drawn"] == [n, m - attacks]
    browser.find_element(By.ID, "types-all").click()
    assert drawn(browser)["drawn"] == [n, m]

    # date filter: the edges left are those `graphbuild viz --since/--until` would draw
    window = build_graph(store, DateWindow("2024-01-01", "2024-06-30"))
    browser.execute_script(
        "for (const [id, v] of [['date-from', '2024-01-01'], ['date-to', '2024-06-30']]) {"
        " const el = document.getElementById(id); el.value = v; el.dispatchEvent(new Event('change')); }")
    assert drawn(browser)["drawn"] == [n, window.number_of_edges()]
    assert browser.find_element(By.ID, "graphbuild-stats").get_attribute("data-edges") == str(window.number_of_edges())
    assert console_errors(browser) == []


@pytest.mark.browser
def test_hostile_page_in_chromium_runs_no_injected_code(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    graph, articles = hostile_graph()
    out = viz.write_html(tmp_path / "hostile.html", graph, articles, HOSTILE_TITLE).path
    open_page(browser, out)
    assert drawn(browser)["drawn"] == [2, 1]
    assert browser.title == HOSTILE_TITLE
    browser.find_element(By.ID, "search").send_keys("sep", Keys.ENTER)
    shown = panel(browser)
    assert shown["title"] == HOSTILE_NAME and HOSTILE_ALIAS in shown["text"]
    click_edge(browser, "e0")
    shown = panel(browser)
    assert shown["kind"] == "edge" and HOSTILE_TITLE in shown["text"]
    # a javascript: article url is shown as text, never as a link
    assert browser.find_elements(By.CSS_SELECTOR, "#panel a") == []
    assert browser.execute_script("return typeof window.pwned") == "undefined"
    assert console_errors(browser) == []
