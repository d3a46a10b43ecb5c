"""The Sigma engine: modifiers, conditions, keywords, routing; unsupported rules reported."""

from __future__ import annotations

import base64
from typing import Any

import pytest
import yaml

from shieldwall.monitor.event import Event, FieldValue, LogSource
from shieldwall.monitor.sigma.engine import SigmaEngine
from shieldwall.monitor.sigma.loader import compile_documents

APP = LogSource.of("testapp", ("api",))


def _rule(detection: dict[str, Any], logsource: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "title": "t",
        "id": "929a690e-bef0-4204-a928-ef5e620d6fcc",
        "logsource": logsource or {"product": "testapp"},
        "detection": detection,
        "level": "high",
    }


def _event(raw: str = "", source: LogSource = APP, **fields: FieldValue) -> Event:
    return Event.create(
        source="t",
        line=1,
        raw=raw,
        logsource=source,
        fields={k.replace("__", "."): v for k, v in fields.items()},
    )


def _fires(detection: dict[str, Any], event: Event) -> bool:
    loaded = compile_documents([_rule(detection)], "t.yml")
    assert not loaded.unsupported, loaded.unsupported
    fired = bool(SigmaEngine(loaded.rules).match(event))
    # The engine and the bare predicate must agree: the prefilter may only skip non-matches.
    from shieldwall.monitor.sigma.prepared import PreparedEvent

    assert fired == loaded.rules[0].predicate(PreparedEvent(event))
    return fired


SEL = "selection"


@pytest.mark.parametrize(
    ("field", "value", "hit", "miss"),
    [
        ("Cmd", "whoami", "WhoAmI", "whoami /all"),  # plain: whole value, case-insensitive
        ("Cmd|contains", "mimikatz", "c:\\x\\MIMIKATZ.exe", "mimi katz"),
        ("Cmd|startswith", "powershell", "PowerShell -enc", "x powershell"),
        ("Cmd|endswith", ".ps1", "run.PS1", "run.ps1x"),
        ("Cmd", "net*user", "net localgroup user", "netuse"),  # wildcard
        ("Cmd", "a?c", "abc", "abbc"),
        ("Cmd|re", "^ab+c$", "abbbc", "ABBC"),  # regex is case-sensitive by default
        ("Cmd|re|i", "^ab+c$", "ABBC", "ac"),
        ("Cmd|cased", "Secret", "Secret", "secret"),
        ("Ip|cidr", "10.0.0.0/8", "10.20.30.40", "11.0.0.1"),
        ("Ip|cidr", "2001:db8::/32", "2001:db8::1", "2001:db9::1"),
        ("Cmd|contains|windash", " -enc ", "p /enc x", "p xenc x"),
        ("Cmd|base64offset|contains", "http://", "aHR0cDovL", "aHR0cHM6Ly"),
        ("Cmd|base64", "whoami", base64.b64encode(b"whoami").decode(), "whoami"),
        (
            "Cmd|wide|base64offset|contains",
            "cmd",
            base64.b64encode("x cmd".encode("utf-16-le")).decode(),
            "Y21k",
        ),
    ],
)
def test_string_modifiers(field: str, value: str, hit: str, miss: str) -> None:
    name = field.split("|")[0]
    assert _fires({SEL: {field: value}, "condition": SEL}, _event(**{name: hit}))
    assert not _fires({SEL: {field: value}, "condition": SEL}, _event(**{name: miss}))


def test_list_values_are_or_and_all_makes_them_and() -> None:
    any_of = {SEL: {"Cmd|contains": ["alpha", "beta"]}, "condition": SEL}
    all_of = {SEL: {"Cmd|contains|all": ["alpha", "beta"]}, "condition": SEL}
    assert _fires(any_of, _event(Cmd="beta only"))
    assert not _fires(all_of, _event(Cmd="beta only"))
    assert _fires(all_of, _event(Cmd="beta and alpha"))


def test_numbers_and_comparisons() -> None:
    assert _fires({SEL: {"Status": 404}, "condition": SEL}, _event(Status=404))
    assert _fires({SEL: {"Status": 404}, "condition": SEL}, _event(Status="404"))
    assert not _fires({SEL: {"Status": 404}, "condition": SEL}, _event(Status=4040))
    assert _fires({SEL: {"Bytes|gt": 1000}, "condition": SEL}, _event(Bytes=1001))
    assert not _fires({SEL: {"Bytes|gt": 1000}, "condition": SEL}, _event(Bytes=1000))
    assert _fires({SEL: {"Bytes|lte": 10}, "condition": SEL}, _event(Bytes="10"))
    assert not _fires({SEL: {"Bytes|lt": 10}, "condition": SEL}, _event(Bytes="many"))


