"""Authentication for a scan: static headers, cookies and bearer tokens, or a form login
described in YAML, repeated when the session is detected as lost.

::

    login:
      url: /login                    # relative to the target
      fields: {username: admin, password: admin}
      success: {cookie: session}     # and/or body_regex, status
    logged_out:
      redirect_to: /login            # a redirect there means the session is gone
      body_regex: "Please sign in"
    max_relogins: 5
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shieldwall.core.errors import ConfigError, ScanAbortedError
from shieldwall.dast.client import DastClient, Relogin
from shieldwall.dast.html import parse_page
from shieldwall.dast.model import Exchange


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SuccessCheck(_Model):
    """How to tell that a login worked (every given condition must hold)."""

    cookie: str | None = None
    body_regex: str | None = None
    status: list[int] = Field(default_factory=list)


class FormLogin(_Model):
    """A login form: where it posts and what it sends."""

    url: str
    method: str = "POST"
    fields: dict[str, str]
    fetch_form: bool = Field(True, description="GET the page first and keep its hidden fields.")
    success: SuccessCheck = Field(default_factory=SuccessCheck)


class LoggedOut(_Model):
    """What a response looks like once the session is lost."""

    redirect_to: str | None = None
    body_regex: str | None = None
    status: list[int] = Field(default_factory=list)


class AuthConfig(_Model):
    """The ``--auth`` file."""

    headers: dict[str, str] = Field(default_factory=dict)
    cookies: dict[str, str] = Field(default_factory=dict)
    bearer: str | None = None
    login: FormLogin | None = None
    logged_out: LoggedOut | None = None
    max_relogins: int = Field(5, ge=0, le=100)


def load_auth(path: Path) -> AuthConfig:
    """Read and validate an auth file (safe YAML)."""
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
        return AuthConfig.model_validate(data or {})
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read auth file {path}: {exc}") from exc
    except ValidationError as exc:
        raise ConfigError(f"invalid auth file {path}: {exc}") from exc


class Authenticator:
    """Logs in, and logs in again when a response shows the session was lost."""

    def __init__(self, config: AuthConfig) -> None:
        self.config = config
        self.relogins = 0

    async def login(self, client: DastClient) -> None:
        """Apply static credentials and perform the form login, if any."""
        config = self.config
        for name, value in config.cookies.items():
            client.cookies.set(name, value)
        extra = dict(config.headers)
        if config.bearer:
            extra["Authorization"] = f"Bearer {config.bearer}"
        client.default_headers.update(extra)
        if config.login is not None:
            await self._form_login(client, config.login)

    async def _form_login(self, client: DastClient, login: FormLogin) -> None:
        target = urljoin(client.base, login.url)
        fields = dict(login.fields)
        if login.fetch_form:
            page = await client.send("GET", target, relogin=False)
            for form in parse_page(page.body).forms:
                for control in form.inputs:
                    if control.type == "hidden":
                        fields.setdefault(control.name, control.value)
        answer = await client.send(login.method.upper(), target, data=fields, relogin=False)
        if not self._succeeded(client, answer, login.success):
            raise ScanAbortedError(
                f"login at {target} failed (status {answer.status}); check the auth file"
            )

    @staticmethod
    def _succeeded(client: DastClient, answer: Exchange, check: SuccessCheck) -> bool:
        if check.status and answer.status not in check.status:
            return False
        if check.cookie and check.cookie not in client.cookies:
            return False
        if check.body_regex and not re.search(check.body_regex, answer.body):
            return False
        return answer.status < 400

    def logged_out(self, client: DastClient, exchange: Exchange) -> bool:
        """Whether this response shows that the session is gone."""
        rule = self.config.logged_out
        if rule is None:
            return False
        if rule.status and exchange.status in rule.status:
            return True
        location = exchange.header("location")
        if rule.redirect_to and location and 300 <= exchange.status < 400:
            wanted = urlsplit(urljoin(client.base, rule.redirect_to)).path
            if urlsplit(urljoin(exchange.url, location)).path == wanted:
                return True
        return bool(rule.body_regex and re.search(rule.body_regex, exchange.body))

    def relogin_hook(self, client: DastClient) -> Relogin:
        """The callback the client runs on each response."""

        async def hook(exchange: Exchange) -> bool:
            """Log in again when ``exchange`` shows a lost session (within the allowance)."""
            if self.relogins >= self.config.max_relogins or not self.logged_out(client, exchange):
                return False
            self.relogins += 1
            try:
                await self.login(client)
            except ScanAbortedError:
                # The first login worked; a failed re-login ends re-logins, not the scan.
                self.relogins = self.config.max_relogins
                return False
            return True

        return hook
