"""Scale-out on Redis Streams: ingest partitions events by entity, workers consume as a group.

``RedisIngest.publish`` appends each event to stream ``<prefix>:<n>``, ``n`` a CRC32 of the
event's entity (``source.ip``, else ``user.name``, else ``host.name``) modulo the partition count,
so every event of one attacker lands in one partition. ``RedisWorker`` reads its partitions as a
member of one consumer group, and:

- keeps threshold windows in Redis sorted sets (score: event time; member: the stream entry id,
  or the distinct value), so any worker can continue a window and a redelivered entry is counted
  once;
- claims an alert key with ``SET NX`` before handing it to the sinks, so an entry redelivered after
  a crash (at-least-once delivery) never produces the alert twice;
- acknowledges entries only after their alerts were delivered; entries left pending by a dead
  worker are taken over with ``XAUTOCLAIM``.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import redis

from shieldwall.monitor.alerts import Alert
from shieldwall.monitor.detection import Detection, entity_of
from shieldwall.monitor.event import Event
from shieldwall.monitor.ruleset import RuleSet
from shieldwall.monitor.sigma.engine import SigmaEngine
from shieldwall.monitor.sinks import AlertSink
from shieldwall.monitor.threshold import ThresholdRule

ALERT_KEY_TTL = 7 * 24 * 3600  # seconds an alert key is remembered for deduplication


def partition_of(event: Event, partitions: int) -> int:
    """The partition of an event: stable per entity, so its windows live on one stream."""
    entity = entity_of(event) or event.source
    return zlib.crc32(entity.encode()) % partitions


@dataclass(frozen=True, slots=True)
class RedisIngest:
    """Writes events to the partitioned streams."""

    client: redis.Redis
    prefix: str = "shieldwall:events"
    partitions: int = 4
    maxlen: int = 1_000_000  # approximate cap per stream: back-pressure by trimming the oldest

    def publish(self, events: Sequence[Event]) -> None:
        """Append events (one pipeline round trip)."""
        pipe = self.client.pipeline(transaction=False)
        for event in events:
            stream = f"{self.prefix}:{partition_of(event, self.partitions)}"
            payload = json.dumps(event.to_wire())
            pipe.xadd(stream, {"event": payload}, maxlen=self.maxlen, approximate=True)
        pipe.execute()


class RedisWorker:
    """One detection worker of a consumer group."""

    def __init__(
        self,
        client: redis.Redis,
        ruleset: RuleSet,
        sinks: Sequence[AlertSink],
        *,
        consumer: str,
        group: str = "detect",
        prefix: str = "shieldwall:events",
        partitions: int = 4,
    ) -> None:
        self.client = client
        self.sinks = tuple(sinks)
        self.consumer = consumer
        self.group = group
        self.prefix = prefix
        self.streams = [f"{prefix}:{n}" for n in range(partitions)]
        self.sigma = SigmaEngine(ruleset.sigma)
        self.thresholds = tuple(ruleset.thresholds)
        self.last_read = 0  # entries handled by the last poll or claim
        for stream in self.streams:
            try:
                client.xgroup_create(stream, group, id="0", mkstream=True)
            except redis.ResponseError as exc:  # BUSYGROUP: another worker made it first
                if "BUSYGROUP" not in str(exc):
                    raise

    def poll(self, count: int = 500, block_ms: int | None = None) -> list[Alert]:
        """Read new entries of this consumer, detect, deliver, acknowledge; the new alerts."""
        reply = self.client.xreadgroup(
            self.group, self.consumer, dict.fromkeys(self.streams, ">"), count=count, block=block_ms
        )
        return self._handle(reply or [])

    def claim_stale(self, min_idle_ms: int, count: int = 500) -> list[Alert]:
        """Take over entries another consumer read but never acknowledged, and process them."""
        alerts: list[Alert] = []
        for stream in self.streams:
            _next, entries, *_ = self.client.xautoclaim(
                stream, self.group, self.consumer, min_idle_ms, "0-0", count=count
            )
            alerts += self._handle([(stream, entries)])
        return alerts

    def _handle(self, reply: Any) -> list[Alert]:
        alerts: list[Alert] = []
        acks: list[tuple[str, str]] = []
        for stream, entries in reply:
            name = stream.decode() if isinstance(stream, bytes) else stream
            for entry_id, values in entries:
                entry = entry_id.decode() if isinstance(entry_id, bytes) else entry_id
                payload = values.get(b"event") or values.get("event")
                event = Event.from_json(json.loads(payload))
                for detection in self._detect(event, entry):
                    alert = self._claim(detection, f"{name}/{entry}")
                    if alert is not None:
                        alerts.append(alert)
                acks.append((name, entry))
        self.last_read = len(acks)
        for sink in self.sinks:
            sink.send(alerts)
        for name, entry in acks:  # only now: a crash before this replays, and dedup holds
            self.client.xack(name, self.group, entry)
        return alerts

    def _detect(self, event: Event, entry: str) -> list[Detection]:
        found = [
            Detection(rule.rule_id, rule.title, rule.severity, (event,))
            for rule in self.sigma.match(event)
        ]
        found += [d for rule in self.thresholds if (d := self._threshold(rule, event, entry))]
        return found

    def _threshold(self, rule: ThresholdRule, event: Event, entry: str) -> Detection | None:
        if event.timestamp is None or not rule.selects(event):
            return None
        group = rule.group(event)
        if group is None:
            return None
        spec = rule.spec
        key = f"{self.prefix}:window:{spec.id}:{group}"
        member = entry
        if spec.distinct is not None:
            value = event.fields.get(spec.distinct)
            if value is None or value == "":
                return None
            member = str(value)
        now = event.timestamp.timestamp()
        pipe = self.client.pipeline()
        pipe.zadd(key, {member: now}, gt=True)
        pipe.zremrangebyscore(key, "-inf", now - spec.window)
        pipe.zcard(key)
        pipe.expire(key, spec.window * 2)
        size = pipe.execute()[2]
        if size < spec.count:
            return None
        self.client.delete(key)  # start counting afresh, as the in-process detector does
        return Detection(spec.id, spec.title, spec.severity, (event,), group)

    def _claim(self, detection: Detection, origin: str) -> Alert | None:
        basis = f"{detection.rule_id}|{origin}"
        key = f"{self.prefix}:alert:{hashlib.sha256(basis.encode()).hexdigest()[:32]}"
        if not self.client.set(key, self.consumer, nx=True, ex=ALERT_KEY_TTL):
            return None  # this entry's alert was already raised (redelivery after a crash)
        event = detection.events[-1]
        return Alert(
            rule_id=detection.rule_id,
            rule_title=detection.rule_title,
            severity=detection.severity,
            source=detection.source,
            entity=detection.entity or entity_of(event),
            first_seen=event.timestamp,
            last_seen=event.timestamp,
            events=list(detection.events),
        )