def test_exists_null_and_fieldref() -> None:
    exists = {SEL: {"Token|exists": True}, "condition": SEL}
    assert _fires(exists, _event(Token="x"))
    assert not _fires(exists, _event(Other="x"))
    null = {SEL: {"Token": None}, "condition": SEL}
    assert _fires(null, _event(Other="x"))
    assert _fires(null, _event(Token=""))
    assert not _fires(null, _event(Token="x"))
    same = {SEL: {"User|fieldref": "Target"}, "condition": SEL}
    assert _fires(same, _event(User="Bob", Target="bob"))
    assert not _fires(same, _event(User="bob", Target="alice"))


def test_list_fields_match_any_element() -> None:
    assert _fires({SEL: {"Tags": "prod"}, "condition": SEL}, _event(Tags=("dev", "PROD")))
    assert not _fires({SEL: {"Tags": "prod"}, "condition": SEL}, _event(Tags=("dev",)))


def test_conditions_one_of_all_of_not_and_parentheses() -> None:
    detection = {
        "sel_a": {"A": "1"},
        "sel_b": {"B": "2"},
        "filter": {"C": "3"},
        "condition": "(1 of sel_*) and not filter",
    }
    assert _fires(detection, _event(A="1"))
    assert _fires(detection, _event(B="2"))
    assert not _fires(detection, _event(A="1", C="3"))
    assert not _fires(detection, _event(D="4"))
    detection["condition"] = "all of sel_* or filter"
    assert not _fires(detection, _event(A="1"))
    assert _fires(detection, _event(A="1", B="2"))
    assert _fires(detection, _event(C="3"))


def test_keyword_rules_search_the_raw_message() -> None:
    keywords = {"keywords": ["rootkit", "*shellcode*inject*"], "condition": "keywords"}
    assert _fires(keywords, _event(raw="kernel: possible ROOTKIT detected"))
    assert _fires(keywords, _event(raw="x shellcode y inject z"))
    assert not _fires(keywords, _event(raw="all quiet", Field="rootkit-free? no: rootk1t"))
    numbers = {"keywords": [4625], "condition": "keywords"}
    assert _fires(numbers, _event(raw="EventID 4625 logon failure"))
    assert not _fires(numbers, _event(raw="EventID 4624"))


def test_routing_by_log_source() -> None:
    loaded = compile_documents(
        [
            _rule({SEL: {"x": "y"}, "condition": SEL}, {"product": "linux", "service": "sshd"}),
            _rule(
                {SEL: {"c-uri|contains": "/etc/passwd"}, "condition": SEL},
                {"category": "webserver"},
            ),
        ],
        "t.yml",
    )
    engine = SigmaEngine(loaded.rules)
    sshd = LogSource.of("linux", ("sshd", "auth"))
    web = LogSource.of(None, (), ("webserver",))
    assert engine.match(_event(source=sshd, x="y"))
    assert not engine.match(_event(source=LogSource.of("linux", ("cron",)), x="y"))
    assert not engine.match(_event(source=web, x="y"))
    # c-uri is the Sigma name of our url.original in web logs
    hits = engine.match(_event(source=web, url__original="/a?f=../../etc/passwd"))
    assert [r.route.category for r in hits] == ["webserver"]


def test_unsupported_features_are_reported_and_the_rest_loads() -> None:
    correlation = {
        "title": "many failures",
        "correlation": {
            "type": "value_sum",
            "condition": {"gte": 10, "field": "bytes"},
            "rules": ["base_rule", "base_rule"],
            "group-by": ["u"],
            "timespan": "5m",
        },
    }
    base = _rule({SEL: {"Cmd": "ok"}, "condition": SEL}) | {"name": "base_rule"}
    documents = [
        _rule({SEL: {"Cmd|expand": "%admin_users%"}, "condition": SEL}),
        _rule({SEL: {"Cmd|re": "\\p{Lu}+"}, "condition": SEL}),  # RE2 has \\p, Python re not
        base,
        correlation,
        {"title": "broken", "detection": {"condition": "nothing"}},
    ]
    loaded = compile_documents(documents, "mixed.yml")
    assert len(loaded.rules) == 1
    features = sorted(u.feature.split(" ")[0] for u in loaded.unsupported)
    assert features == ["correlation", "invalid", "placeholder", "re:"], loaded.unsupported
    assert all(u.path == "mixed.yml" for u in loaded.unsupported)
    missing_ref = correlation | {"correlation": correlation["correlation"] | {"rules": ["nope"]}}
    loaded = compile_documents([base, missing_ref], "ref.yml")
    assert len(loaded.rules) == 1
    assert [(u.path, u.feature.split(":")[0]) for u in loaded.unsupported] == [
        ("ref.yml", "invalid rule")
    ]


