"""Web framework configuration: debug mode, cookies, CSRF, secret keys, templates, CORS, JWT."""

from __future__ import annotations

import ast

from shieldwall.analyzers.sast.patterns.base import PatternContext, argument, keyword, pattern
from shieldwall.analyzers.sast.rules.catalog import SETTLED_BY_TAINT, make_rule
from shieldwall.core.severity import Confidence as C
from shieldwall.core.severity import Severity as S


def _assigned_constant(node: ast.Assign, name: str, ctx: PatternContext) -> object | None:
    """The literal assigned to ``NAME`` (or ``app.config["NAME"]`` / ``x.NAME``), if any."""
    for target in node.targets:
        if isinstance(target, ast.Name) and target.id == name:
            return ctx.constant(node.value)
        if isinstance(target, ast.Attribute) and target.attr.upper() == name:
            return ctx.constant(node.value)
        if isinstance(target, ast.Subscript) and ctx.constant(target.slice) == name:
            return ctx.constant(node.value)
    return None


def _is_settings(ctx: PatternContext) -> bool:
    last = ctx.module.path.rsplit("/", 1)[-1]
    return "settings" in ctx.module.path or last in ("config.py", "production.py", "prod.py")


FLASK_DEBUG = make_rule(
    31,
    "Web application run with debug mode enabled",
    cwe=("CWE-489", "CWE-215"),
    owasp="A05",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="The Werkzeug debugger lets anyone who reaches it run code on the server.",
    remediation="Never pass debug=True in code that can reach production: "
    "app.run(debug=os.environ.get('FLASK_DEBUG') == '1'), and serve with gunicorn.",
)


@pattern(FLASK_DEBUG, ast.Call)
def _debug_run(node: ast.Call, ctx: PatternContext) -> str | None:
    if (
        isinstance(node.func, ast.Attribute)
        and node.func.attr in ("run", "run_simple")
        and ctx.constant(keyword(node, "debug")) is True
    ):
        return "application started with debug=True"
    return None


DJANGO_DEBUG = make_rule(
    32,
    "Django DEBUG enabled in settings",
    cwe=("CWE-489", "CWE-215"),
    owasp="A05",
    severity=S.HIGH,
    confidence=C.MEDIUM,
    description="DEBUG = True shows stack traces, settings and SQL to visitors.",
    remediation="Read it from the environment, off by default: "
    "DEBUG = os.environ.get('DJANGO_DEBUG') == '1'.",
)


@pattern(DJANGO_DEBUG, ast.Assign)
def _django_debug(node: ast.Assign, ctx: PatternContext) -> str | None:
    if (
        _is_settings(ctx)
        and any(isinstance(t, ast.Name) and t.id == "DEBUG" for t in node.targets)
        and ctx.constant(node.value) is True
    ):
        return "DEBUG = True in a settings module"
    return None


COOKIE_NOT_SECURE = make_rule(
    33,
    "Cookie set without the Secure flag",
    cwe=("CWE-614",),
    owasp="A05",
    severity=S.MEDIUM,
    confidence=C.HIGH,
    description="Without Secure the cookie is sent over plain HTTP and can be intercepted.",
    remediation="resp.set_cookie('sid', value, secure=True, httponly=True, samesite='Lax').",
)
COOKIE_NOT_HTTPONLY = make_rule(
    34,
    "Cookie set without the HttpOnly flag",
    cwe=("CWE-1004",),
    owasp="A05",
    severity=S.LOW,
    confidence=C.HIGH,
    description="Without HttpOnly, script injected into the page can read the cookie.",
    remediation="resp.set_cookie('sid', value, secure=True, httponly=True, samesite='Lax').",
)


def _set_cookie(node: ast.Call) -> bool:
    return isinstance(node.func, ast.Attribute) and node.func.attr == "set_cookie"


@pattern(COOKIE_NOT_SECURE, ast.Call)
def _cookie_secure(node: ast.Call, ctx: PatternContext) -> str | None:
    if (
        _set_cookie(node)
        and ctx.constant(keyword(node, "secure")) is not True
        and (keyword(node, "secure") is None or ctx.constant(keyword(node, "secure")) is False)
    ):
        return "cookie set without secure=True"
    return None


@pattern(COOKIE_NOT_HTTPONLY, ast.Call)
def _cookie_httponly(node: ast.Call, ctx: PatternContext) -> str | None:
    if _set_cookie(node):
        value = keyword(node, "httponly")
        if value is None or ctx.constant(value) is False:
            return "cookie set without httponly=True"
    return None


