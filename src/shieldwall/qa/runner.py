"""Run the checks of a security test plan against the app; pytest-free so it is reusable.

Every check returns nothing when the app behaves, and raises :class:`SecurityFailure` (carrying
the :class:`~shieldwall.core.finding.Finding`) when it does not. Clients are created and logged in
once per role and reused, so a 1,000-cell matrix costs one login per role, not per cell.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx

from shieldwall.core.finding import Finding
from shieldwall.core.location import UrlLocation
from shieldwall.core.rule import Rule
from shieldwall.qa import checks, rules
from shieldwall.qa.client import AppClient, AppCrashed, load_app, make_client
from shieldwall.qa.matrix import Endpoint, ObjectCheck, Request, SecurityPlan
from shieldwall.qa.openapi import Operation, load_document, parse_document, protected_operations

__all__ = ["AppCrashed", "PlanProblem", "PlanRunner", "SecurityFailure"]

ObjectAction = str  # "fetch" | "update" | "delete"


class SecurityFailure(AssertionError):
    """The app broke a security expectation; ``finding`` describes it for SARIF."""

    def __init__(self, message: str, finding: Finding) -> None:
        """Keep the message for pytest and the finding for reports."""
        super().__init__(message)
        self.finding = finding


class PlanProblem(AssertionError):
    """The plan cannot be carried out as written (a login fails, an id is missing)."""


class PlanRunner:
    """The app, one logged-in client per role, and the checks."""

    def __init__(self, plan: SecurityPlan, plan_dir: Path) -> None:
        """Nothing is imported or requested until the first check runs."""
        self.plan = plan
        self.plan_dir = plan_dir
        self._app: Any = None
        self._clients: dict[str, AppClient] = {}
        self._login_responses: dict[str, httpx.Response] = {}
        self._base = plan.base_url or "https://testserver"

    # -- clients -------------------------------------------------------------------------
    def _new_client(self, headers: dict[str, str]) -> AppClient:
        if self.plan.app is not None and self._app is None:
            self._app = load_app(self.plan.app, self.plan_dir)
        return make_client(self._app, self.plan.base_url, self.plan.interface, headers)

    def client(self, role: str) -> AppClient:
        """The client of ``role``, logged in on first use."""
        if role not in self._clients:
            spec = self.plan.roles[role]
            client = self._new_client(dict(spec.headers))
            self._clients[role] = client
            if spec.login is not None:
                response = self._send(client, spec.login)
                if response.status_code >= 400:
                    raise PlanProblem(
                        f"login as {role!r} failed: {spec.login.method} {spec.login.path} "
                        f"answered {response.status_code}"
                    )
                if spec.login.token_field:
                    token = _json_field(response, spec.login.token_field)
                    client.set_header("Authorization", f"Bearer {token}")
                self._login_responses[role] = response
        return self._clients[role]

    def close(self) -> None:
        """Close every client."""
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    @staticmethod
    def _send(client: AppClient, request: Request, path: str | None = None) -> httpx.Response:
        kwargs: dict[str, Any] = {"headers": request.headers}
        if request.json_body is not None:
            kwargs["json"] = request.json_body
        if request.form is not None:
            kwargs["data"] = request.form
        return client.request(request.method, path or request.path, **kwargs)

    def _fail(self, rule: Rule, message: str, method: str, path: str, identity: str) -> None:
        # Path templates (/orders/{id}) keep findings stable across runs; quoted, they stay URIs.
        url = self._base.rstrip("/") + quote(path, safe="/:?=&%@!$'()*+,;~")
        location = UrlLocation(url=url, method=method)
        finding = Finding.create(rule=rule, message=message, location=location, identity=identity)
        raise SecurityFailure(f"{rule.id} {message}", finding)

    # -- access-control matrix --------------------------------------------------------------
    def check_cell(self, endpoint: Endpoint, role: str, allow: bool) -> None:
        """One cell: ``role`` on ``endpoint`` is allowed (answers) or denied (refused)."""
        client = self.client(role)
        kwargs: dict[str, Any] = {}
        if endpoint.json_body is not None:
            kwargs["json"] = endpoint.json_body
        response = client.request(endpoint.method, endpoint.path, **kwargs)
        _app_error(response, f"{endpoint.method} {endpoint.path} as {role}")
        refused = checks.denied(response, self.plan.deny_status)
        if allow and refused:
            self._fail(
                rules.ACCESS,
                f"{role} was refused {endpoint.method} {endpoint.path} "
                f"({response.status_code}) but the matrix allows it",
                endpoint.method,
                endpoint.path,
                f"allow:{role}",
            )
        if not allow and not refused:
            self._fail(
                rules.ACCESS,
                f"{role} got {response.status_code} on {endpoint.method} {endpoint.path} "
                "but the matrix denies it",
                endpoint.method,
                endpoint.path,
                f"deny:{role}",
            )

    # -- object-level authorisation --------------------------------------------------------------
    def check_object(self, check: ObjectCheck, action: ObjectAction) -> None:
        """Create as the owner, then ``action`` as the attacker: it must be refused."""
        owner = self.client(check.owner)
        created = self._send(owner, check.create)
        _app_error(created, f"create {check.name} as {check.owner}")
        if created.status_code >= 400:
            raise PlanProblem(f"{check.owner} could not create {check.name}: {created.status_code}")
        object_id = _json_field(created, check.id)
        template = getattr(check, action)
        path = str(template).replace("{id}", object_id)
        if check.fetch:
            own = owner.request("GET", check.fetch.replace("{id}", object_id))
            if own.status_code >= 400:
                raise PlanProblem(
                    f"{check.owner} cannot fetch its own {check.name} ({own.status_code}): "
                    "the test would prove nothing"
                )
        method = {"fetch": "GET", "update": "PUT", "delete": "DELETE"}[action]
        kwargs: dict[str, Any] = {}
        if action == "update":
            kwargs["json"] = check.update_json if check.update_json is not None else {}
        response = self.client(check.attacker).request(method, path, **kwargs)
        _app_error(response, f"{method} {path} as {check.attacker}")
        if not checks.denied(response, self.plan.deny_status):
            self._fail(
                rules.BOLA,
                f"{check.attacker} could {action} {check.name} {object_id} owned by "
                f"{check.owner} ({method} {path} answered {response.status_code})",
                method,
                str(template),
                f"{check.name}:{action}",
            )

    # -- authentication on every operation ---------------------------------------------------
    def operations(self) -> list[Operation]:
        """The operations of the plan's OpenAPI document that must demand authentication."""
        source = self.plan.openapi
        if source is None:
            return []
        if source.startswith("/"):
            client = self._new_client({})
            try:
                response = client.request("GET", source)
            finally:
                client.close()
            if response.status_code != 200:
                raise PlanProblem(f"GET {source} answered {response.status_code}")
            document = parse_document(response.text, source)
        else:
            document = load_document(self.plan_dir / source)
        return protected_operations(document, set(self.plan.public))

    def check_authn(self, operation: Operation) -> None:
        """An anonymous request to ``operation`` must be refused."""
        client = self._anonymous()
        kwargs: dict[str, Any] = {"json": {}} if operation.has_body else {}
        response = client.request(operation.method, operation.path, **kwargs)
        _app_error(response, f"anonymous {operation.method} {operation.path}")
        if not checks.denied(response, self.plan.deny_status):
            self._fail(
                rules.AUTHN,
                f"anonymous {operation.method} {operation.template} answered "
                f"{response.status_code}; it is not marked public",
                operation.method,
                operation.template,
                "authn",
            )

    def _anonymous(self) -> AppClient:
        if "\0anonymous" not in self._clients:
            self._clients["\0anonymous"] = self._new_client({})
        return self._clients["\0anonymous"]

    # -- response hygiene ---------------------------------------------------------------------
    def check_page(self, path: str) -> None:
        """Security headers and cookie flags of an anonymous GET."""
        assert self.plan.hygiene is not None  # noqa: S101 - items exist only with hygiene
        response = self._anonymous().request("GET", path)
        _app_error(response, f"GET {path}")
        missing = checks.missing_headers(response, self.plan.hygiene.headers)
        if missing:
            self._fail(
                rules.HEADER,
                f"GET {path} lacks {', '.join(missing)}",
                "GET",
                path,
                ",".join(missing),
            )
        self._check_cookies(response, "GET", path)

    def check_login_cookies(self, role: str) -> None:
        """The cookies the login of ``role`` set carry Secure, HttpOnly and SameSite."""
        self.client(role)
        response = self._login_responses.get(role)
        if response is not None:
            login = self.plan.roles[role].login
            assert login is not None  # noqa: S101 - a login response implies a login
            self._check_cookies(response, login.method, login.path)

    def _check_cookies(self, response: httpx.Response, method: str, path: str) -> None:
        assert self.plan.hygiene is not None  # noqa: S101
        problems = checks.cookie_problems(
            response, require_secure=self.plan.hygiene.require_secure_cookies
        )
        if problems:
            self._fail(
                rules.COOKIE, f"{method} {path}: {'; '.join(problems)}", method, path, "cookies"
            )

    def check_error_page(self, path: str) -> None:
        """An error response must not show a stack trace or debug page."""
        response = self._anonymous().request("GET", path)
        leaks = checks.error_leaks(response)
        if leaks:
            self._fail(
                rules.ERROR_LEAK,
                f"GET {path} ({response.status_code}) shows {', '.join(leaks)}",
                "GET",
                path,
                ",".join(leaks),
            )


def _app_error(response: httpx.Response, what: str) -> None:
    if response.status_code >= 500:
        raise AppCrashed(f"{what}: the app answered {response.status_code}")


def _json_field(response: httpx.Response, field: str) -> str:
    try:
        value = response.json()[field]
    except (ValueError, KeyError, TypeError) as exc:
        raise PlanProblem(
            f"no field {field!r} in the JSON response {response.text[:200]!r}"
        ) from exc
    return str(value)
