"""Redis Streams scale-out against the Redis named by SHIELDWALL_TEST_REDIS_URL."""
# ruff: noqa: E501  (log lines are kept whole)

from __future__ import annotations

import io
import json
import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import redis

from shieldwall.monitor.event import Event, LogSource
from shieldwall.monitor.reader import read_events
from shieldwall.monitor.ruleset import RuleSet, load_rules
from shieldwall.monitor.scale import RedisIngest, RedisWorker, partition_of
from shieldwall.monitor.sinks import JsonLinesSink
from tests.monitor.conftest import LOGS

REDIS_ENV = "SHIELDWALL_TEST_REDIS_URL"
pytestmark = pytest.mark.redis


@pytest.fixture
def client() -> Iterator[redis.Redis]:
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"{REDIS_ENV} is not set")
    connection = redis.Redis.from_url(url)
    yield connection
    connection.close()


@pytest.fixture
def prefix(client: redis.Redis) -> Iterator[str]:
    name = f"sw-test-{uuid.uuid4().hex[:10]}"
    yield name
    for key in client.scan_iter(f"{name}*"):
        client.delete(key)


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return load_rules([], builtin=True)


T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _failure(ip: str, second: int) -> Event:
    return Event.create(
        source="auth.log",
        line=second,
        raw=f"Failed password for root from {ip}",
        logsource=LogSource.of("linux", ("sshd", "auth", "syslog")),
        fields={
            "event.action": "ssh_login",
            "event.outcome": "failure",
            "source.ip": ip,
            "event.category": "authentication",
            "user.name": "root",
        },
        timestamp=T0 + timedelta(seconds=second),
    )


def _rows(out: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(x) for x in out.getvalue().splitlines()]


def test_events_round_trip_through_the_wire_format() -> None:
    event = next(
        e for e in read_events(LOGS / "cloudtrail.jsonl", year=2026) if isinstance(e, Event)
    )
    back = Event.from_json(json.loads(json.dumps(event.to_wire())))
    assert back == event
    assert partition_of(event, 8) == partition_of(back, 8)


def test_two_workers_share_the_partitions_and_windows_live_in_redis(
    client: redis.Redis, prefix: str, ruleset: RuleSet
) -> None:
    ingest = RedisIngest(client, prefix, partitions=4)
    out = io.StringIO()
    workers = [
        RedisWorker(
            client, ruleset, [JsonLinesSink(out)], consumer=f"w{i}", prefix=prefix, partitions=4
        )
        for i in range(2)
    ]
    # 10 failures from one address (brute force), 9 from another (not), interleaved
    ingest.publish(
        [e for s in range(10) for e in (_failure("192.0.2.1", s), _failure("192.0.2.2", s))][:-1]
    )
    for _ in range(3):
        for worker in workers:
            worker.poll(count=3)  # small reads: both workers take part
    rows = _rows(out)
    assert [(r["rule_id"], r["entity"]) for r in rows] == [("SW-MON-001", "source.ip=192.0.2.1")]
    for stream in workers[0].streams:
        assert client.xpending(stream, "detect")["pending"] == 0


def test_a_crashed_worker_s_entries_are_reclaimed_without_duplicate_alerts(
    client: redis.Redis, prefix: str, ruleset: RuleSet
) -> None:
    ingest = RedisIngest(client, prefix, partitions=2)
    line = '203.0.113.5 - - [10/Oct/2025:13:55:36 +0000] "GET /x?id=1+UNION+SELECT+1 HTTP/1.1" 200 1 "-" "sqlmap/1.7"'
    from shieldwall.monitor.parsers import CombinedLogParser

    event = CombinedLogParser().parse(line, "access.log", 1)
    assert event is not None
    ingest.publish([event])
    out = io.StringIO()
    crashed = RedisWorker(
        client, ruleset, [JsonLinesSink(out)], consumer="dies", prefix=prefix, partitions=2
    )
    crashed.poll()  # delivered its alerts ...
    first = sorted(r["rule_id"] for r in _rows(out))
    assert first == ["SW-MON-101", "SW-MON-104"]
    # ... but "crashed" before acknowledging: make the entry pending again
    stream = crashed.streams[partition_of(event, 2)]
    entry = client.xrange(stream)[0][0]
    client.xgroup_setid(stream, "detect", id="0")
    crashed.client.xreadgroup("detect", "dies", {stream: ">"})
    assert client.xpending(stream, "detect")["pending"] == 1
    survivor = RedisWorker(
        client, ruleset, [JsonLinesSink(out)], consumer="lives", prefix=prefix, partitions=2
    )
    assert survivor.claim_stale(min_idle_ms=0) == []  # reprocessed, alerts already claimed
    assert len(_rows(out)) == 2
    assert client.xpending(stream, "detect")["pending"] == 0
    assert entry
