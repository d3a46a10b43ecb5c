"""Meaning extracted from sshd, PAM and sudo messages: the fields brute-force rules count on."""

from __future__ import annotations

import re

from shieldwall.monitor.event import FieldValue

# sshd phrases from OpenSSH's auth.c / auth2.c log calls; the first match wins.
_SSHD: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(
            r"Failed (?P<method>\S+) for (?:invalid user )?(?P<user>.*?) from (?P<ip>\S+)"
            r"(?: port (?P<port>\d+))?"
        ),
        "ssh_login",
        "failure",
    ),
    (
        re.compile(
            r"Accepted (?P<method>\S+) for (?P<user>\S+) from (?P<ip>\S+)(?: port (?P<port>\d+))?"
        ),
        "ssh_login",
        "success",
    ),
    (
        re.compile(r"Invalid user (?P<user>.*?) from (?P<ip>\S+)(?: port (?P<port>\d+))?$"),
        "invalid_user",
        "failure",
    ),
    (
        re.compile(r"authentication failure;.*?rhost=(?P<ip>\S*)(?:\s+user=(?P<user>\S+))?"),
        "pam_auth",
        "failure",
    ),
    (
        re.compile(r"\[(?P<ip>[0-9a-fA-F.:]+)\] failed - POSSIBLE BREAK-IN ATTEMPT"),
        "reverse_mapping_failed",
        "unknown",
    ),
)

_SUDO = re.compile(
    r"^\s*(?P<user>\S+) : (?:(?P<reason>[^;]*?) ; )?TTY=(?P<tty>\S+) ; PWD=(?P<pwd>.*?) ; "
    r"USER=(?P<target>\S+) ;(?: .*?;)? COMMAND=(?P<cmd>.*)$"
)

AUTH_PROGRAMS = frozenset({"sshd", "sudo", "su", "login", "passwd", "systemd-logind"})


def sshd_fields(message: str) -> dict[str, FieldValue]:
    """ECS fields for an sshd or PAM message: action, outcome, user and source address."""
    for pattern, action, outcome in _SSHD:
        match = pattern.search(message)
        if match is None:
            continue
        groups = match.groupdict()
        fields: dict[str, FieldValue] = {
            "event.category": "authentication",
            "event.action": action,
            "event.outcome": outcome,
        }
        if groups.get("ip"):
            fields["source.ip"] = groups["ip"]
        if groups.get("port"):
            fields["source.port"] = int(groups["port"])
        if groups.get("user"):
            fields["user.name"] = groups["user"]
        return fields
    return {}


def sudo_fields(message: str) -> dict[str, FieldValue]:
    """ECS fields for a sudo command line: who ran what as whom."""
    match = _SUDO.match(message)
    if match is None:
        return {}
    fields: dict[str, FieldValue] = {
        "event.category": "process",
        "event.action": "sudo",
        "event.outcome": "failure" if match["reason"] else "success",
        "user.name": match["user"],
        "user.target.name": match["target"],
        "process.command_line": match["cmd"],
        "process.working_directory": match["pwd"],
    }
    return fields
