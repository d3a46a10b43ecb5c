"""The runtime collector on the real /proc and inotify of this machine, Falco JSON input, and
the per-image profiles: learn, then alert once on a process, port or path outside them."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shieldwall.core.errors import ConfigError
from shieldwall.monitor.config import MonitorConfig
from shieldwall.monitor.daemon import MonitorDaemon
from shieldwall.monitor.event import Event, LogSource
from shieldwall.monitor.reader import read_events
from shieldwall.monitor.ruleset import load_rules
from shieldwall.monitor.runtime import InotifyWatcher, ProcScanner, RuntimeProfiler, container_of
from shieldwall.monitor.runtime.procfs import container_image
from shieldwall.monitor.sinks import JsonLinesSink
from tests.monitor.conftest import LOGS

T0 = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
DOCKER = "0::/system.slice/docker-" + "a" * 64 + ".scope"


def test_container_ids_from_cgroups() -> None:
    assert container_of(DOCKER) == "a" * 64
    containerd = "0::/kubepods/besteffort/pod1/cri-containerd-" + "b" * 64 + ".scope"
    assert container_of(containerd) == "b" * 64
    assert container_of("12:memory:/docker/" + "c" * 64) == "c" * 64
    assert container_of("0::/user.slice/user-1000.slice/session-3.scope") is None


@pytest.fixture
def listener() -> Iterator[tuple[subprocess.Popen[str], int]]:
    code = (
        "import socket, sys, time\n"
        "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()\n"
        "print(s.getsockname()[1], flush=True); time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    port = int(child.stdout.readline())
    yield child, port
    child.kill()
    child.wait()
    child.stdout.close()


def test_proc_scanner_sees_a_new_process_and_its_listening_socket(
    listener: tuple[subprocess.Popen[str], int],
) -> None:
    child, port = listener
    scanner = ProcScanner()
    first = scanner.scan()
    mine = [e for e in first if e.fields.get("process.pid") == child.pid]
    assert mine, "the child is a new process on the first scan"
    assert mine[0].fields["process.executable"] == str(Path(sys.executable).resolve())
    assert "s.listen()" in str(mine[0].fields["process.command_line"])
    assert "process_creation" in mine[0].logsource.categories
    listens = [e for e in first if e.fields.get("server.port") == port]
    assert [e.fields["process.pid"] for e in listens] == [child.pid]
    assert scanner.scan() == [] or all(
        e.fields.get("process.pid") != child.pid for e in scanner.scan()
    )


def test_inotify_reports_writes_under_watched_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    watcher = InotifyWatcher((tmp_path,))
    watcher.start()
    try:
        assert watcher.read() == []
        (tmp_path / "passwd").write_text("root:x:0:0\n")
        (tmp_path / "sub" / "key").write_text("k")
        (tmp_path / "passwd").unlink()
        events = watcher.read()
    finally:
        watcher.close()
    seen = {(e.fields["file.path"], e.fields["event.action"]) for e in events}
    assert (str(tmp_path / "passwd"), "created") in seen
    assert (str(tmp_path / "passwd"), "written") in seen
    assert (str(tmp_path / "passwd"), "deleted") in seen
    assert (str(tmp_path / "sub" / "key"), "created") in seen
    assert all("file_event" in e.logsource.categories for e in events)


def _runtime(value: str, second: int, image: str = "shop/web:1") -> Event:
    return Event.create(
        source="t",
        line=second,
        raw=value,
        logsource=LogSource.of("linux", ("runtime",), ("process_creation",)),
        fields={"process.executable": value, "container.image.name": image},
        timestamp=T0 + timedelta(seconds=second),
    )


def test_profiles_learn_then_alert_once_and_survive_a_restart(tmp_path: Path) -> None:
    profiler = RuntimeProfiler(learning=60)
    assert profiler.observe(_runtime("/usr/local/bin/gunicorn", 0)) == []
    assert profiler.observe(_runtime("/usr/bin/python3", 30)) == []  # still learning
    assert profiler.observe(_runtime("/usr/local/bin/gunicorn", 100)) == []
    found = profiler.observe(_runtime("/bin/sh", 120))
    assert [(d.rule_id, d.entity) for d in found] == [("SW-RT-001", "image:shop/web:1")]
    assert profiler.observe(_runtime("/bin/sh", 130)) == []  # alert once
    assert profiler.observe(_runtime("/bin/sh", 130, image="redis:7")) == []  # its own learning
    state = tmp_path / "profiles.json"
    profiler.save(state)
    again = RuntimeProfiler.load(state, learning=60)
    assert again.observe(_runtime("/usr/bin/python3", 200)) == []
    assert [d.rule_id for d in again.observe(_runtime("/usr/bin/nc", 200))] == ["SW-RT-001"]
    not_runtime = Event.create(
        source="auth.log", line=1, raw="x", logsource=LogSource.of("linux", ("sshd",)),
        fields={"process.executable": "/usr/sbin/sshd"}, timestamp=T0 + timedelta(hours=1),
    )  # fmt: skip
    assert again.observe(not_runtime) == []
    state.write_text("{not json")
    with pytest.raises(ConfigError, match="corrupt runtime profiles"):
        RuntimeProfiler.load(state, learning=60)


def test_falco_json_is_parsed_for_the_profiles() -> None:
    events = [e for e in read_events(LOGS / "falco.jsonl", year=2026) if isinstance(e, Event)]
    shell = events[3]
    assert shell.fields["container.image.name"] == "registry.example.com/shop/web:1.4.2"
    assert (shell.fields["process.executable"], shell.fields["rule.name"]) == (
        "/bin/bash",
        "Terminal shell in container",
    )
    assert (
        events[1].fields["server.port"] == 8000 and events[1].fields["event.action"] == "listening"
    )
    assert events[6].fields["file.path"] == "/etc/passwd"
    assert "file_event" in events[6].logsource.categories


def test_daemon_alerts_on_falco_events_outside_the_learnt_profile(tmp_path: Path) -> None:
    config = MonitorConfig.model_validate(
        {
            "sources": [{"path": LOGS / "falco.jsonl"}],
            "state_dir": tmp_path / "state",
            "runtime": {"learning": 60},
        }
    )
    out = io.StringIO()
    daemon = MonitorDaemon(config, load_rules([], builtin=False), [JsonLinesSink(out)])
    daemon.cycle()
    alerts = [json.loads(x) for x in out.getvalue().splitlines()]
    # One alert per rule and image within the grouping window, every new value's event attached.
    assert sorted((a["rule_id"], [e["line"] for e in a["events"]]) for a in alerts) == [
        ("SW-RT-001", [4, 6]),  # bash, then nc, in the web image
        ("SW-RT-002", [6]),  # port 4444
        ("SW-RT-003", [7]),  # /etc/passwd (by the bash already reported)
    ]
    assert {a["entity"] for a in alerts} == {"image:registry.example.com/shop/web:1.4.2"}
    assert (tmp_path / "state" / "runtime-profiles.json").exists()


def test_daemon_runtime_source_on_this_host(tmp_path: Path) -> None:
    watched = tmp_path / "etc"
    watched.mkdir()
    config = MonitorConfig.model_validate(
        {
            "sources": [{"kind": "runtime", "paths": [watched]}],
            "state_dir": tmp_path / "state",
            "runtime": {"learning": 1},
        }
    )
    out = io.StringIO()
    daemon = MonitorDaemon(config, load_rules([], builtin=False), [JsonLinesSink(out)])
    daemon.cycle()  # learns this host's processes and sockets
    assert out.getvalue() == ""
    time.sleep(1.2)
    (watched / "shadow").write_text("x")
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        daemon.cycle()
    daemon.collectors[0].close()
    alerts = [json.loads(x) for x in out.getvalue().splitlines()]
    events = [(a["rule_id"], e["fields"]) for a in alerts for e in a["events"]]
    assert ("SW-RT-003", str(watched / "shadow")) in {
        (rule, f.get("file.path")) for rule, f in events
    }
    assert ("SW-RT-002", port, os.getpid()) in {
        (rule, f.get("server.port"), f.get("process.pid")) for rule, f in events
    }


def test_auditbeat_json_feeds_the_profiles() -> None:
    events = [e for e in read_events(LOGS / "auditbeat.jsonl", year=2026) if isinstance(e, Event)]
    assert [e.logsource.services for e in events] == [frozenset({"auditd"})]
    executed = events[0]
    assert (executed.fields["process.executable"], executed.fields["container.id"]) == (
        "/tmp/x",
        "3ad7b26ded6d",
    )
    profiler = RuntimeProfiler(learning=0)
    found = profiler.observe(executed)
    assert [(d.rule_id, d.entity) for d in found] == [("SW-RT-001", "container:3ad7b26ded6d")]


def test_container_images_from_docker_and_containerd_configs(tmp_path: Path) -> None:
    docker, containerd = tmp_path / "docker", tmp_path / "containerd"
    first, second = "a" * 64, "b" * 64
    (docker / first).mkdir(parents=True)
    (docker / first / "config.v2.json").write_text(
        json.dumps({"ID": first, "Config": {"Image": "registry.example.com/shop/web:1.4.2"}})
    )
    (containerd / "k8s.io" / second).mkdir(parents=True)
    (containerd / "k8s.io" / second / "config.json").write_text(
        json.dumps(
            {"ociVersion": "1.1.0", "annotations": {"io.kubernetes.cri.image-name": "redis:7"}}
        )
    )
    assert container_image(first, docker, containerd) == "registry.example.com/shop/web:1.4.2"
    assert container_image(second, docker, containerd) == "redis:7"
    assert container_image("c" * 64, docker, containerd) is None
    (docker / "d").mkdir()
    (docker / "d" / "config.v2.json").write_text("{broken")
    assert container_image("d", docker, containerd) is None
