"""Dockerfile checks: root user, floating base images, remote ADD, curl|sh, secrets, and more."""

from __future__ import annotations

import re
from collections.abc import Iterator

from shieldwall.analyzers.iac.checks.base import DockerfileCheck, DockerfileFn, rule
from shieldwall.analyzers.iac.dockerfile import Dockerfile, Instruction, Stage
from shieldwall.analyzers.iac.policy import Hit
from shieldwall.core.severity import Severity

_SECRET_NAME = re.compile(
    r"(?i)(passw(or)?d|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)"
)
_PIPE_TO_SHELL = re.compile(r"(?i)\b(curl|wget)\b[^|;&]*\|\s*(sudo\s+)?(ba|z|da|k)?sh\b")
_APT_INSTALL = re.compile(r"\bapt(?:-get)?\s+(?:[-\w=]+\s+)*install\b(?P<args>[^;&|]*)")
_INSECURE_TLS = re.compile(
    r"(?i)(\bcurl\b[^;&|]*\s(-k|--insecure)\b|\bwget\b[^;&|]*--no-check-certificate)"
)
_UNAUTHENTICATED = re.compile(
    r"--allow-unauthenticated|--force-yes|--trusted-host|--allow-insecure-repositories"
)
_CHMOD_777 = re.compile(r"\bchmod\s+(-R\s+)?0?777\b")


def _final(df: Dockerfile) -> Stage | None:
    return df.stages[-1] if df.stages else None


def _root_user(df: Dockerfile) -> Iterator[Hit]:
    stage = _final(df)
    if stage is None:
        return
    users = [i for i in stage.instructions if i.keyword == "USER"]
    if not users:
        yield Hit(df.path, stage.base.line, "no USER instruction in the final stage")
        return
    last = users[-1]
    name = last.arguments.split(":")[0].strip()
    if name in {"root", "0"}:
        yield Hit(df.path, last.line, f"USER {last.arguments}")


def _floating_tag(df: Dockerfile) -> Iterator[Hit]:
    names: set[str] = set()
    for stage in df.stages:
        image = stage.image
        if image and image.lower() not in names and image != "scratch" and "$" not in image:
            ref = image.rsplit("/", 1)[-1]
            if "@" not in image and (":" not in ref or ref.endswith(":latest")):
                yield Hit(df.path, stage.base.line, image)
        if stage.name:
            names.add(stage.name)


def _instructions(df: Dockerfile, keyword: str) -> Iterator[Instruction]:
    return (i for i in df.instructions if i.keyword == keyword)


def _add_url(df: Dockerfile) -> Iterator[Hit]:
    for ins in _instructions(df, "ADD"):
        sources = ins.arguments.split()[:-1]
        if any(s.startswith(("http://", "https://", "ftp://")) for s in sources):
            yield Hit(df.path, ins.line, ins.arguments)


def _pipe_to_shell(df: Dockerfile) -> Iterator[Hit]:
    for ins in _instructions(df, "RUN"):
        if _PIPE_TO_SHELL.search(ins.arguments):
            yield Hit(df.path, ins.line, "download piped to a shell")


def _secrets(df: Dockerfile) -> Iterator[Hit]:
    for ins in df.instructions:
        if ins.keyword not in {"ENV", "ARG"}:
            continue
        for name, value in _assignments(ins):
            if _SECRET_NAME.search(name) and value and not value.startswith("$"):
                yield Hit(df.path, ins.line, f"{ins.keyword} {name}", secret=value)


def _assignments(ins: Instruction) -> list[tuple[str, str]]:
    text = ins.arguments.strip()
    if "=" not in text.split()[0] if text.split() else True:
        # Legacy "ENV NAME value" form, or "ARG NAME" without default.
        name, _, value = text.partition(" ")
        return [(name, value.strip().strip("\"'"))] if ins.keyword == "ENV" else [(name, "")]
    pairs = re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=(\"[^\"]*\"|'[^']*'|\S*)", text)
    return [(k, v.strip("\"'")) for k, v in pairs]


