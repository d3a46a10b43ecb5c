"""Commands imported only when used: the hub and SBOM stacks cost seconds to import, and
``shieldwall scan`` in a pre-commit hook must not pay for them; ``shieldwall --version`` pays for
none (``tests/cli/test_startup.py`` keeps it so)."""

from __future__ import annotations

import importlib

import typer

# Typer vendors its own click; its types are the ones TyperGroup's methods take.
from typer._click import Command, Context, HelpFormatter
from typer.core import TyperCommand, TyperGroup

# name -> (module, attribute, short help listed by `shieldwall --help`); the attribute is a Typer
# app or a command function.
LAZY_COMMANDS: dict[str, tuple[str, str, str]] = {
    "scan": (
        "shieldwall.cli.scan",
        "scan",
        "Scan a directory or file and exit with the gate's verdict.",
    ),
    "baseline": ("shieldwall.cli.baseline", "app", "Create baselines of accepted findings."),
    "rules": ("shieldwall.cli.rules", "app", "List the rules of the installed scanners."),
    "config": ("shieldwall.cli.config", "app", "Inspect the configuration."),
    "sbom": (
        "shieldwall.cli.sbom",
        "sbom",
        "Write a software bill of materials (CycloneDX, SPDX).",
    ),
    "db": ("shieldwall.cli.db", "app", "The OSV advisory database used by the deps scanner."),
    "hub": ("shieldwall.cli.hub", "app", "The vulnerability hub: server, worker, admin, uploads."),
    # The hub's everyday commands also live at the top level, as its users type them.
    "serve": ("shieldwall.cli.hub", "serve", "Run the hub server (same as `hub serve`)."),
    "worker": ("shieldwall.cli.hub", "worker", "Run a hub job worker (same as `hub worker`)."),
    "admin": ("shieldwall.cli.hub", "admin", "Hub users, projects and tokens (`hub admin`)."),
    "upload": ("shieldwall.cli.hub", "upload", "Upload a report to the hub (`hub upload`)."),
    "db-migrate": ("shieldwall.cli.hub", "migrate", "Apply the hub's database migrations."),
    "audit": ("shieldwall.cli.hub", "audit", "Verify the hub's hash-chained audit log."),
    "dast": ("shieldwall.cli.dast", "app", "Scan a running web application (DAST)."),
    "threatmodel": (
        "shieldwall.cli.threatmodel",
        "app",
        "Threat modelling as code: init, check, diagram, report, diff.",
    ),
    "monitor": (
        "shieldwall.cli.monitor",
        "app",
        "Detect attacks in logs and at runtime: run, worker, replay, rules test.",
    ),
    "image": ("shieldwall.cli.image", "app", "Scan a container image: docker-save, OCI, rootfs."),
    "secrets": ("shieldwall.cli.secretstore", "app", "Secrets: store, Vault, run, audit."),
    "ci": ("shieldwall.cli.ci", "app", "Pipeline templates and pull/merge request comments."),
    "policy": ("shieldwall.cli.policy", "app", "Check the organisation policy (policy check)."),
}

# Typer apps kept as a group even with one subcommand (`baseline create`), as `add_typer` mounts
# them; any other one-command app collapses into its command (`dast URL`).
ALWAYS_GROUPS = frozenset({"baseline", "rules", "config"})

# Set in ctx.meta while the group's own help page is written (see LazyGroup.format_help).
_LISTING = "shieldwall.cli.lazy.listing"


class LazyGroup(TyperGroup):
    """A Typer group that imports the modules of :data:`LAZY_COMMANDS` on first use."""

    def list_commands(self, ctx: Context) -> list[str]:
        """Eager commands first, in registration order, then the lazy ones."""
        return [*super().list_commands(ctx), *LAZY_COMMANDS]

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        """The help page; lazy commands are listed by their short help, not imported (a bare
        ``shieldwall`` or ``--help`` imported every stack: ~2 CPU-seconds)."""
        ctx.meta[_LISTING] = True
        try:
            super().format_help(ctx, formatter)
        finally:
            ctx.meta.pop(_LISTING, None)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        """The command, importing its module when it is a lazy one."""
        if cmd_name not in LAZY_COMMANDS:
            return super().get_command(ctx, cmd_name)
        module_name, attribute, short_help = LAZY_COMMANDS[cmd_name]
        if ctx.meta.get(_LISTING):
            # A stand-in for the listing, which needs only the name and the one-line help.
            return TyperCommand(cmd_name, help=short_help, short_help=short_help)
        target = getattr(importlib.import_module(module_name), attribute)
        command: Command
        if isinstance(target, typer.Typer) and cmd_name in ALWAYS_GROUPS:
            command = typer.main.get_group(target)
        elif isinstance(target, typer.Typer):
            command = typer.main.get_command(target)
        else:
            wrapper = typer.Typer()
            wrapper.command(cmd_name)(target)
            command = typer.main.get_command(wrapper)
        command.name = cmd_name
        return command
