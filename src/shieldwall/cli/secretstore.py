"""``shieldwall secrets``: the embedded encrypted store, Vault, injection, rotation and audit."""

from __future__ import annotations

import getpass
import os
import resource
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from shieldwall.cli.errors import handle_errors
from shieldwall.core.errors import UsageError
from shieldwall.secretstore.audit import AuditLog, Operation, default_identity
from shieldwall.secretstore.dynamic import DynamicCredentials
from shieldwall.secretstore.embedded import EmbeddedStore
from shieldwall.secretstore.errors import SecretConfigError, SecretStoreError
from shieldwall.secretstore.fingerprints import build_fingerprints, save_fingerprints
from shieldwall.secretstore.keeper import LeaseKeeper, role_for
from shieldwall.secretstore.leaks import Unreadable, find_leaks
from shieldwall.secretstore.leases import LeaseFile
from shieldwall.secretstore.mapping import (
    DEFAULT_FILE,
    AwsSettings,
    BackendKind,
    VaultSettings,
    load_mapping,
)
from shieldwall.secretstore.policy import PathPolicy, overdue
from shieldwall.secretstore.rotation import PostgresRotator, RandomRotator, Rotator
from shieldwall.secretstore.runner import run_with_secrets
from shieldwall.secretstore.service import SecretsService
from shieldwall.secretstore.settings import PASSPHRASE_ENV, StoreSettings

app = typer.Typer(
    help="Secrets kept encrypted or in Vault, injected at run time, every access audited.",
    no_args_is_help=True,
)

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help="Store file (default: $SHIELDWALL_SECRETS_STORE or data dir)."),
]
AuditOption = Annotated[
    Path | None,
    typer.Option("--audit-log", help="Audit log (default: beside the store)."),
]
BackendOption = Annotated[
    BackendKind, typer.Option("--backend", "-b", help="Where the secret lives.")
]
MappingOption = Annotated[
    Path, typer.Option("--mapping", help="Variables-to-secrets file (and [vault] settings).")
]


@app.callback()
def _no_core_dumps() -> None:
    """Secrets commands hold values in memory: forbid core dumps of this process."""
    # A crash dump would write decrypted values and the master key to disk.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _prompt_passphrase(confirm: bool = False) -> str:
    if not sys.stdin.isatty() and not Path("/dev/tty").exists():
        raise SecretConfigError(f"no passphrase: set ${PASSPHRASE_ENV} or run interactively")
    first = getpass.getpass("store passphrase: ")
    if confirm and getpass.getpass("repeat passphrase: ") != first:
        raise UsageError("the passphrases differ")
    return first


def _service(store: Path | None, audit: Path | None, mapping: Path | None = None) -> SecretsService:
    settings = StoreSettings.resolve(os.environ, store=store, audit=audit)
    vault, aws = VaultSettings(), AwsSettings()
    if mapping is not None and mapping.is_file():
        loaded = load_mapping(mapping)
        vault, aws = loaded.vault, loaded.aws

    def passphrase() -> str:
        return settings.passphrase or _prompt_passphrase()

    return SecretsService(settings, passphrase, dict(os.environ), vault, aws)


MAX_VALUE_BYTES = 1024 * 1024  # certificates and key files fit; a whole disk image does not


def _read_value() -> str:
    """The new value from stdin when piped, else from a hidden prompt; never from argv."""
    if sys.stdin.isatty():
        value = getpass.getpass("secret value: ")
        if getpass.getpass("repeat value: ") != value:
            raise UsageError("the values differ")
    else:
        raw = sys.stdin.buffer.read(MAX_VALUE_BYTES + 1)
        if len(raw) > MAX_VALUE_BYTES:
            raise UsageError(f"secret value larger than {MAX_VALUE_BYTES} bytes")
        try:
            value = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise UsageError("the secret value on stdin is not UTF-8 text") from None
        # One trailing newline comes from `echo` or a heredoc, not from the secret.
        value = value.removesuffix("\n").removesuffix("\r")
    if not value:
        raise UsageError("empty secret value")
    return value