def _healthcheck(df: Dockerfile) -> Iterator[Hit]:
    stage = _final(df)
    if stage is not None and not any(i.keyword == "HEALTHCHECK" for i in df.instructions):
        yield Hit(df.path, stage.base.line, "no HEALTHCHECK")


def _apt_unpinned(df: Dockerfile) -> Iterator[Hit]:
    for ins in _instructions(df, "RUN"):
        for m in _APT_INSTALL.finditer(ins.arguments):
            packages = [a for a in m.group("args").split() if not a.startswith("-")]
            if any("=" not in p for p in packages):
                yield Hit(df.path, ins.line, "apt-get install without versions")
                break


def _sudo(df: Dockerfile) -> Iterator[Hit]:
    for ins in _instructions(df, "RUN"):
        if re.search(r"(^|[;&|]\s*|\s)sudo\s", ins.arguments):
            yield Hit(df.path, ins.line, "sudo")


def _chmod_777(df: Dockerfile) -> Iterator[Hit]:
    for ins in _instructions(df, "RUN"):
        if _CHMOD_777.search(ins.arguments):
            yield Hit(df.path, ins.line, "chmod 777")


def _ssh_port(df: Dockerfile) -> Iterator[Hit]:
    for ins in _instructions(df, "EXPOSE"):
        if any(p.split("/")[0] == "22" for p in ins.arguments.split()):
            yield Hit(df.path, ins.line, "EXPOSE 22")


def _insecure_tls(df: Dockerfile) -> Iterator[Hit]:
    for ins in _instructions(df, "RUN"):
        if _INSECURE_TLS.search(ins.arguments):
            yield Hit(df.path, ins.line, "TLS verification disabled")


def _unauthenticated(df: Dockerfile) -> Iterator[Hit]:
    for ins in _instructions(df, "RUN"):
        if _UNAUTHENTICATED.search(ins.arguments):
            yield Hit(df.path, ins.line, "package signature/host check disabled")


def _insecure_run(df: Dockerfile) -> Iterator[Hit]:
    for ins in _instructions(df, "RUN"):
        if ins.flag("security") == "insecure":
            yield Hit(df.path, ins.line, "RUN --security=insecure")


_REMEDIATION: dict[str, str] = {
    "SW-IAC-220": (
        "Create and switch to an unprivileged user at the end of the final stage:\n"
        "\n"
        "```dockerfile\n"
        "RUN useradd --uid 10001 --no-create-home app\n"
        "USER 10001\n"
        "```"
    ),
    "SW-IAC-221": (
        "Pin a version, ideally with a digest:\n"
        "\n"
        "```dockerfile\n"
        "FROM python:3.12-slim@sha256:<digest>\n"
        "```"
    ),
    "SW-IAC-222": (
        "Download with a checksum check instead:\n"
        "\n"
        "```dockerfile\n"
        'RUN curl -fsSLo /tmp/x.tgz https://example.com/x.tgz && echo "<sha256>  /tmp/x.tgz" | '
        "sha256sum -c -\n"
        "```"
    ),
    "SW-IAC-223": (
        "Download to a file, verify its checksum or signature, then run it:\n"
        "\n"
        "```dockerfile\n"
        "RUN curl -fsSLo install.sh https://example.com/install.sh && sha256sum -c "
        "install.sh.sha256 && sh install.sh\n"
        "```"
    ),
    "SW-IAC-224": (
        "Pass secrets at build time with BuildKit secret mounts, never as ENV/ARG (they stay in "
        "the image history):\n"
        "\n"
        "```dockerfile\n"
        "RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci\n"
        "```"
    ),
    "SW-IAC-225": (
        "Declare how to check the service:\n"
        "\n"
        "```dockerfile\n"
        "HEALTHCHECK --interval=30s CMD curl -fsS http://localhost:8080/health || exit 1\n"
        "```"
    ),
    "SW-IAC-226": (
        "Pin versions so builds are reproducible:\n"
        "\n"
        "```dockerfile\n"
        "RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5\n"
        "```"
    ),
    "SW-IAC-227": (
        "RUN executes as the current USER already; switch with `USER root` for the step and "
        "back, and do not install sudo:\n\n```dockerfile\nUSER root\nRUN chown app /srv\n"
        "USER app\n```"
    ),
    "SW-IAC-228": (
        "Grant only what is needed:\n"
        "\n"
        "```dockerfile\n"
        "RUN chown -R app:app /app && chmod -R u=rwX,go=rX /app\n"
        "```"
    ),
    "SW-IAC-229": (
        "Do not run an SSH server in a container; use `docker exec`/`kubectl exec` for access:"
        "\n\n```dockerfile\nEXPOSE 8080\n```"
    ),
    "SW-IAC-230": (
        "Remove `-k`/`--insecure`/`--no-check-certificate`; install the CA certificate if the "
        "host uses a private CA:\n\n```dockerfile\n"
        "COPY corp-ca.crt /usr/local/share/ca-certificates/\n"
        "RUN update-ca-certificates && curl -fsSLO https://internal.example.com/a\n```"
    ),
    "SW-IAC-231": (
        "Remove `--allow-unauthenticated`, `--force-yes` or `--trusted-host`; import the "
        "repository key instead:\n\n```dockerfile\nRUN curl -fsSL https://repo.example.com/key.gpg "
        "| gpg --dearmor -o /usr/share/keyrings/repo.gpg\n```"
    ),
    "SW-IAC-232": (
        "Drop `--security=insecure`; build steps should not need full privileges:\n\n"
        "```dockerfile\nRUN make test\n```"
    ),
}

