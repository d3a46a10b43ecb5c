"""Parsers and normalisation: each format to ECS fields and the Sigma log source."""
# ruff: noqa: E501  (log lines are kept whole: splitting them would hide what is tested)

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime

import pytest

from shieldwall.monitor.errors import LogParseError
from shieldwall.monitor.parsers import (
    ApacheErrorParser,
    CombinedLogParser,
    JsonLinesParser,
    SyslogParser,
)

SYSLOG = SyslogParser(2026)


def test_sshd_failed_password_is_an_authentication_failure() -> None:
    line = "Dec 10 09:32:20 LabSZ sshd[24680]: Failed password for invalid user admin from 5.36.59.76 port 42393 ssh2"
    event = SYSLOG.parse(line, "auth.log", 7)
    assert event is not None
    assert event.timestamp == datetime(2026, 12, 10, 9, 32, 20, tzinfo=UTC)
    assert event.fields["event.outcome"] == "failure"
    assert event.fields["event.action"] == "ssh_login"
    assert event.fields["user.name"] == "admin"
    assert event.fields["source.ip"] == "5.36.59.76"
    assert event.fields["source.port"] == 42393
    assert event.fields["process.pid"] == 24680
    assert event.logsource.product == "linux"
    assert {"sshd", "auth", "syslog"} <= event.logsource.services
    assert event.raw == line
    assert (event.source, event.line) == ("auth.log", 7)


def test_sshd_accepted_login_is_a_success() -> None:
    event = SYSLOG.parse(
        "Dec 10 09:32:20 h sshd[1]: Accepted publickey for alice from 10.0.0.2 port 5000 ssh2",
        "x",
        1,
    )
    assert event is not None
    assert event.fields["event.outcome"] == "success"
    assert event.fields["user.name"] == "alice"


def test_pam_failure_in_old_red_hat_format() -> None:
    line = (
        "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 "
        "euid=0 tty=NODEVssh ruser= rhost=218.188.2.4  user=root"
    )
    event = SYSLOG.parse(line, "x", 1)
    assert event is not None
    assert event.fields["process.name"] == "sshd"
    assert event.fields["source.ip"] == "218.188.2.4"
    assert event.fields["user.name"] == "root"
    assert event.fields["event.action"] == "pam_auth"


def test_sudo_command() -> None:
    line = (
        "Mar  1 10:00:00 web sudo:   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; "
        "COMMAND=/bin/cat /etc/shadow"
    )
    event = SYSLOG.parse(line, "x", 1)
    assert event is not None
    assert event.fields["user.name"] == "alice"
    assert event.fields["user.target.name"] == "root"
    assert event.fields["process.command_line"] == "/bin/cat /etc/shadow"
    assert "auth" in event.logsource.services and "sudo" in event.logsource.services


def test_rfc5424_line() -> None:
    line = (
        '<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 [exampleSDID@32473 iut="3"] '
        "'su root' failed for lonvick on /dev/pts/8"
    )
    event = SYSLOG.parse(line, "x", 1)
    assert event is not None
    assert event.timestamp == datetime(2003, 10, 11, 22, 14, 15, 3000, tzinfo=UTC)
    assert event.fields["host.name"] == "mymachine.example.com"
    assert event.fields["process.name"] == "su"
    assert event.fields["log.syslog.facility.code"] == 4
    assert event.fields["log.syslog.severity.code"] == 2
    assert event.fields["message"] == "'su root' failed for lonvick on /dev/pts/8"


def test_not_syslog_is_none() -> None:
    assert SYSLOG.parse("hello world", "x", 1) is None


def test_combined_access_line() -> None:
    line = (
        '203.0.113.5 - bob [10/Oct/2000:13:55:36 -0700] "GET /a.php?id=1%27+OR+1%3D1 HTTP/1.1" '
        '404 2326 "http://example.com/" "Mozilla/5.0 \\"quoted\\""'
    )
    event = CombinedLogParser().parse(line, "access.log", 3)
    assert event is not None
    fields = event.fields
    assert fields["source.ip"] == "203.0.113.5"
    assert fields["user.name"] == "bob"
    assert fields["http.request.method"] == "GET"
    assert fields["url.path"] == "/a.php"
    assert fields["url.query"] == "id=1%27+OR+1%3D1"
    assert fields["url.query.decoded"] == "id=1' OR 1=1"
    assert fields["http.response.status_code"] == 404
    assert fields["http.response.body.bytes"] == 2326
    assert fields["http.request.referrer"] == "http://example.com/"
    assert fields["user_agent.original"] == 'Mozilla/5.0 \\"quoted\\"'
    assert fields["event.outcome"] == "failure"
    assert "webserver" in event.logsource.categories
    assert event.timestamp is not None and event.timestamp.utcoffset() is not None