@app.command("init")
@handle_errors
def init_command(
    age_recipient: Annotated[
        list[str] | None,
        typer.Option(
            "--age-recipient",
            help="Seal the master key to this age recipient (age1..., repeatable) instead of "
            "a passphrase; open it with $SHIELDWALL_SECRETS_AGE_IDENTITY.",
        ),
    ] = None,
    kms_key: Annotated[
        str | None,
        typer.Option(
            "--kms-key",
            help="Wrap the master key with this AWS KMS key (id, ARN or alias/...) instead of "
            "a passphrase; opening the store then needs kms:Decrypt on it.",
        ),
    ] = None,
    kms_region: Annotated[str, typer.Option("--kms-region", help="Region of --kms-key.")] = (
        "us-east-1"
    ),
    kms_endpoint: Annotated[
        str | None, typer.Option("--kms-endpoint", help="KMS endpoint URL (VPC or local).")
    ] = None,
    store: StoreOption = None,
    audit_log: AuditOption = None,
) -> None:
    """Create an empty encrypted store (passphrase: $SHIELDWALL_SECRETS_PASSPHRASE or a prompt)."""
    settings = StoreSettings.resolve(os.environ, store=store, audit=audit_log)
    if kms_key:
        from shieldwall.secretstore.kms import AwsKms

        EmbeddedStore.init_kms(settings.store, AwsKms(kms_key, kms_region, kms_endpoint))
    elif age_recipient:
        EmbeddedStore.init_age(settings.store, age_recipient)
    else:
        EmbeddedStore.init(settings.store, settings.passphrase or _prompt_passphrase(confirm=True))
    typer.echo(f"created secret store {settings.store}")


@app.command("reseal")
@handle_errors
def reseal_command(
    age_recipient: Annotated[
        list[str],
        typer.Option(
            "--age-recipient",
            help="The complete new list of recipients (age1... or ssh-..., repeatable); "
            "anyone left out can no longer open the store.",
        ),
    ],
    store: StoreOption = None,
    audit_log: AuditOption = None,
) -> None:
    """Re-seal an age store's master key to new recipients (needs a current identity)."""
    service = _service(store, audit_log)
    opened = service.store()
    opened.reseal(age_recipient)
    service.audit.record(Operation.WRITE, "store", "<master-key>")
    typer.echo(f"{opened.path}: master key sealed to {len(age_recipient)} recipient(s)", err=True)


@app.command("set")
@handle_errors
def set_command(
    path: Annotated[str, typer.Argument(help="Secret path, e.g. db/password.")],
    backend: BackendOption = BackendKind.STORE,
    store: StoreOption = None,
    audit_log: AuditOption = None,
    mapping: MappingOption = Path(DEFAULT_FILE),
) -> None:
    """Store a new version; the value comes from stdin or a prompt, never from the command line."""
    value = _read_value()
    version = _service(store, audit_log, mapping).backend(backend).write(path, value)
    typer.echo(f"{path}: version {version}", err=True)


@app.command("get")
@handle_errors
def get_command(
    path: Annotated[str, typer.Argument(help="Secret path.")],
    version: Annotated[int | None, typer.Option("--version", "-v", min=1)] = None,
    backend: BackendOption = BackendKind.STORE,
    store: StoreOption = None,
    audit_log: AuditOption = None,
    mapping: MappingOption = Path(DEFAULT_FILE),
) -> None:
    """Print the value (the current version unless --version)."""
    secret = _service(store, audit_log, mapping).backend(backend).read(path, version)
    typer.echo(secret.value)


@app.command("list")
@handle_errors
def list_command(
    prefix: Annotated[str, typer.Argument(help="Only paths under this prefix.")] = "",
    backend: BackendOption = BackendKind.STORE,
    store: StoreOption = None,
    audit_log: AuditOption = None,
    mapping: MappingOption = Path(DEFAULT_FILE),
) -> None:
    """List secret paths (never values)."""
    for path in _service(store, audit_log, mapping).backend(backend).list(prefix):
        typer.echo(path)