INSECURE_COOKIE_SETTING = make_rule(
    35,
    "Session or CSRF cookie security disabled in configuration",
    cwe=("CWE-614", "CWE-1004"),
    owasp="A05",
    severity=S.MEDIUM,
    confidence=C.HIGH,
    description="A framework setting turns off Secure or HttpOnly for the session or CSRF cookie.",
    remediation="SESSION_COOKIE_SECURE = True, SESSION_COOKIE_HTTPONLY = True, "
    "CSRF_COOKIE_SECURE = True (Django and Flask).",
)
_COOKIE_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "REMEMBER_COOKIE_SECURE",
    "REMEMBER_COOKIE_HTTPONLY",
)


@pattern(INSECURE_COOKIE_SETTING, ast.Assign)
def _cookie_settings(node: ast.Assign, ctx: PatternContext) -> str | None:
    for name in _COOKIE_SETTINGS:
        if _assigned_constant(node, name, ctx) is False:
            return f"{name} is False"
    return None


JWT_NO_VERIFY = make_rule(
    36,
    "JWT decoded without verifying its signature",
    cwe=("CWE-347",),
    owasp="A07",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="Anyone can forge a token whose signature is not checked.",
    remediation="jwt.decode(token, key, algorithms=['HS256']) with verification on; never pass "
    "options={'verify_signature': False} for tokens you act on.",
)


@pattern(JWT_NO_VERIFY, ast.Call)
def _jwt_verify(node: ast.Call, ctx: PatternContext) -> str | None:
    if ctx.name(node.func) not in ("jwt.decode", "jose.jwt.decode", "jwt.api_jwt.decode"):
        return None
    if ctx.constant(keyword(node, "verify")) is False:
        return "jwt.decode(verify=False)"
    options = keyword(node, "options")
    if isinstance(options, ast.Dict):
        for key, value in zip(options.keys, options.values, strict=True):
            if (
                key is not None
                and ctx.constant(key) == "verify_signature"
                and ctx.constant(value) is False
            ):
                return "jwt.decode with verify_signature False"
    return None


JWT_NONE = make_rule(
    37,
    "JWT 'none' algorithm accepted or used",
    cwe=("CWE-347", "CWE-327"),
    owasp="A07",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="The 'none' algorithm means an unsigned token.",
    remediation="Sign with HS256/RS256/EdDSA and decode with an explicit list: "
    "algorithms=['HS256'].",
)


