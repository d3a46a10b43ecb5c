"""OS package databases and os-release, parsed from their bytes (pure collectors).

* dpkg: ``var/lib/dpkg/status`` and distroless ``var/lib/dpkg/status.d/*`` — RFC 822-style
  stanzas (Debian Policy §5); only packages whose ``Status`` ends in ``installed`` count;
  ``Source: name (version)`` names the source package the distribution tracks advisories by.
* apk: ``lib/apk/db/installed`` — ``P:``/``V:``/``A:``/``o:``/``L:`` lines, one blank-line
  separated block per package (apk-tools' database format).
* rpm: ``var/lib/rpm/rpmdb.sqlite`` header blobs, read by :mod:`shieldwall.image.rpmdb`.
* os-release: ``KEY=value`` lines with shell-style quoting (freedesktop os-release(5)).
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class OsInfo:
    """The distribution from os-release."""

    id: str
    version_id: str = ""
    pretty_name: str = ""
    id_like: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OsPackage:
    """One installed OS package."""

    manager: str  # "dpkg", "apk" or "rpm"
    name: str
    version: str
    arch: str = ""
    source_name: str = ""
    source_version: str = ""
    license: str = ""

    def purl(self, os: OsInfo | None) -> str:
        """The package URL (purl-spec ``deb`` and ``apk`` types)."""
        from packageurl import PackageURL

        kind = {"dpkg": "deb", "rpm": "rpm"}.get(self.manager, "apk")
        default = {"deb": "debian", "rpm": "redhat"}.get(kind, "alpine")
        namespace = os.id if os and os.id else default
        qualifiers = {}
        version = self.version
        if kind == "rpm" and ":" in version:  # purl-spec: the rpm epoch is a qualifier
            qualifiers["epoch"], _, version = version.partition(":")
        if self.arch:
            qualifiers["arch"] = self.arch
        if os and os.version_id:
            qualifiers["distro"] = f"{os.id}-{os.version_id}"
        if self.source_name and self.source_name != self.name:
            qualifiers["upstream"] = self.source_name
        return str(PackageURL(kind, namespace, self.name, version, qualifiers))


def parse_os_release(text: str) -> OsInfo | None:
    """The distribution named by an os-release file; None without an ``ID``."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        try:
            parts = shlex.split(value)
        except ValueError:
            parts = [value.strip("\"'")]
        values[key.strip()] = parts[0] if parts else ""
    if not values.get("ID"):
        return None
    return OsInfo(
        id=values["ID"].lower(),
        version_id=values.get("VERSION_ID", ""),
        pretty_name=values.get("PRETTY_NAME", ""),
        id_like=tuple(values.get("ID_LIKE", "").split()),
    )


def _stanzas(text: str) -> Iterator[dict[str, str]]:
    fields: dict[str, str] = {}
    key = ""
    for line in text.splitlines():
        if not line.strip():
            if fields:
                yield fields
            fields, key = {}, ""
        elif line[0] in " \t":
            if key:  # a continuation line (Description, Conffiles): only the first line matters
                continue
        elif ":" in line:
            key, _, value = line.partition(":")
            fields[key.strip().lower()] = value.strip()
    if fields:
        yield fields


def parse_dpkg_status(text: str) -> list[OsPackage]:
    """Installed packages of a dpkg status file (or a ``status.d`` entry)."""
    out = []
    for fields in _stanzas(text):
        name, version = fields.get("package", ""), fields.get("version", "")
        status = fields.get("status", "install ok installed")
        if not name or not version or not status.endswith(" installed"):
            continue
        source = fields.get("source", "")
        source_name, _, rest = source.partition(" ")
        source_version = rest.strip().strip("()") if rest else ""
        out.append(
            OsPackage(
                manager="dpkg",
                name=name,
                version=version,
                arch=fields.get("architecture", ""),
                source_name=source_name or name,
                source_version=source_version or version,
            )
        )
    return out


def parse_apk_installed(text: str) -> list[OsPackage]:
    """Installed packages of an apk database."""
    out = []
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.splitlines():
            if len(line) > 2 and line[1] == ":":
                fields.setdefault(line[0], line[2:])
        if fields.get("P") and fields.get("V"):
            out.append(
                OsPackage(
                    manager="apk",
                    name=fields["P"],
                    version=fields["V"],
                    arch=fields.get("A", ""),
                    source_name=fields.get("o", fields["P"]),
                    source_version=fields["V"],
                    license=fields.get("L", ""),
                )
            )
    return out