@app.command("versions")
@handle_errors
def versions_command(
    path: Annotated[str, typer.Argument(help="Secret path.")],
    backend: BackendOption = BackendKind.STORE,
    store: StoreOption = None,
    audit_log: AuditOption = None,
    mapping: MappingOption = Path(DEFAULT_FILE),
) -> None:
    """Show every version with its creation time and state."""
    meta = _service(store, audit_log, mapping).backend(backend, Operation.METADATA).metadata(path)
    for info in meta.versions:
        state = "destroyed" if info.destroyed else ("deleted" if info.deleted_at else "live")
        marker = "*" if info.version == meta.current_version else " "
        typer.echo(f"{marker}{info.version:>4}  {info.created_at.isoformat()}  {state}")


@app.command("delete")
@handle_errors
def delete_command(
    path: Annotated[str, typer.Argument(help="Secret path.")],
    version: Annotated[int | None, typer.Option("--version", "-v", min=1)] = None,
    backend: BackendOption = BackendKind.STORE,
    store: StoreOption = None,
    audit_log: AuditOption = None,
    mapping: MappingOption = Path(DEFAULT_FILE),
) -> None:
    """Soft-delete the current version (or --version); older versions stay."""
    _service(store, audit_log, mapping).backend(backend).delete(path, version)
    typer.echo(f"deleted {path}" + (f" version {version}" if version else ""), err=True)


