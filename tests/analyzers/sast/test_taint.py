"""Inter-procedural taint: propagation, precision, frameworks, and the program model."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from shieldwall.analyzers.sast import SastAnalyzer, SastConfig
from shieldwall.core.errors import ConfigError
from shieldwall.core.severity import Confidence
from tests.analyzers.sast.helpers import hits, scan

FLASK = "from flask import Flask, request\napp = Flask(__name__)\n"


def rules_at(findings, rule: str) -> set[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return {(path, line) for r, path, line in hits(findings) if r == rule}


def test_cross_module_flow_with_relative_alias_and_reexport(tmp_path: Path) -> None:
    findings, errors = scan(
        tmp_path,
        {
            "pkg/__init__.py": "from .db import run as run_query\n",
            "pkg/db.py": "import sqlite3\ndef run(q):\n    sqlite3.connect('x').execute(q)\n",
            "pkg/views.py": FLASK
            + "from . import run_query as rq\n"
            + "@app.route('/a')\ndef a():\n    rq('SELECT ' + request.args['c'])\n",
        },
    )
    assert not errors
    [finding] = [f for f in findings if f.rule.id == "SW-PY-001"]
    assert (finding.location.path, finding.location.start_line) == ("pkg/db.py", 3)
    steps = [(s.location.path, s.location.start_line) for s in finding.trace]
    assert steps[0] == ("pkg/views.py", 6) and steps[-1] == ("pkg/db.py", 3)
    assert finding.rule.cwe[0] == "CWE-89" and "owasp:A03:2021" in finding.rule.tags


def test_star_import_and_absolute_import(tmp_path: Path) -> None:
    findings, _ = scan(
        tmp_path,
        {
            "app/helpers.py": "import os\ndef shell(c):\n    os.system(c)\n",
            "app/routes.py": FLASK
            + "from app.helpers import *\n@app.get('/x')\ndef x():\n    shell(request.args['c'])\n",
        },
    )
    assert ("app/helpers.py", 3) in rules_at(findings, "SW-PY-002")


def test_methods_self_calls_and_constructor_types(tmp_path: Path) -> None:
    source = FLASK + (
        "import os\n"
        "class Runner:\n"
        "    def run(self, cmd):\n"
        "        self._exec(cmd)\n"
        "    def _exec(self, cmd):\n"
        "        os.system(cmd)\n"
        "@app.route('/r')\n"
        "def r():\n"
        "    runner = Runner()\n"
        "    runner.run(request.args['c'])\n"
    )
    findings, _ = scan(tmp_path, {"m.py": source})
    assert rules_at(findings, "SW-PY-002") == {("m.py", 8)}


def test_constant_condition_and_constant_reassignment_kill_taint(tmp_path: Path) -> None:
    source = FLASK + (
        "import os\nDEBUG = False\n"
        "@app.route('/a')\ndef a():\n"
        "    c = request.args['c']\n"
        "    if DEBUG:\n"
        "        os.system(c)\n"
        "    c = 'ls'\n"
        "    os.system(c)\n"
        "    return ''\n"
    )
    findings, _ = scan(tmp_path, {"m.py": source})
    assert not rules_at(findings, "SW-PY-002")


def test_sanitised_on_one_path_only_is_still_reported(tmp_path: Path) -> None:
    source = FLASK + (
        "import os, shlex\n"
        "@app.route('/a')\ndef a():\n"
        "    c = request.args['c']\n"
        "    if len(c) > 3:\n"
        "        c = shlex.quote(c)\n"
        "    os.system('echo ' + c)\n"
        "    d = shlex.quote(request.args['d'])\n"
        "    os.system('echo ' + d)\n"
    )
    findings, _ = scan(tmp_path, {"m.py": source})
    assert rules_at(findings, "SW-PY-002") == {("m.py", 9)}


def test_container_elements_are_tracked_by_key(tmp_path: Path) -> None:
    source = FLASK + (
        "import os\n"
        "@app.route('/a')\ndef a():\n"
        "    d = {'safe': 'ls', 'user': request.args['c']}\n"
        "    os.system(d['safe'])\n"
        "    os.system(d['user'])\n"
        "    items = ['ls', request.args['c']]\n"
        "    os.system(items[0])\n"
        "    os.system(items[1])\n"
        "    d['safe'] = request.args['x']\n"
        "    os.system(d['safe'])\n"
    )
    findings, _ = scan(tmp_path, {"m.py": source})
    assert rules_at(findings, "SW-PY-002") == {("m.py", 8), ("m.py", 11), ("m.py", 13)}


def test_propagation_through_strings_containers_and_comprehensions(tmp_path: Path) -> None:
    source = FLASK + (
        "import os\n"
        "@app.route('/a')\ndef a():\n"
        "    c = request.args.get('c')\n"
        "    parts = [p.strip() for p in c.split(',')]\n"
        "    cmd = ' '.join(parts)[:50]\n"
        "    cmd += '!'\n"
        "    os.system('{} {}'.format('echo', cmd))\n"
        "    os.system('%s' % (c,))\n"
        "    if (n := request.args.get('n')):\n"
        "        os.system(f'{n}')\n"
    )
    findings, _ = scan(tmp_path, {"m.py": source})
    assert rules_at(findings, "SW-PY-002") == {("m.py", 10), ("m.py", 11), ("m.py", 13)}


def test_keyword_arguments_bind_to_parameters(tmp_path: Path) -> None:
    source = FLASK + (
        "import os\n"
        "def run(prefix, cmd='ls'):\n"
        "    os.system(prefix + cmd)\n"
        "@app.route('/a')\ndef a():\n"
        "    run('x', cmd=request.args['c'])\n"
        "def b():\n"
        "    run(prefix='y')\n"
    )
    findings, _ = scan(tmp_path, {"m.py": source})
    assert rules_at(findings, "SW-PY-002") == {("m.py", 5)}


def test_recursion_and_circular_imports_terminate(tmp_path: Path) -> None:
    findings, errors = scan(
        tmp_path,
        {
            "a.py": "import os\nfrom b import pong\n"
            "def ping(x, n):\n    if n:\n        return pong(x, n - 1)\n    os.system(x)\n",
            "b.py": "from a import ping\ndef pong(x, n):\n    return ping(x, n)\n",
            "main.py": "import sys\nfrom b import pong\npong(sys.argv[1], 3)\n",
        },
    )
    assert not errors
    assert ("a.py", 6) in rules_at(findings, "SW-PY-002")


def test_fastapi_route_parameters_but_not_dependencies(tmp_path: Path) -> None:
    source = (
        "import os\nfrom fastapi import Depends, FastAPI, Request\napp = FastAPI()\n"
        "def get_db():\n    return 'db'\n"
        "@app.get('/items/{name}')\n"
        "async def item(name: str, request: Request, db=Depends(get_db)):\n"
        "    os.system(db)\n"
        "    os.system(name)\n"
        "    os.system(request.query_params['q'])\n"
    )
    findings, _ = scan(tmp_path, {"m.py": source})
    assert rules_at(findings, "SW-PY-002") == {("m.py", 9), ("m.py", 10)}


def test_aiohttp_and_django_sources(tmp_path: Path) -> None:
    findings, _ = scan(
        tmp_path,
        {
            "handlers.py": "import os\nfrom aiohttp import web\nroutes = web.RouteTableDef()\n"
            "@routes.get('/{name}')\nasync def h(request):\n"
            "    os.system(request.match_info['name'])\n"
            "    data = await request.post()\n    os.system(data['x'])\n",
            "shop/views.py": "import os\ndef detail(request, slug):\n    os.system(slug)\n"
            "def helper(request):\n    os.system(request.POST['a'])\n",
        },
    )
    assert rules_at(findings, "SW-PY-002") == {
        ("handlers.py", 6),
        ("handlers.py", 8),
        ("shop/views.py", 3),
        ("shop/views.py", 5),
    }


def test_low_confidence_sources_and_min_confidence(tmp_path: Path) -> None:
    source = "import os\nos.system(os.environ['CMD'])\nos.system(input())\n"
    findings, _ = scan(tmp_path, {"m.py": source})
    by_line = {f.location.start_line: f.confidence for f in findings if f.rule.id == "SW-PY-002"}
    assert by_line == {2: Confidence.LOW, 3: Confidence.MEDIUM}
    filtered, _ = scan(tmp_path, {"m.py": source}, SastConfig(min_confidence=Confidence.MEDIUM))
    assert {f.location.start_line for f in filtered if f.rule.id == "SW-PY-002"} == {3}


def test_fingerprint_survives_line_moves(tmp_path: Path) -> None:
    source = FLASK + "import os\n@app.route('/a')\ndef a():\n    os.system(request.args['c'])\n"
    first, _ = scan(tmp_path / "one", {"m.py": source})
    moved, _ = scan(tmp_path / "two", {"m.py": "\n\n# comment\n" + source})
    assert [f.fingerprint for f in first] == [f.fingerprint for f in moved]
    assert first[0].location.start_line + 3 == moved[0].location.start_line  # type: ignore[union-attr]


def test_team_spec_adds_sources_and_sinks(tmp_path: Path) -> None:
    spec = tmp_path / "team.toml"
    spec.write_text(
        'name = "team"\n[[sources]]\nnames = ["acme.rpc.read_param"]\nkind = "rpc"\n'
        '[[sinks]]\nnames = ["acme.db.unsafe_query"]\nargs = [0]\nkind = "sql"\n'
    )
    source = "from acme import rpc, db\ndb.unsafe_query(rpc.read_param('q'))\n"
    findings, _ = scan(tmp_path, {"m.py": source}, SastConfig(extra_specs=(str(spec),)))
    assert hits(findings) == {("SW-PY-001", "m.py", 2)}


def test_bad_team_spec_names_the_file_and_key(tmp_path: Path) -> None:
    spec = tmp_path / "bad.toml"
    spec.write_text('name = "bad"\n[[sinks]]\nnames = ["x"]\nkind = "sql"\nargz = [0]\n')
    with pytest.raises(ConfigError, match=r"bad.toml.*argz"):
        scan(tmp_path, {"m.py": "x = 1\n"}, SastConfig(extra_specs=(str(spec),)))


def test_config_forbids_unknown_keys() -> None:
    with pytest.raises(ValueError, match="extra"):
        SastConfig.model_validate({"min_confidense": "low"})


def test_analyzer_is_picklable_and_stateless(tmp_path: Path) -> None:
    analyzer = pickle.loads(pickle.dumps(SastAnalyzer()))  # noqa: S301 - our own object
    assert analyzer.id == "sast" and not vars(analyzer)


def test_environment_names_paths_but_still_reaches_commands(tmp_path: Path) -> None:
    source = (
        "import os\nfrom pathlib import Path\n"
        "base = Path(os.environ.get('DATA_DIR', '/srv'))\n"
        "os.system(os.environ['HOOK'])\n"
    )
    findings, _ = scan(tmp_path, {"m.py": source})
    assert hits(findings) == {("SW-PY-002", "m.py", 4)}


def test_safe_loader_subclass_from_another_module(tmp_path: Path) -> None:
    findings, _ = scan(
        tmp_path,
        {
            "loaders.py": "import yaml\nclass StrictLoader(yaml.CSafeLoader):\n    pass\n",
            "m.py": FLASK
            + "import yaml\nfrom loaders import StrictLoader\n"
            + "@app.post('/y')\ndef y():\n"
            + "    yaml.load(request.data, Loader=StrictLoader)\n"
            + "    yaml.load(request.data, Loader=yaml.FullLoader)\n",
        },
    )
    assert hits(findings) == {("SW-PY-004", "m.py", 8)}


def test_sqlalchemy_statements_bind_their_values(tmp_path: Path) -> None:
    source = FLASK + (  # noqa: S608 - a sample of the flaw under test
        "from sqlalchemy import select, text, update\n"
        "@app.post('/u')\ndef u(session):\n"
        "    name = request.form['name']\n"
        "    session.execute(select(User).where(User.name == name))\n"
        "    session.execute(update(User).where(User.id == 1).values(name=name))\n"
        "    session.execute(text('SELECT * FROM users WHERE name = :n'), {'n': name})\n"
        "    session.execute(text(f\"SELECT * FROM users WHERE name = '{name}'\"))\n"
    )
    findings, _ = scan(tmp_path, {"m.py": source})
    assert hits(findings) == {("SW-PY-001", "m.py", 10)}


def test_file_contents_are_a_low_confidence_source_for_code_only(tmp_path: Path) -> None:
    source = (
        "import sqlite3\n"
        "with open('hook.py') as handle:\n"
        "    code = handle.read()\n"
        "exec(code)\n"
        "schema = open('schema.sql').read()\n"
        "sqlite3.connect('x').executescript(schema)\n"
    )
    findings, _ = scan(tmp_path, {"m.py": source})
    assert {(f.rule.id, f.location.start_line, f.confidence) for f in findings} == {  # type: ignore[union-attr]
        ("SW-PY-003", 4, Confidence.LOW)
    }


def test_match_statement_binds_captures(tmp_path: Path) -> None:
    source = FLASK + (
        "import os\n"
        "@app.route('/m')\ndef m():\n"
        "    match request.args.get('cmd'):\n"
        "        case 'status':\n"
        "            os.system('uptime')\n"
        "        case str(other):\n"
        "            os.system(other)\n"
    )
    findings, _ = scan(tmp_path, {"m.py": source})
    assert rules_at(findings, "SW-PY-002") == {("m.py", 10)}


def test_keyword_only_parameters(tmp_path: Path) -> None:
    source = FLASK + (
        "import os\n"
        "def run(*, cmd, extra=''):\n"
        "    os.system(cmd + extra)\n"
        "@app.route('/a')\ndef a():\n"
        "    run(cmd=request.args['c'])\n"
        "    run(cmd='ls', extra='-l')\n"
        "@app.get('/b/{name}')\nasync def b(*, name: str):\n"
        "    os.system(name)\n"
    )
    findings, _ = scan(tmp_path, {"m.py": source})
    assert rules_at(findings, "SW-PY-002") == {("m.py", 5), ("m.py", 12)}


def test_time_limit_is_reported_not_silent(tmp_path: Path) -> None:
    source = "import os\ndef f(x):\n    os.system(x)\n"
    _, errors = scan(tmp_path, {"a.py": source}, SastConfig(time_limit_seconds=1e-9))
    assert [(e.path, e.message) for e in errors] == [
        (".", "taint analysis stopped at its time limit; results partial")
    ]


def test_attribute_types_from_constructors_and_inherited_methods(tmp_path: Path) -> None:
    findings, errors = scan(
        tmp_path,
        {
            "store.py": "import sqlite3\n"
            "class Base:\n"
            "    def raw(self, q):\n"
            "        sqlite3.connect('x').execute(q)\n"
            "class Store(Base):\n"
            "    def find(self, name):\n"
            "        self.raw('SELECT ' + name)\n",
            "svc.py": FLASK + "from store import Store\n"
            "class Service:\n"
            "    def __init__(self):\n"
            "        self.store = Store()\n"
            "    def lookup(self, name):\n"
            "        self.store.find(name)\n"
            "@app.route('/s')\ndef s():\n"
            "    Service().lookup(request.args['n'])\n",
        },
    )
    assert not errors
    assert rules_at(findings, "SW-PY-001") == {("store.py", 4)}