def test_rule_metadata_is_kept() -> None:
    doc = _rule({SEL: {"a": "b"}, "condition": SEL})
    doc.update(author="Jane Doe", tags=["attack.t1110"], level="critical")
    rule = compile_documents([doc], "t.yml").rules[0]
    assert (rule.rule_id, rule.author, rule.tags, rule.severity) == (
        "929a690e-bef0-4204-a928-ef5e620d6fcc",
        "Jane Doe",
        ("attack.t1110",),
        "critical",
    )


def test_yaml_round_trip_of_a_rule_file_is_what_the_loader_sees() -> None:
    text = yaml.safe_dump(_rule({SEL: {"Cmd|contains": "x"}, "condition": SEL}))
    assert compile_documents([yaml.safe_load(text)], "t.yml").rules


def _correlated(kind: str, condition: dict[str, Any]) -> list[dict[str, Any]]:
    base = _rule({SEL: {"outcome": "failure"}, "condition": SEL}) | {"name": "failed_login"}
    correlation = {
        "title": "many failures",
        "id": "1a2b690e-bef0-4204-a928-ef5e620d6fcc",
        "level": "critical",
        "correlation": {
            "type": kind,
            "rules": ["failed_login"],
            "group-by": ["ip"],
            "timespan": "1m",
            "condition": condition,
        },
    }
    return [base, correlation]


def _timed(second: int, **fields: FieldValue) -> Event:
    from datetime import UTC, datetime, timedelta

    return Event.create(
        source="t",
        line=second,
        raw="",
        logsource=APP,
        fields=fields,
        timestamp=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=second),
    )


def _correlation_hits(
    documents: list[dict[str, Any]], events: list[Event]
) -> list[tuple[str, str | None, int]]:
    from shieldwall.monitor.pipeline import Detector
    from shieldwall.monitor.ruleset import RuleSet

    loaded = compile_documents(documents, "c.yml")
    assert not loaded.unsupported, loaded.unsupported
    detector = Detector(RuleSet(sigma=list(loaded.rules), correlations=list(loaded.correlations)))
    return [
        (d.rule_id, d.entity, len(d.events))
        for e in events
        for d in detector.detect(e)
        if d.rule_id.startswith("1a2b")
    ]


def test_event_count_correlation_counts_base_rule_matches_per_group_in_the_timespan() -> None:
    documents = _correlated("event_count", {"gte": 3})
    events = [_timed(s, outcome="failure", ip="a") for s in (0, 10, 20)]
    events += [_timed(s, outcome="failure", ip="b") for s in (0, 40, 80)]  # spread over 80 s
    events += [_timed(s, outcome="success", ip="c") for s in (0, 1, 2)]  # base rule never fires
    hits = _correlation_hits(documents, sorted(events, key=lambda e: e.timestamp or 0))
    assert hits == [("1a2b690e-bef0-4204-a928-ef5e620d6fcc", "ip=a", 3)]


def test_value_count_correlation_counts_distinct_values() -> None:
    documents = _correlated("value_count", {"gte": 3, "field": "user"})
    same_user = [_timed(s, outcome="failure", ip="a", user="root") for s in range(5)]
    many_users = [_timed(s, outcome="failure", ip="b", user=f"u{s}") for s in range(3)]
    assert _correlation_hits(documents, same_user) == []
    assert _correlation_hits(documents, many_users) == [
        ("1a2b690e-bef0-4204-a928-ef5e620d6fcc", "ip=b", 3)
    ]


def _temporal(kind: str, **extra: Any) -> list[dict[str, Any]]:
    """Recon, then a failed login, then a success, each its own base rule."""
    names = {"recon": "scan", "fail": "failure", "ok": "success"}
    bases = [
        _rule({SEL: {"outcome": outcome}, "condition": SEL})
        | {"name": name, "id": f"00000000-0000-4000-8000-00000000000{i}"}
        for i, (name, outcome) in enumerate(names.items())
    ]
    correlation = {
        "title": "recon, guess, get in",
        "id": "1a2b690e-bef0-4204-a928-ef5e620d6fcc",
        "correlation": {"type": kind, "rules": list(names), "group-by": ["ip"],
                        "timespan": "1m", **extra},
    }  # fmt: skip
    return [*bases, correlation]


