"""The parsers the crawler relies on: HTML, JavaScript URLs, robots, sitemaps, OpenAPI, auth."""

from __future__ import annotations

from pathlib import Path

import pytest

from shieldwall.core.errors import ConfigError
from shieldwall.dast.auth import AuthConfig, Authenticator, load_auth
from shieldwall.dast.discovery import robots_urls, sitemap_urls
from shieldwall.dast.forms import form_endpoint
from shieldwall.dast.html import parse_page
from shieldwall.dast.jsurls import urls_in_script
from shieldwall.dast.model import Exchange, ParamIn
from shieldwall.dast.openapi import openapi_endpoints, parse_openapi


def test_javascript_navigation_and_requests() -> None:
    source = """
      fetch('/api/items?q=' + term);
      axios.post("/api/orders", body);
      $.getJSON("/legacy/data.json");
      xhr.open("GET", "/xhr/endpoint");
      window.location = '/next-page';
      location.assign("/assigned");
      const cfg = { url: "/configured" };
      el.innerHTML = '<a href="/in-string">x</a>';
      const notAUrl = "hello world"; const tpl = `/user/${id}`;
    """
    assert urls_in_script(source) == [
        "/api/items?q=",
        "/api/orders",
        "/legacy/data.json",
        "/xhr/endpoint",
        "/next-page",
        "/assigned",
        "/configured",
        "/in-string",
    ]


def test_html_parsing_survives_broken_markup() -> None:
    page = parse_page("<a href='/a'>a<div><a href=/b <form action=/f method=post><input name=x")
    assert "/a" in page.links
    assert parse_page("\x00\xff<<<>>>").links == []


def test_forms_become_endpoints_with_typed_values() -> None:
    page = parse_page(
        '<form method="post" action="/signup"><input type="email" name="mail">'
        '<input type="number" name="age"><input type="hidden" name="csrf_token" value="t">'
        '<textarea name="bio">hi</textarea><input type="submit" name="go" value="Go"></form>'
    )
    endpoint = form_endpoint(page.forms[0], "http://app.test/join")
    values = {p.name: (p.value, p.attackable, p.where) for p in endpoint.params}
    assert endpoint.method == "POST"
    assert endpoint.url == "http://app.test/signup"
    assert endpoint.origin == "http://app.test/join"
    assert values["mail"] == ("shieldwall@example.com", True, ParamIn.FORM)
    assert values["age"][0] == "1"
    assert values["csrf_token"][1] is False  # a token is sent, never attacked
    assert values["bio"][0] == "hi"
    assert values["go"][1] is False


def test_robots_and_sitemaps() -> None:
    paths, maps = robots_urls(
        "User-agent: *\nDisallow: /admin/*\nAllow: /pub$\nDisallow: /\nSitemap: /s.xml\n",
        "http://app.test/robots.txt",
    )
    assert paths == ["http://app.test/admin/", "http://app.test/pub"]
    assert maps == ["http://app.test/s.xml"]
    xml = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc> http://app.test/a </loc></url></urlset>"
    )
    assert sitemap_urls(xml) == ["http://app.test/a"]
    assert sitemap_urls("<not xml") == []


def test_sitemaps_with_entities_are_refused() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        "<urlset><url><loc>&b;</loc></url></urlset>"
    )
    assert sitemap_urls(bomb) == []


OPENAPI = """
openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: /v1}]
paths:
  /users/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    get:
      parameters:
        - $ref: '#/components/parameters/Fields'
    put:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/User'}
components:
  parameters:
    Fields: {name: fields, in: query, schema: {type: string, enum: [name, email]}}
  schemas:
    User:
      type: object
      properties:
        email: {type: string, format: email}
        age: {type: integer, example: 42}
"""


def test_openapi_operations_with_example_values() -> None:
    endpoints = openapi_endpoints(parse_openapi(OPENAPI), "http://api.test/")
    by_method = {e.method: e for e in endpoints}
    get, put = by_method["GET"], by_method["PUT"]
    assert get.url == "http://api.test/v1/users/1"
    assert [(p.name, p.value, p.where) for p in get.params] == [("fields", "name", ParamIn.QUERY)]
    assert [(p.name, p.value, p.where) for p in put.params] == [
        ("email", "shieldwall@example.com", ParamIn.JSON),
        ("age", "42", ParamIn.JSON),
    ]


@pytest.mark.parametrize("text", ["{not json", '{"swagger": "2.0"}', '{"openapi": "2.0"}'])
def test_bad_openapi_documents_are_config_errors(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_openapi(text)


def test_auth_file_is_validated(tmp_path: Path) -> None:
    good = tmp_path / "auth.yaml"
    good.write_text("bearer: abc\nheaders: {X-Tenant: t1}\n")
    assert load_auth(good).bearer == "abc"
    bad = tmp_path / "bad.yaml"
    bad.write_text("login: {url: /login}\nunknown: 1\n")
    with pytest.raises(ConfigError):
        load_auth(bad)
    unsafe = tmp_path / "unsafe.yaml"
    unsafe.write_text("bearer: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(ConfigError):
        load_auth(unsafe)


class _FakeClient:
    base = "http://app.test/"


def test_session_loss_is_detected() -> None:
    config = AuthConfig.model_validate(
        {"logged_out": {"redirect_to": "/login", "body_regex": "Please sign in", "status": [401]}}
    )
    auth = Authenticator(config)

    def answer(status: int, body: str = "", location: str = "") -> Exchange:
        headers = (("Location", location),) if location else ()
        return Exchange("GET", "http://app.test/a", {}, "", status, headers, body, 0.0)

    client = _FakeClient()
    assert auth.logged_out(client, answer(302, location="/login?next=/a"))  # type: ignore[arg-type]
    assert auth.logged_out(client, answer(200, "Please sign in"))  # type: ignore[arg-type]
    assert auth.logged_out(client, answer(401))  # type: ignore[arg-type]
    assert not auth.logged_out(client, answer(302, location="/home"))  # type: ignore[arg-type]
    assert not auth.logged_out(client, answer(200, "Welcome"))  # type: ignore[arg-type]