_SPECS: tuple[tuple[str, str, Severity, str, DockerfileFn], ...] = (
    (
        "SW-IAC-220",
        "Container runs as root (no non-root USER in the final stage)",
        Severity.MEDIUM,
        "CWE-250",
        _root_user,
    ),
    (
        "SW-IAC-221",
        "Base image is not pinned (no tag, or :latest)",
        Severity.MEDIUM,
        "CWE-1357",
        _floating_tag,
    ),
    ("SW-IAC-222", "ADD fetches a remote URL", Severity.MEDIUM, "CWE-494", _add_url),
    (
        "SW-IAC-223",
        "Download piped straight into a shell (curl | sh)",
        Severity.HIGH,
        "CWE-494",
        _pipe_to_shell,
    ),
    ("SW-IAC-224", "Secret in an ENV or ARG instruction", Severity.HIGH, "CWE-798", _secrets),
    ("SW-IAC-225", "No HEALTHCHECK instruction", Severity.LOW, "CWE-693", _healthcheck),
    (
        "SW-IAC-226",
        "apt-get install without pinned package versions",
        Severity.LOW,
        "CWE-1357",
        _apt_unpinned,
    ),
    ("SW-IAC-227", "sudo used in a RUN instruction", Severity.MEDIUM, "CWE-250", _sudo),
    (
        "SW-IAC-228",
        "World-writable permissions (chmod 777)",
        Severity.MEDIUM,
        "CWE-732",
        _chmod_777,
    ),
    ("SW-IAC-229", "SSH port 22 exposed", Severity.LOW, "CWE-284", _ssh_port),
    (
        "SW-IAC-230",
        "TLS certificate verification disabled in a download",
        Severity.MEDIUM,
        "CWE-295",
        _insecure_tls,
    ),
    (
        "SW-IAC-231",
        "Package manager told to skip signature or host checks",
        Severity.MEDIUM,
        "CWE-494",
        _unauthenticated,
    ),
    (
        "SW-IAC-232",
        "RUN with --security=insecure (privileged build step)",
        Severity.HIGH,
        "CWE-250",
        _insecure_run,
    ),
)

DOCKERFILE_CHECKS: tuple[DockerfileCheck, ...] = tuple(
    DockerfileCheck(rule(rid, title, severity, cwe, _REMEDIATION[rid]), fn)
    for rid, title, severity, cwe, fn in _SPECS
)