@pattern(JWT_NONE, ast.Call)
def _jwt_none(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    if name in ("jwt.encode", "jose.jwt.encode"):
        algorithm = argument(node, 2, "algorithm")
        if (
            isinstance(ctx.constant(algorithm), str)
            and str(ctx.constant(algorithm)).lower() == "none"
        ):
            return "token signed with the 'none' algorithm"
    if name in ("jwt.decode", "jose.jwt.decode"):
        algorithms = keyword(node, "algorithms")
        if isinstance(algorithms, ast.List | ast.Tuple) and any(
            str(ctx.constant(e)).lower() == "none" for e in algorithms.elts
        ):
            return "decode accepts the 'none' algorithm"
    return None


HARDCODED_SECRET_KEY = make_rule(
    51,
    "Hard-coded framework secret key",
    cwe=("CWE-798", "CWE-321"),
    owasp="A07",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="A SECRET_KEY in the source lets anyone forge sessions, cookies and tokens.",
    remediation="SECRET_KEY = os.environ['SECRET_KEY'] (Django); "
    "app.config['SECRET_KEY'] = os.environ['SECRET_KEY'] (Flask).",
)


@pattern(HARDCODED_SECRET_KEY, ast.Assign)
def _secret_key(node: ast.Assign, ctx: PatternContext) -> str | None:
    value = _assigned_constant(node, "SECRET_KEY", ctx)
    if isinstance(value, str) and value:
        return "SECRET_KEY is a literal"
    return None


CSRF_EXEMPT = make_rule(
    52,
    "View exempted from CSRF protection",
    cwe=("CWE-352",),
    owasp="A01",
    severity=S.MEDIUM,
    confidence=C.MEDIUM,
    description="A state-changing view without CSRF protection can be triggered by any site.",
    remediation="Remove @csrf_exempt and send the CSRF token ({% csrf_token %} or the X-CSRFToken "
    "header); for APIs use token authentication instead of cookies.",
)


@pattern(CSRF_EXEMPT, ast.FunctionDef, ast.AsyncFunctionDef)
def _csrf_exempt(node: ast.FunctionDef, ctx: PatternContext) -> str | None:
    for decorator in node.decorator_list:
        name = ctx.name(decorator.func if isinstance(decorator, ast.Call) else decorator)
        if name.endswith(("csrf_exempt", "csrf.exempt")):
            return f"{node.name} is exempt from CSRF protection"
    return None


CSRF_DISABLED = make_rule(
    53,
    "CSRF protection disabled in configuration",
    cwe=("CWE-352",),
    owasp="A01",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="Every form of the application can be submitted from another site.",
    remediation="Keep WTF_CSRF_ENABLED = True (Flask-WTF) and CsrfViewMiddleware in MIDDLEWARE "
    "(Django).",
)


@pattern(CSRF_DISABLED, ast.Assign)
def _csrf_disabled(node: ast.Assign, ctx: PatternContext) -> str | None:
    for name in ("WTF_CSRF_ENABLED", "CSRF_ENABLED", "WTF_CSRF_CHECK_DEFAULT"):
        if _assigned_constant(node, name, ctx) is False:
            return f"{name} is False"
    return None


MARK_SAFE = make_rule(
    54,
    "Non-constant HTML marked safe",
    cwe=("CWE-79", "CWE-116"),
    owasp="A03",
    severity=S.MEDIUM,
    confidence=C.MEDIUM,
    description="mark_safe/Markup disable escaping; on a variable they are XSS waiting for input.",
    remediation="Build HTML with django.utils.html.format_html('<b>{}</b>', value) or "
    "markupsafe.Markup('<b>{}</b>').format(value), which escape the values.",
    tags=(SETTLED_BY_TAINT,),
)


@pattern(MARK_SAFE, ast.Call)
def _mark_safe(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    if name.endswith(("safestring.mark_safe", "safestring.SafeString")) or name in (
        "markupsafe.Markup",
        "flask.Markup",
        "jinja2.Markup",
    ):
        first = argument(node, 0)
        if first is not None and not ctx.is_literal(first):
            return f"{name.rsplit('.', 1)[-1]} on a non-constant value"
    return None


JINJA_AUTOESCAPE = make_rule(
    55,
    "Jinja2 environment without autoescaping",
    cwe=("CWE-79", "CWE-116"),
    owasp="A03",
    severity=S.MEDIUM,
    confidence=C.HIGH,
    description="jinja2.Environment defaults to autoescape=False, so every variable is raw HTML.",
    remediation="jinja2.Environment(loader=..., autoescape=jinja2.select_autoescape(['html', "
    "'xml'])).",
)


@pattern(JINJA_AUTOESCAPE, ast.Call)
def _jinja_autoescape(node: ast.Call, ctx: PatternContext) -> str | None:
    if ctx.name(node.func) in (
        "jinja2.Environment",
        "jinja2.environment.Environment",
        "jinja2.Template",
    ):
        value = keyword(node, "autoescape")
        if value is None or ctx.constant(value) is False:
            return "autoescape is off"
    return None


PERMISSIVE_CORS = make_rule(
    63,
    "CORS allows any origin together with credentials",
    cwe=("CWE-942",),
    owasp="A05",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="Any website can make authenticated requests and read the responses.",
    remediation="List the trusted origins: CORS(app, origins=['https://app.example.com'], "
    "supports_credentials=True); CORSMiddleware(allow_origins=[...]).",
)


def _is_wildcard(value: object, node: ast.expr | None) -> bool:
    if value == "*":
        return True
    return isinstance(node, ast.List | ast.Tuple) and any(
        isinstance(e, ast.Constant) and e.value == "*" for e in node.elts
    )


@pattern(PERMISSIVE_CORS, ast.Call, ast.Assign)
def _cors(node: ast.Call | ast.Assign, ctx: PatternContext) -> str | None:
    if isinstance(node, ast.Assign):
        if _assigned_constant(node, "CORS_ORIGIN_ALLOW_ALL", ctx) is True or (
            _assigned_constant(node, "CORS_ALLOW_ALL_ORIGINS", ctx) is True
        ):
            return "CORS allows all origins"
        return None
    name = ctx.name(node.func)
    if name.endswith("flask_cors.CORS") or name == "flask_cors.CORS":
        origins = keyword(node, "origins")
        if ctx.constant(keyword(node, "supports_credentials")) is True and (
            origins is None or _is_wildcard(ctx.constant(origins), origins)
        ):
            return "CORS with credentials for any origin"
    if (
        isinstance(node.func, ast.Attribute)
        and node.func.attr == "add_middleware"
        and node.args
        and ctx.name(node.args[0]).endswith("CORSMiddleware")
    ):
        origins = keyword(node, "allow_origins")
        if ctx.constant(keyword(node, "allow_credentials")) is True and _is_wildcard(
            ctx.constant(origins), origins
        ):
            return "CORS with credentials for any origin"
    return None


CHECKS = (
    _debug_run,
    _django_debug,
    _cookie_secure,
    _cookie_httponly,
    _cookie_settings,
    _jwt_verify,
    _jwt_none,
    _secret_key,
    _csrf_exempt,
    _csrf_disabled,
    _mark_safe,
    _jinja_autoescape,
    _cors,
)
