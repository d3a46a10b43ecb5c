"""Meaning extracted from sshd, PAM and sudo messages: the fields brute-force rules count on."""

from __future__ import annotations

import re

from shieldwall.monitor.event import FieldValue

# sshd phrases from OpenSSH's auth.c / auth2.c log calls; the first match wins.
# Each pattern comes with a phrase it cannot match without: a substring test is much cheaper than
# a failed search, and most sshd lines (disconnects, sessions) match none of them.
_SSHD: tuple[tuple[str, re.Pattern[str], str, str], ...] = (
    (
        "Failed ",
        re.compile(
            r"Failed (?P<method>\S+) for (?:invalid user )?(?P<user>.*?) from (?P<ip>\S+)"
            r"(?: port (?P<port>\d+))?"
        ),
        "ssh_login",
        "failure",
    ),
    (
        "Accepted ",
        re.compile(
            r"Accepted (?P<method>\S+) for (?P<user>\S+) from (?P<ip>\S+)(?: port (?P<port>\d+))?"
        ),
        "ssh_login",
        "success",
    ),
    (
        "Invalid user ",
        re.compile(r"Invalid user (?P<user>.*?) from (?P<ip>\S+)(?: port (?P<port>\d+))?$"),
        "invalid_user",
        "failure",
    ),
    (
        "authentication failure;",
        re.compile(r"authentication failure;.*?rhost=(?P<ip>\S*)(?:\s+user=(?P<user>\S+))?"),
        "pam_auth",
        "failure",
    ),
    (
        "] failed - POSSIBLE BREAK-IN ATTEMPT",
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
    for phrase, pattern, action, outcome in _SSHD:
        if phrase not in message:
            continue
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
