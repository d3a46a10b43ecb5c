"""The image analyzer's rules: configuration and file-mode checks of a container image."""

from __future__ import annotations

from shieldwall.core.rule import Rule
from shieldwall.core.severity import Severity

SCANNER = "image"

ROOT_USER = Rule.create(
    id="SW-IMG-001",
    title="Container runs as root",
    severity=Severity.MEDIUM,
    scanner=SCANNER,
    description="The image config sets no USER, or sets root: a process that escapes the "
    "application starts with root's rights in the container, one kernel bug from the host.",
    remediation="Add a non-root user and switch to it: `RUN useradd -r app` then `USER app` "
    "(or a numeric UID such as `USER 10001`).",
    cwe=["CWE-250"],
    references=["https://docs.docker.com/develop/develop-images/instructions/#user"],
    tags=["container", "misconfiguration"],
)

SENSITIVE_PORT = Rule.create(
    id="SW-IMG-002",
    title="Image exposes a sensitive port",
    severity=Severity.MEDIUM,
    scanner=SCANNER,
    description="The image declares a remote-administration or database port (SSH, Telnet, "
    "RDP, VNC, the Docker API, databases) that should not be reachable from outside.",
    remediation="Remove the EXPOSE; reach administration through `docker exec` or a bastion, "
    "and keep databases on a private network.",
    cwe=["CWE-668"],
    tags=["container", "misconfiguration"],
)

SECRET_IN_CONFIG = Rule.create(
    id="SW-IMG-003",
    title="Credential in image ENV or build argument",
    severity=Severity.HIGH,
    scanner=SCANNER,
    description="An environment variable or build argument whose name says it holds a "
    "credential has a value baked into the image config or history: anyone who can pull the "
    "image can read it (`docker inspect`, `docker history`).",
    remediation="Pass secrets at run time (orchestrator secrets, mounted files) or with "
    "`RUN --mount=type=secret` at build time; rotate the exposed value.",
    cwe=["CWE-526", "CWE-798"],
    tags=["container", "secret"],
)

SETUID_FILE = Rule.create(
    id="SW-IMG-004",
    title="setuid or setgid file in the image",
    severity=Severity.LOW,
    scanner=SCANNER,
    description="A file runs with its owner's or group's rights whoever starts it: each one is "
    "a privilege-escalation path if it has a bug.",
    remediation="Remove the bit where the program is not needed "
    "(`RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} +`).",
    cwe=["CWE-250"],
    tags=["container", "file-permissions"],
)

WORLD_WRITABLE = Rule.create(
    id="SW-IMG-005",
    title="World-writable file or directory in the image",
    severity=Severity.MEDIUM,
    scanner=SCANNER,
    description="Any user in the container can change a world-writable file (or add and remove "
    "files in a directory without the sticky bit), e.g. to plant code that another user runs.",
    remediation="Drop the write bit for others (`chmod o-w`), or set the sticky bit on shared "
    "directories (`chmod +t`).",
    cwe=["CWE-732"],
    tags=["container", "file-permissions"],
)

RULES = (ROOT_USER, SENSITIVE_PORT, SECRET_IN_CONFIG, SETUID_FILE, WORLD_WRITABLE)

VULNERABLE_OS_PACKAGE = Rule.create(
    id="SW-IMG-006",
    title="OS package with a known vulnerability",
    severity=Severity.HIGH,
    scanner="image-vulns",
    description="A package installed by the image's distribution package manager (dpkg, apk, "
    "rpm) is affected by an advisory of that distribution (OSV data: Debian, Ubuntu, Alpine, "
    "Rocky Linux, AlmaLinux, Red Hat ...). Versions are compared with the package manager's own "
    "ordering; where the distribution tracks advisories by source package, the package's source "
    "is matched. The finding says whether a fixed version is published.",
    remediation="Rebuild the image on an updated base image, or upgrade the package in the "
    "Dockerfile (`apt-get upgrade`, `apk upgrade`, `dnf upgrade`); where no fix is published, "
    "remove the package if the application does not need it.",
    cwe=["CWE-1395"],
    references=["https://ossf.github.io/osv-schema/#affectedpackage-field"],
    tags=["container", "sca", "os-package"],
)