@app.command("run", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
@handle_errors
def run_command(
    command: Annotated[list[str], typer.Argument(help="The program and its arguments, after --.")],
    store: StoreOption = None,
    audit_log: AuditOption = None,
    mapping: MappingOption = Path(DEFAULT_FILE),
) -> None:
    """Run a program with the variables of .shieldwall-secrets.toml in its environment."""
    service = _service(store, audit_log)
    loaded = load_mapping(mapping)
    values = service.resolve(loaded)
    keeper = LeaseKeeper(_dynamic(service), loaded.dynamic, dict(os.environ), service.vault_backend)
    # SIGTERM (CI cancelling a job) must still revoke the leases: make it unwind like an error,
    # which also kills the child (subprocess.run does on any exception).
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        with keeper as leased:
            code = run_with_secrets(command, {**values, **leased}, dict(os.environ))
    finally:
        signal.signal(signal.SIGTERM, previous)
    raise typer.Exit(code)


def _terminate(signum: int, frame: object) -> None:
    del frame
    raise SystemExit(128 + signum)


def _dynamic(service: SecretsService) -> DynamicCredentials:
    return DynamicCredentials(LeaseFile(service.settings.leases), service.audit)


leases_app = typer.Typer(help="Leases of dynamic database credentials.", no_args_is_help=True)
app.add_typer(leases_app, name="leases")


@leases_app.command("list")
@handle_errors
def leases_list_command(
    all_leases: Annotated[bool, typer.Option("--all", help="Include revoked leases.")] = False,
    store: StoreOption = None,
    audit_log: AuditOption = None,
) -> None:
    """Leases with their login, start and end (never a password)."""
    settings = StoreSettings.resolve(os.environ, store=store, audit=audit_log)
    now = datetime.now(UTC)
    for lease in LeaseFile(settings.leases).leases():
        if not lease.live and not all_leases:
            continue
        state = "revoked" if not lease.live else ("expired" if lease.expired(now) else "live")
        typer.echo(
            f"{lease.id}  {lease.name}  {lease.username}  {lease.created_at.isoformat()}  "
            f"until {lease.expires_at.isoformat()}  {state}"
        )


@leases_app.command("revoke")
@handle_errors
def leases_revoke_command(
    lease_id: Annotated[
        str | None, typer.Argument(help="The lease to revoke (omit with --expired).")
    ] = None,
    expired: Annotated[
        bool, typer.Option("--expired", help="Revoke every live lease past its end.")
    ] = False,
    store: StoreOption = None,
    audit_log: AuditOption = None,
    mapping: MappingOption = Path(DEFAULT_FILE),
) -> None:
    """Drop a lease's login now (or every expired one); the admin URL comes from the mapping."""
    service = _service(store, audit_log)
    manager = _dynamic(service)
    loaded = load_mapping(mapping)
    roles = {name: role_for(name, t, os.environ) for name, t in loaded.dynamic.items()}
    if expired:
        for lease in manager.revoke_expired(roles):
            typer.echo(f"revoked {lease.id} ({lease.username})", err=True)
        return
    if lease_id is None:
        raise UsageError("give a lease id, or --expired")
    found = manager.leases.get(lease_id)
    if found is None or found.name not in roles:
        raise UsageError(f"no lease {lease_id!r} with a [dynamic] table in {mapping}")
    manager.revoke(roles[found.name], lease_id)
    typer.echo(f"revoked {lease_id} ({found.username})", err=True)


class _Rotators:
    RANDOM = "random"
    POSTGRES = "postgres"


@app.command("rotate")
@handle_errors
def rotate_command(
    path: Annotated[str, typer.Argument(help="Secret path.")],
    rotator: Annotated[
        str, typer.Option("--rotator", help="random, or postgres (ALTER ROLE ... PASSWORD).")
    ] = _Rotators.RANDOM,
    role: Annotated[str | None, typer.Option("--role", help="PostgreSQL role to rotate.")] = None,
    postgres_url_env: Annotated[
        str,
        typer.Option(
            "--postgres-url-env",
            help="Variable holding the admin connection string (kept off the command line).",
        ),
    ] = "SHIELDWALL_ROTATE_POSTGRES_URL",
    length: Annotated[int, typer.Option("--length", min=16, max=256)] = 32,
    backend: BackendOption = BackendKind.STORE,
    store: StoreOption = None,
    audit_log: AuditOption = None,
    mapping: MappingOption = Path(DEFAULT_FILE),
) -> None:
    """Generate a new value, apply it (postgres) and keep the old versions."""
    chosen: Rotator
    if rotator == _Rotators.RANDOM:
        chosen = RandomRotator(length)
    elif rotator == _Rotators.POSTGRES:
        conninfo = os.environ.get(postgres_url_env)
        if not role or not conninfo:
            raise UsageError(f"the postgres rotator needs --role and ${postgres_url_env}")
        chosen = PostgresRotator(conninfo, role, length)
    else:
        raise UsageError(f"unknown rotator {rotator!r}: use random or postgres")
    target = _service(store, audit_log, mapping).backend(backend, Operation.ROTATE)
    version = chosen.rotate(target, path)
    typer.echo(f"rotated {path}: version {version}", err=True)


@app.command("due")
@handle_errors
def due_command(
    backend: BackendOption = BackendKind.STORE,
    store: StoreOption = None,
    audit_log: AuditOption = None,
    mapping: MappingOption = Path(DEFAULT_FILE),
) -> None:
    """Secrets older than the max_age_days of the policy file's rotate rules; exit 1 if any."""
    service = _service(store, audit_log, mapping)
    policy = PathPolicy.load(service.settings.policy)
    late = overdue(service.backend(backend, Operation.METADATA), policy, datetime.now(UTC))
    for item in late:
        typer.echo(
            f"{item.path}: current version is {item.age_days} days old (policy: "
            f"{item.max_age_days}); rotate it: shieldwall secrets rotate {item.path}"
        )
    typer.echo(f"{len(late)} secret(s) due for rotation", err=True)
    if late:
        raise typer.Exit(1)


@app.command("audit")
@handle_errors
def audit_command(
    verify: Annotated[bool, typer.Option("--verify", help="Check the hash chain.")] = False,
    ship: Annotated[
        bool,
        typer.Option(
            "--ship",
            help="Send new entries to the hub ($SHIELDWALL_HUB_URL, upload token in "
            "$SHIELDWALL_TOKEN); the hub's checkpoint makes it safe to repeat.",
        ),
    ] = False,
    store: StoreOption = None,
    audit_log: AuditOption = None,
) -> None:
    """Who read what, when, from where; --verify checks the chain; --ship sends it to the hub."""
    log = AuditLog(StoreSettings.resolve(os.environ, store=store, audit=audit_log).audit)
    if ship:
        _ship(log)
        return
    report = log.verify()
    if verify:
        if report.problem is not None:
            raise SecretStoreError(f"audit log {log.path} is tampered: {report.problem}")
        typer.echo(f"audit log {log.path}: {len(report.entries)} entries, hash chain intact")
        return
    for entry in log.entries():
        version = "" if entry.version is None else f"v{entry.version}"
        typer.echo(
            f"{entry.time}  {entry.identity}  {entry.operation:<8} {entry.backend}:{entry.path} "
            f"{version}  {entry.outcome}  {entry.client}"
        )


@app.command("fingerprints")
@handle_errors
def fingerprints_command(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="File to write (mode 0600); point the scanner's "
            "[analyzers.secrets] leak_fingerprints at it.",
        ),
    ],
    prefix: Annotated[str, typer.Option("--prefix", help="Only secrets under this path.")] = "",
    owner: Annotated[
        str | None, typer.Option("--owner", help="Owner named in findings (default: you).")
    ] = None,
    backend: BackendOption = BackendKind.STORE,
    store: StoreOption = None,
    audit_log: AuditOption = None,
    mapping: MappingOption = Path(DEFAULT_FILE),
) -> None:
    """Export keyed HMAC fingerprints of the live secrets (never the values) for `scan`."""
    source = _service(store, audit_log, mapping).backend(backend)
    fingerprints = build_fingerprints(source, owner or default_identity(), source.list(prefix))
    save_fingerprints(fingerprints, out)
    typer.echo(f"{len(fingerprints.digests)} secret fingerprints written to {out}", err=True)