def test_common_log_format_without_referrer_and_a_garbage_request() -> None:
    event = CombinedLogParser().parse(
        '198.51.100.1 - - [10/Oct/2000:13:55:36 +0000] "\\x16\\x03\\x01" 400 0', "x", 1
    )
    assert event is not None
    assert event.fields["url.original"] == "\\x16\\x03\\x01"
    assert "user_agent.original" not in event.fields


def test_apache_error_line_with_client() -> None:
    line = "[Sun Dec 04 20:47:17 2005] [error] [client 82.177.96.6] Directory index forbidden: /var/www/html/"
    event = ApacheErrorParser().parse(line, "x", 1)
    assert event is not None
    assert event.fields["log.level"] == "error"
    assert event.fields["source.ip"] == "82.177.96.6"
    assert event.timestamp == datetime(2005, 12, 4, 20, 47, 17, tzinfo=UTC)


def test_cloudtrail_record_gets_ecs_fields_and_keeps_its_own() -> None:
    line = (
        '{"eventVersion": "1.08", "eventTime": "2023-07-10T11:42:36Z", "eventSource": '
        '"s3.amazonaws.com", "eventName": "DeleteBucket", "awsRegion": "us-east-1", '
        '"sourceIPAddress": "198.51.100.9", "userAgent": "aws-cli/2", "errorCode": "AccessDenied", '
        '"userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::1:user/benjamin"}, '
        '"resources": [{"ARN": "arn:aws:s3:::b"}], "recipientAccountId": "1"}'
    )
    event = JsonLinesParser().parse(line, "ct.jsonl", 1)
    assert event is not None
    assert event.logsource.product == "aws" and "cloudtrail" in event.logsource.services
    assert event.fields["eventName"] == "DeleteBucket"
    assert event.fields["userIdentity.type"] == "IAMUser"
    assert event.fields["event.action"] == "DeleteBucket"
    assert event.fields["event.outcome"] == "failure"
    assert event.fields["user.name"] == "benjamin"
    assert event.fields["source.ip"] == "198.51.100.9"
    assert event.fields["resources"] == ('{"ARN": "arn:aws:s3:::b"}',)
    assert event.timestamp == datetime(2023, 7, 10, 11, 42, 36, tzinfo=UTC)


def test_kubernetes_audit_record() -> None:
    line = (
        '{"kind": "Event", "apiVersion": "audit.k8s.io/v1", "verb": "create", '
        '"user": {"username": "system:anonymous"}, "sourceIPs": ["10.1.1.1"], '
        '"objectRef": {"resource": "pods", "subresource": "exec"}}'
    )
    event = JsonLinesParser().parse(line, "x", 1)
    assert event is not None
    assert event.logsource.product == "kubernetes"
    assert event.fields["objectRef.subresource"] == "exec"
    assert event.fields["user.name"] == "system:anonymous"
    assert event.fields["source.ip"] == "10.1.1.1"


def test_invalid_json_raises_a_parse_error_and_non_objects_are_not_events() -> None:
    with pytest.raises(LogParseError, match="x:4: invalid JSON"):
        JsonLinesParser().parse('{"a": ', "x", 4)
    assert JsonLinesParser().parse("[1, 2]", "x", 1) is None


def test_json_lines_decode_as_json_loads_does_whitespace_trailing_data_and_nan_included() -> None:
    parser = JsonLinesParser()
    for line in (' {"a": 1}', '{"a": 1}  ', '{"a": NaN, "b": 12345678901234567890123}'):
        event = parser.parse(line, "x", 1)
        assert event is not None and dict(event.fields) == json.loads(line), line
    with pytest.raises(LogParseError, match="x:2: invalid JSON: Extra data"):
        parser.parse('{"a": 1} {"b": 2}', "x", 2)


def test_log_sources_survive_pickling_as_dictionary_keys() -> None:
    """The hash is cached per object; a pickled copy computes its own (string hashes are
    salted per process, so a stored hash would be wrong in a worker)."""
    first = SYSLOG.parse("Dec 10 09:32:20 LabSZ sshd[1]: Connection closed", "a", 1)
    second = SYSLOG.parse("Dec 10 09:32:21 LabSZ sshd[2]: Connection closed", "a", 2)
    assert first is not None and second is not None
    assert first.logsource is second.logsource  # built once per program
    copy = pickle.loads(pickle.dumps(first.logsource))  # noqa: S301 - our own bytes
    assert copy == first.logsource and {first.logsource: 1}[copy] == 1
    assert copy.services == frozenset({"sshd", "syslog", "auth"})
