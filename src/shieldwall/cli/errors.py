"""Exit codes and the mapping from error classes to them."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import IntEnum
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from shieldwall.core.errors import (
    BaselineError,
    ConfigError,
    GitError,
    RegistryError,
    ReportError,
    ScanAbortedError,
    ShieldwallError,
    UsageError,
)


class ExitCode(IntEnum):
    """The process exit codes of shieldwall."""

    OK = 0
    GATE_FAILED = 1
    USAGE = 2
    SCAN_ERROR = 3


P = ParamSpec("P")
R = TypeVar("R")

stderr = Console(stderr=True, highlight=False, soft_wrap=True)


def exit_code_for(error: ShieldwallError) -> ExitCode:
    """The exit code an error class maps to."""
    if isinstance(error, ConfigError | UsageError | BaselineError | GitError | RegistryError):
        return ExitCode.USAGE
    if isinstance(error, ScanAbortedError | ReportError):
        return ExitCode.SCAN_ERROR
    return ExitCode.SCAN_ERROR


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn our errors into a one-line message on stderr and the right exit code."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ShieldwallError as exc:
            stderr.print(f"[bold red]error:[/] {escape(str(exc))}")
            raise typer.Exit(exit_code_for(exc)) from None
        except KeyboardInterrupt:
            stderr.print("[yellow]interrupted[/]")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(ExitCode.OK) from None

    return wrapper
