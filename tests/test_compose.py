"""What can be tested of the Docker setup without Docker: the compose file, the env example,
the Browser style and the README section for Neo4j."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
import yaml

from graphbuild.ontology import ENTITY_TYPES, RELATION_TYPES
from graphbuild.queries import load_catalogue


@pytest.fixture(scope="module")
def neo4j_service(repo_root):
    data = yaml.safe_load((repo_root / "docker-compose.yml").read_text(encoding="utf-8"))
    return data["services"]["neo4j"]


def _test_server_line(repo_root) -> str:
    """major.minor of the Neo4j the test server provisions (scripts/neo4j/pom.xml)."""
    root = ET.parse(repo_root / "scripts" / "neo4j" / "pom.xml").getroot()
    version = root.find("{http://maven.apache.org/POM/4.0.0}properties/{http://maven.apache.org/POM/4.0.0}neo4j.version")
    return ".".join(version.text.split(".")[:2])


def test_compose_uses_the_tested_neo4j_line(neo4j_service, repo_root):
    line = _test_server_line(repo_root)
    assert line == "5.26"
    assert re.fullmatch(rf"neo4j:{re.escape(line)}(\.\d+)?(-community)?", neo4j_service["image"])


def test_compose_ports_are_bolt_and_http_on_localhost_only(neo4j_service):
    assert sorted(neo4j_service["ports"]) == ["127.0.0.1:7474:7474", "127.0.0.1:7687:7687"]


def test_compose_password_comes_from_the_env_file(neo4j_service, repo_root):
    auth = neo4j_service["environment"]["NEO4J_AUTH"]
    assert auth.startswith("neo4j/${NEO4J_PASSWORD")
    # The image turns every NEO4J_* variable into a setting: .env must not be passed wholesale.
    assert "env_file" not in neo4j_service
    env = dict(line.split("=", 1) for line in (repo_root / ".env.example").read_text().splitlines()
               if line and not line.startswith("#"))
    assert len(env["NEO4J_PASSWORD"]) >= 8
    assert env["NEO4J_URI"] == "bolt://localhost:7687" and env["NEO4J_USER"] == "neo4j"
    assert ".env" in (repo_root / ".gitignore").read_text().splitlines()


def test_compose_volumes_and_healthcheck(neo4j_service):
    targets = {v.split(":")[1] for v in neo4j_service["volumes"]}
    assert targets == {"/data", "/logs", "/import"}
    test = " ".join(neo4j_service["healthcheck"]["test"])
    assert "wget" in test and "7474" in test and "curl" not in test


def _grass_blocks(text: str) -> dict[str, dict[str, str]]:
    """Parse grass like Browser does: selector { key: value; ... }, braces inside quotes are text."""
    blocks, selector, buf, in_string = {}, None, "", False
    for ch in text:
        if ch == '"':
            in_string = not in_string
        if in_string or ch not in "{}":
            buf += ch
        elif ch == "{":
            selector, buf = buf.strip(), ""
        else:
            blocks[selector] = {k.strip(): v.strip() for k, _, v in
                                (item.partition(":") for item in buf.split(";") if item.strip())}
            buf = ""
    assert not in_string and not buf.strip()
    return blocks


def test_style_has_a_colour_and_name_caption_per_label(repo_root):
    text = (repo_root / "cypher" / "style.grass").read_text(encoding="utf-8")
    blocks = _grass_blocks(text)
    colours = set()
    for label in ENTITY_TYPES:
        block = blocks[f"node.{label}"]
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", block["color"])
        assert block["caption"] == '"{name}"'
        colours.add(block["color"])
    assert len(colours) == len(ENTITY_TYPES)  # one colour each
    assert blocks["relationship"]["caption"] == '"<type>"'
    for rel_type in RELATION_TYPES:  # the type with its modality unless asserted, written by the loader
        assert blocks[f"relationship.{rel_type}"]["caption"] == '"{label}"'
    assert blocks["relationship.SUPPLIES_ITEM"]["caption"] == '"{label}"'
    assert blocks["node.Evidence"]["caption"] == '"{modality}"'
    assert {"relationship.HAS_SUBJECT", "relationship.HAS_OBJECT"} <= blocks.keys()
    assert "/*" not in text  # Browser's grass parser has no comments


def test_docs_cover_commands_queries_and_the_evidence_query(repo_root):
    from graphbuild.sinks.cypher import EVIDENCE_QUERY

    doc = (repo_root / "README.md").read_text(encoding="utf-8")
    for needle in ("docker compose up -d", "graphbuild load", "graphbuild cypher", "graphbuild query --list",
                   "style.grass", "NEO4J_PASSWORD", "http://localhost:7474"):
        assert needle in doc, needle
    for name in load_catalogue():
        assert f"`{name}`" in doc, name
    assert EVIDENCE_QUERY in doc


def test_compose_turns_browser_telemetry_off_and_opens_the_guide(neo4j_service):
    from graphbuild.sinks.browser import browser_commands

    env = neo4j_service["environment"]
    assert env["NEO4J_client_allow__telemetry"] == "false"
    expected = browser_commands("http://localhost:7480")["post_connect_cmd"].split("=", 1)[1]
    assert env["NEO4J_browser_post__connect__cmd"] == expected