def test_temporal_correlation_fires_when_every_base_rule_matched_in_the_timespan() -> None:
    documents = _temporal("temporal")
    together = [
        _timed(s, outcome=o, ip="a") for s, o in ((0, "success"), (5, "scan"), (9, "failure"))
    ]
    spread = [
        _timed(s, outcome=o, ip="b") for s, o in ((0, "scan"), (30, "failure"), (90, "success"))
    ]
    partial = [_timed(s, outcome=o, ip="c") for s, o in ((0, "scan"), (1, "failure"))]
    hits = _correlation_hits(documents, together + spread + partial)
    assert hits == [("1a2b690e-bef0-4204-a928-ef5e620d6fcc", "ip=a", 3)]


def test_temporal_correlation_with_a_count_needs_that_many_distinct_rules() -> None:
    documents = _temporal("temporal", condition={"gte": 2})
    same_rule_twice = [_timed(s, outcome="scan", ip="a") for s in (0, 1)]
    two_rules = [_timed(s, outcome=o, ip="b") for s, o in ((0, "scan"), (1, "success"))]
    assert _correlation_hits(documents, same_rule_twice) == []
    assert _correlation_hits(documents, two_rules) == [
        ("1a2b690e-bef0-4204-a928-ef5e620d6fcc", "ip=b", 2)
    ]


def test_temporal_ordered_correlation_needs_the_listed_order() -> None:
    documents = _temporal("temporal_ordered")
    in_order = [
        _timed(s, outcome=o, ip="a") for s, o in ((0, "scan"), (5, "failure"), (9, "success"))
    ]
    reversed_ = [
        _timed(s, outcome=o, ip="b") for s, o in ((0, "success"), (5, "failure"), (9, "scan"))
    ]
    too_slow = [
        _timed(s, outcome=o, ip="c") for s, o in ((0, "scan"), (50, "failure"), (70, "success"))
    ]
    hits = _correlation_hits(documents, in_order + reversed_ + too_slow)
    assert hits == [("1a2b690e-bef0-4204-a928-ef5e620d6fcc", "ip=a", 3)]
    # after the late scan, a failure then a success complete the order
    late = [_timed(11, outcome="failure", ip="b"), _timed(12, outcome="success", ip="b")]
    assert _correlation_hits(documents, [*reversed_, late[0]]) == []
    assert _correlation_hits(documents, [*reversed_, *late]) == [
        ("1a2b690e-bef0-4204-a928-ef5e620d6fcc", "ip=b", 3)
    ]


def test_extended_temporal_conditions_are_reported_as_unsupported() -> None:
    documents = _temporal("temporal", condition="recon and (fail or ok)")
    loaded = compile_documents(documents, "x.yml")
    assert [u.feature for u in loaded.unsupported] == ["correlation condition ?"]


@pytest.mark.parametrize(
    ("selection", "keys"),
    [
        ({"eventName": "DeleteBucket"}, {("eventName", "deletebucket")}),
        ({"eventName": ["A", "B"]}, {("eventName", "a"), ("eventName", "b")}),
        ({"eventName|cased": "DeleteBucket"}, {("eventName", "deletebucket")}),
        # AND: the child with fewer alternatives gates the rule
        ({"eventName": ["A", "B"], "eventSource": "s3"}, {("eventSource", "s3")}),
        ({"eventName|contains": "Delete"}, None),
        ({"eventName|startswith": "Del"}, None),
    ],
)
def test_exact_values_index_rules_by_field_value(
    selection: dict[str, Any], keys: set[tuple[str, str]] | None
) -> None:
    rule = compile_documents([_rule({SEL: selection, "condition": SEL})], "t.yml").rules[0]
    assert rule.keys == (frozenset(keys) if keys is not None else None)


def test_or_with_an_unkeyed_branch_is_not_keyed_and_not_is_never_keyed() -> None:
    detection = {SEL: {"eventName": "A"}, "other": {"x|contains": "y"}, "condition": "1 of *"}
    assert compile_documents([_rule(detection)], "t.yml").rules[0].keys is None
    negated = {SEL: {"eventName": "A"}, "condition": f"not {SEL}"}
    assert compile_documents([_rule(negated)], "t.yml").rules[0].keys is None


def test_a_keyed_rule_fires_through_the_index_on_any_list_element_and_any_case() -> None:
    engine = SigmaEngine(
        compile_documents([_rule({SEL: {"tags": "Admin"}, "condition": SEL})], "t.yml").rules
    )
    assert engine.match(_event(tags=("user", "ADMIN")))
    assert not engine.match(_event(tags=("user", "admins")))
    assert not engine.match(_event(other="admin"))