def _ship(log: AuditLog) -> None:
    from shieldwall.hub.settings import ClientSettings
    from shieldwall.secretstore.shipping import ship_audit

    client = ClientSettings()
    if not client.token:
        raise UsageError("--ship needs a hub token with the upload scope in $SHIELDWALL_TOKEN")
    result = ship_audit(log, client.hub_url, client.token, label=str(log.path))
    typer.echo(
        f"audit log {log.path}: {result.accepted} new entries shipped to {client.hub_url}; "
        f"the hub holds up to entry {result.last_seq}"
    )


@app.command("leaks")
@handle_errors
def leaks_command(
    target: Annotated[Path, typer.Argument(help="File or directory to search (logs included).")],
    prefix: Annotated[str, typer.Option("--prefix", help="Only secrets under this path.")] = "",
    owner: Annotated[
        str | None, typer.Option("--owner", help="Owner named in reports (default: you).")
    ] = None,
    backend: BackendOption = BackendKind.STORE,
    store: StoreOption = None,
    audit_log: AuditOption = None,
    mapping: MappingOption = Path(DEFAULT_FILE),
) -> None:
    """Find exact copies of stored secrets in files; exit 1 when one is found."""
    source = _service(store, audit_log, mapping).backend(backend)
    paths = source.list(prefix)
    fingerprints = build_fingerprints(source, owner or default_identity(), paths)
    found = 0
    for item in find_leaks(target, fingerprints):
        if isinstance(item, Unreadable):
            typer.echo(f"warning: {item.file}: {item.reason}", err=True)
            continue
        found += 1
        typer.echo(
            f"{item.file}:{item.line}: leaked secret {backend}:{item.secret_path} "
            f"(owner {item.owner}); rotate it: shieldwall secrets rotate {item.secret_path}"
        )
    typer.echo(f"{found} leaked secret(s); {len(fingerprints.digests)} secrets checked", err=True)
    if found:
        raise typer.Exit(1)
