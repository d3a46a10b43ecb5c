"""GraphQL: discovery on common paths, introspection, generated operations attacked, batching
and depth limits — against graphql-core endpoints of the vulnerable app."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from shieldwall.core.errors import ConfigError
from shieldwall.dast.graphql import (
    INTROSPECTION_QUERY,
    GraphqlApi,
    candidate_urls,
    endpoints,
    load_schema_file,
    parse_introspection,
    recursive_path,
)
from shieldwall.dast.model import ParamIn
from tests.dast.conftest import finding_keys, scan

PREFIXES = ("/graphql", "/v1/graphql", "/api/graphql")


def _schema_answer() -> str:
    ref = lambda name, kind="SCALAR": {"kind": kind, "name": name, "ofType": None}  # noqa: E731
    required = lambda inner: {"kind": "NON_NULL", "name": None, "ofType": inner}  # noqa: E731
    types = [
        {
            "kind": "OBJECT",
            "name": "Query",
            "fields": [
                {
                    "name": "node",
                    "args": [{"name": "id", "type": required(ref("ID"))}],
                    "type": ref("Node", "OBJECT"),
                },
                {
                    "name": "search",
                    "args": [
                        {"name": "term", "type": ref("String")},
                        {"name": "first", "type": ref("Int")},
                        {"name": "order", "type": ref("Order", "ENUM")},
                    ],
                    "type": {"kind": "LIST", "name": None, "ofType": ref("Node", "OBJECT")},
                },
                {
                    "name": "complex",
                    "args": [{"name": "input", "type": required(ref("Filter", "INPUT_OBJECT"))}],
                    "type": ref("String"),
                },
            ],
        },
        {
            "kind": "OBJECT",
            "name": "Node",
            "fields": [
                {"name": "id", "args": [], "type": ref("ID")},
                {"name": "parent", "args": [], "type": ref("Node", "OBJECT")},
            ],
        },
        {"kind": "ENUM", "name": "Order", "fields": None, "enumValues": [{"name": "ASC"}]},
        {"kind": "SCALAR", "name": "ID", "fields": None},
        {"kind": "SCALAR", "name": "String", "fields": None},
        {"kind": "SCALAR", "name": "Int", "fields": None},
    ]
    return json.dumps({"data": {"__schema": {"queryType": {"name": "Query"}, "types": types}}})


def test_operations_are_generated_from_the_schema() -> None:
    schema = parse_introspection(_schema_answer())
    assert schema is not None
    api = GraphqlApi("http://h/graphql", schema, None)  # type: ignore[arg-type]
    generated = {e.params[1].name: e.params[0].value for e in endpoints(api)}
    assert generated == {
        "node.id": "query($id: ID!) { node(id: $id) { __typename id } }",
        "search.term": (
            "query($term: String) { search(term: $term, first: 1, order: ASC) { __typename id } }"
        ),
    }  # ``complex`` needs an input object: skipped
    for endpoint in endpoints(api):
        assert endpoint.method == "POST"
        assert [p.where for p in endpoint.params] == [ParamIn.GRAPHQL_DOCUMENT, ParamIn.GRAPHQL]
        assert not endpoint.params[0].attackable
    assert recursive_path(schema) == ("node", '(id: "1")', ["parent"])


def test_what_is_not_an_introspection_answer() -> None:
    assert parse_introspection("<html>") is None
    assert parse_introspection('{"errors": [{"message": "introspection disabled"}]}') is None
    assert parse_introspection('{"data": {"__schema": {"types": 3}}}') is None
    assert parse_introspection("[1]") is None


def test_candidates_are_common_paths_and_crawled_urls_unless_one_is_given() -> None:
    urls = candidate_urls("http://h/app/", ["http://h/x/graphql-api?x=1", "http://h/a"], None)
    assert urls[0] == "http://h/graphql" and "http://h/x/graphql-api" in urls
    assert "http://h/a" not in urls
    assert candidate_urls("http://h/app/", [], "/gql2") == ["http://h/gql2"]


def test_graphql_endpoints_are_found_and_attacked(vulnapp: tuple[str, list[str]]) -> None:
    url, hits = vulnapp
    start = len(hits)
    outcome = scan(url + "/graphql", path_prefixes=PREFIXES)
    assert finding_keys(outcome) == {
        ("SW-DAST-020", "POST", "/graphql", ""),
        ("SW-DAST-020", "POST", "/v1/graphql", ""),
        ("SW-DAST-021", "POST", "/graphql", ""),
        ("SW-DAST-022", "POST", "/graphql", ""),
        ("SW-DAST-103", "POST", "/graphql", "product.name"),
        ("SW-DAST-103", "POST", "/v1/graphql", "product.name"),
    }
    assert "POST /api/graphql" in hits[start:]  # tried, refused introspection: nothing reported
    sqli = next(f for f in outcome.result.findings if f.rule.id == "SW-DAST-103")
    assert "unrecognized token" in sqli.properties["evidence"]["proof"]
    assert '"variables"' in sqli.properties["evidence"]["request"]["body"]


def test_a_given_endpoint_is_the_only_one_tried(vulnapp: tuple[str, list[str]]) -> None:
    url, hits = vulnapp
    start = len(hits)
    outcome = scan(url + "/graphql", path_prefixes=PREFIXES, graphql="/api/graphql")
    assert finding_keys(outcome) == set()
    assert {hit for hit in hits[start:] if hit.startswith("POST")} == {"POST /api/graphql"}


def test_passive_only_never_sends_graphql(vulnapp: tuple[str, list[str]]) -> None:
    url, hits = vulnapp
    start = len(hits)
    scan(url + "/graphql", path_prefixes=PREFIXES, passive_only=True)
    assert not [hit for hit in hits[start:] if hit.startswith("POST")]


def test_a_saved_schema_opens_an_endpoint_that_refuses_introspection(
    vulnapp: tuple[str, list[str]], tmp_path: Path
) -> None:
    url, _ = vulnapp
    answer = httpx.post(url + "/graphql", json={"query": INTROSPECTION_QUERY}, timeout=10)
    saved = tmp_path / "schema.json"
    saved.write_text(json.dumps(answer.json()["data"]))  # as code generators save it
    outcome = scan(
        url + "/api/graphql",
        path_prefixes=("/api/graphql",),
        graphql="/api/graphql",
        graphql_schema=saved,
    )
    # no introspection finding (it is refused), but the operations were generated and attacked
    assert finding_keys(outcome) == {("SW-DAST-103", "POST", "/api/graphql", "product.name")}


def test_a_file_that_is_no_schema_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "schema.json"
    bad.write_text('{"openapi": "3.0.0"}')
    with pytest.raises(ConfigError, match="not a GraphQL introspection result"):
        load_schema_file(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_schema_file(tmp_path / "missing.json")
