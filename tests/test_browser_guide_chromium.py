"""Neo4j Browser itself, in headless Chromium, against the test server (issue 16): open Browser,
connect, play graphbuild's guide from ``graphbuild browser``'s server, apply the style from its
title slide, run the first question's ``:params`` line and graph query as a user clicks them, and
save a screenshot.

The Browser is the one the server ships (``neo4j-browser`` jar, served at ``/browser/``); the
guide and the style are served on localhost (Browser's default ``:play`` allow-list); Chromium,
chromedriver and Selenium as in ``tests/test_viz.py`` (marker ``browser``, never skipped).
"""

from __future__ import annotations

import re
import time
import urllib.parse

import pytest
from graphdata import build_fixture_store
from test_viz import browser  # noqa: F401 - the headless Chromium fixture

from graphbuild.sinks import browser as guide
from graphbuild.sinks.neo4j import Neo4jConfig, load_store

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]
WAIT = 90


@pytest.fixture
def loaded_server(neo4j_db, tmp_path):
    """The fixture corpus loaded into the emptied test database; yields its driver."""
    config = Neo4jConfig(uri=neo4j_db.uri, user=neo4j_db.user, password=neo4j_db.password)
    with build_fixture_store(tmp_path / "g.db") as store:
        load_store(store, config, driver=neo4j_db.driver)
    yield neo4j_db.driver


def _visible_runnable(driver, prefix: str):
    from selenium.webdriver.common.by import By

    found = [p for p in driver.find_elements(By.CSS_SELECTOR, "[data-testid=carousel] pre.runnable")
             if p.is_displayed() and p.text.startswith(prefix)]
    assert len(found) == 1, (prefix, [p.text[:40] for p in found])
    return found[0]


def _click_and_run(driver, prefix: str) -> None:
    """Click a runnable block of the guide (Browser puts it in the editor), then the editor's run button."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from selenium.common.exceptions import TimeoutException

    pre = _visible_runnable(driver, prefix)
    first_line = pre.text.splitlines()[0]
    # a click that lands while the carousel still slides is lost: click again until the editor has it
    deadline = time.monotonic() + WAIT
    while True:
        _visible_runnable(driver, prefix).click()
        try:
            WebDriverWait(driver, 10).until(
                lambda d: first_line in d.find_element(By.CSS_SELECTOR, "[data-testid=activeEditor]").text)
            break
        except TimeoutException:
            if time.monotonic() > deadline:
                raise
    frames = len(driver.find_elements(By.CSS_SELECTOR, "[data-testid=frame]"))
    driver.find_element(By.CSS_SELECTOR, "[data-testid=editor-Run]").click()
    WebDriverWait(driver, WAIT).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "[data-testid=frame]")) > frames)


def test_browser_plays_the_guide_and_draws_its_first_query_styled(browser, neo4j_server, loaded_server,  # noqa: F811
                                                                    tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    if not neo4j_server.http_uri:
        pytest.fail("the Browser test needs the server's HTTP address: set GRAPHBUILD_TEST_NEO4J_HTTP_URI "
                    "(bash scripts/test does) or let the tests start their own server")
    server, base = guide.serve("localhost", 0)
    try:
        url = f"{neo4j_server.http_uri}/browser/?" + urllib.parse.urlencode({
            "dbms": neo4j_server.uri, "preselectAuthMethod": "NO_AUTH" if neo4j_server.auth is None else "NATIVE",
            "cmd": "play", "arg": f"{base}/{guide.GUIDE_FILE}"})
        browser.get(url)
        wait = WebDriverWait(browser, WAIT)
        wait.until(lambda d: "Connected to Neo4j" in d.find_element(By.TAG_NAME, "body").text)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=carousel] pre.runnable"))
        carousel = browser.find_element(By.CSS_SELECTOR, "[data-testid=carousel]")
        assert carousel.text.startswith(f"1 / {len(guide.slides()) + 2}\ngraphbuild\n"), carousel.text[:80]

        # The title slide: apply the style (Browser fetches it from the guide server).
        _click_and_run(browser, ":style ")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid=exportGraSSButton]"))
        # The first question: its parameters, then its graph query, as a user clicks them.
        browser.find_element(By.CSS_SELECTOR, "[data-testid=nextSlide]").click()
        wait.until(lambda d: "A way in" in d.find_element(By.CSS_SELECTOR, "[data-testid=carousel]").text)
        _click_and_run(browser, ":params ")
        wait.until(lambda d: '"limit": 25.0' in d.find_element(By.CSS_SELECTOR, "[data-testid=rawParamData]").text)
        _click_and_run(browser, "MATCH ")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "svg g.node"))
        wait.until(lambda d: re.search(r"Displaying \d+ nodes, \d+ relationships",
                                       d.find_element(By.TAG_NAME, "body").text))
        shot = tmp_path / "browser-guide-overview.png"
        browser.save_screenshot(str(shot))
        print(f"screenshot: {shot}")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000

        # What Browser drew is what the query returns: its actors, each sized by its PageRank
        # rank label (80 px top 10, 65 px next 90), each edge captioned by its `label`.
        records, _, _ = loaded_server.execute_query(guide.guide_queries()["overview"].text, {"limit": 25})
        nodes = {n.element_id: n for record in records for n in record["p"].nodes}
        rels = {r.element_id: r for record in records for r in record["p"].relationships}
        status = re.search(r"Displaying (\d+) nodes, (\d+) relationships", browser.find_element(By.TAG_NAME, "body").text)
        assert (int(status.group(1)), int(status.group(2))) == (len(nodes), len(rels))
        radii = [float(c.get_attribute("r")) for c in browser.find_elements(By.CSS_SELECTOR, "svg g.node circle.b-outline")]
        wanted = sorted(40.0 if "Top10" in n.labels else 32.5 if "Top100" in n.labels else 25.0 for n in nodes.values())
        assert sorted(radii) == wanted and wanted.count(40.0) == 10
        # Browser shortens a caption to its edge's length ("THREATENS · po…"): the full one is the d3 datum's.
        captions = browser.execute_script(
            "return Array.from(document.querySelectorAll('svg g.relationship')).map(g => g.__data__.caption)")
        assert {r["label"] for r in rels.values()} <= set(captions)
        assert any(" · " in r["label"] for r in rels.values())  # a modality on the picture, not only types
    finally:
        server.shutdown()
