"""Network and transport: TLS verification, protocol versions, timeouts, binding, cleartext."""

from __future__ import annotations

import ast

from shieldwall.analyzers.sast.patterns.base import PatternContext, argument, keyword, pattern
from shieldwall.analyzers.sast.rules.catalog import make_rule
from shieldwall.core.severity import Confidence as C
from shieldwall.core.severity import Severity as S

_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")
_HTTP_CLIENTS = ("requests", "httpx")


def _client_call(name: str) -> bool:
    module, _, verb = name.rpartition(".")
    return module in _HTTP_CLIENTS and verb in _HTTP_VERBS


TLS_VERIFY_OFF = make_rule(
    28,
    "TLS certificate verification disabled",
    cwe=("CWE-295",),
    owasp="A02",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="Without verification a man in the middle can read and change the traffic.",
    remediation="Leave verification on (the default); for a private CA pass its bundle: "
    "requests.get(url, verify='/etc/ssl/internal-ca.pem', timeout=10).",
)


@pattern(TLS_VERIFY_OFF, ast.Call)
def _verify_off(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    client = _client_call(name) or name in ("httpx.Client", "httpx.AsyncClient", "requests.Session")
    method = isinstance(node.func, ast.Attribute) and node.func.attr in _HTTP_VERBS
    if (client or method) and ctx.constant(keyword(node, "verify")) is False:
        return "verify=False disables certificate checks"
    if (name.startswith("aiohttp.") or method) and ctx.constant(keyword(node, "ssl")) is False:
        return "ssl=False disables certificate checks"
    return None


SSL_CONTEXT_UNVERIFIED = make_rule(
    29,
    "SSL context that does not verify certificates or host names",
    cwe=("CWE-295", "CWE-297"),
    owasp="A02",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="An unverified context accepts any certificate for any host.",
    remediation="Use ssl.create_default_context() and keep check_hostname=True and "
    "verify_mode=ssl.CERT_REQUIRED.",
)


@pattern(SSL_CONTEXT_UNVERIFIED, ast.Call, ast.Assign)
def _ssl_context(node: ast.Call | ast.Assign, ctx: PatternContext) -> str | None:
    if isinstance(node, ast.Call):
        if ctx.name(node.func) in ("ssl._create_unverified_context", "ssl._create_stdlib_context"):
            return "unverified SSL context"
        if ctx.name(keyword(node, "cert_reqs") or ast.Constant(None)) == "ssl.CERT_NONE":
            return "cert_reqs=ssl.CERT_NONE"
        return None
    for target in node.targets:
        if isinstance(target, ast.Attribute):
            if target.attr == "check_hostname" and ctx.constant(node.value) is False:
                return "check_hostname = False"
            if target.attr == "verify_mode" and ctx.name(node.value) == "ssl.CERT_NONE":
                return "verify_mode = CERT_NONE"
    return None


OLD_TLS = make_rule(
    30,
    "Obsolete SSL/TLS protocol version",
    cwe=("CWE-327", "CWE-757"),
    owasp="A02",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="SSLv2, SSLv3, TLS 1.0 and 1.1 have known attacks and are deprecated (RFC 8996).",
    remediation="ctx = ssl.create_default_context(); ctx.minimum_version = ssl.TLSVersion.TLSv1_2.",
)
_OLD_PROTOCOLS = (
    "ssl.PROTOCOL_SSLv2",
    "ssl.PROTOCOL_SSLv3",
    "ssl.PROTOCOL_TLSv1",
    "ssl.PROTOCOL_TLSv1_1",
    "ssl.TLSVersion.SSLv3",
    "ssl.TLSVersion.TLSv1",
    "ssl.TLSVersion.TLSv1_1",
    "OpenSSL.SSL.SSLv2_METHOD",
    "OpenSSL.SSL.SSLv3_METHOD",
    "OpenSSL.SSL.TLSv1_METHOD",
    "OpenSSL.SSL.TLSv1_1_METHOD",
)


@pattern(OLD_TLS, ast.Attribute)
def _old_tls(node: ast.Attribute, ctx: PatternContext) -> str | None:
    if isinstance(node.ctx, ast.Load) and ctx.name(node) in _OLD_PROTOCOLS:
        return f"{ctx.name(node)} is obsolete; require TLS 1.2 or later"
    return None


BIND_ALL = make_rule(
    41,
    "Server bound to all network interfaces",
    cwe=("CWE-1327", "CWE-605"),
    owasp="A05",
    severity=S.MEDIUM,
    confidence=C.MEDIUM,
    description="Binding to 0.0.0.0 exposes a development or internal service to every network.",
    remediation="Bind to 127.0.0.1 by default and make the address configurable: "
    "app.run(host=os.environ.get('HOST', '127.0.0.1')).",
)


@pattern(BIND_ALL, ast.Call)
def _bind_all(node: ast.Call, ctx: PatternContext) -> str | None:
    if not isinstance(node.func, ast.Attribute):
        return None
    if node.func.attr in ("run", "run_simple") or ctx.name(node.func) == "uvicorn.run":
        host = keyword(node, "host") or (
            argument(node, 0) if node.func.attr == "run_simple" else None
        )
        if ctx.constant(host) in ("0.0.0.0", "::"):  # noqa: S104 - the value we look for
            return "listening on all interfaces"
    if node.func.attr == "bind" and node.args and isinstance(node.args[0], ast.Tuple):
        elts = node.args[0].elts
        if elts and ctx.constant(elts[0]) in ("0.0.0.0", "", "::"):  # noqa: S104
            return "socket bound to all interfaces"
    return None


NO_TIMEOUT = make_rule(
    42,
    "HTTP request without a timeout",
    cwe=("CWE-1088", "CWE-400"),
    owasp="A05",
    severity=S.LOW,
    confidence=C.HIGH,
    description="requests waits forever by default; one slow server can hang a worker.",
    remediation="Always pass a timeout: requests.get(url, timeout=10).",
)


@pattern(NO_TIMEOUT, ast.Call)
def _no_timeout(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    module, _, verb = name.rpartition(".")
    if (
        module == "requests"
        and verb in _HTTP_VERBS
        and keyword(node, "timeout") is None
        and not any(kw.arg is None for kw in node.keywords)
    ):
        return f"requests.{verb} without timeout="
    return None


PARAMIKO_AUTOADD = make_rule(
    56,
    "SSH host key accepted without verification",
    cwe=("CWE-322", "CWE-295"),
    owasp="A07",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="AutoAddPolicy/WarningPolicy trust any host key, so a man in the middle is "
    "accepted.",
    remediation="client.load_system_host_keys(); "
    "client.set_missing_host_key_policy(paramiko.RejectPolicy()).",
)


@pattern(PARAMIKO_AUTOADD, ast.Call)
def _paramiko(node: ast.Call, ctx: PatternContext) -> str | None:
    if (
        isinstance(node.func, ast.Attribute)
        and node.func.attr == "set_missing_host_key_policy"
        and node.args
        and ctx.name(node.args[0]).endswith(("AutoAddPolicy", "WarningPolicy"))
    ):
        return "unknown SSH host keys are accepted"
    return None


CLEARTEXT_PROTOCOL = make_rule(
    57,
    "Cleartext protocol client (FTP, Telnet)",
    cwe=("CWE-319",),
    owasp="A02",
    severity=S.MEDIUM,
    confidence=C.HIGH,
    description="FTP and Telnet send credentials and data unencrypted.",
    remediation="Use SFTP (paramiko.SFTPClient) or FTPS (ftplib.FTP_TLS with prot_p()), and SSH "
    "instead of Telnet.",
)


@pattern(CLEARTEXT_PROTOCOL, ast.Call)
def _cleartext(node: ast.Call, ctx: PatternContext) -> str | None:
    if ctx.name(node.func) in ("ftplib.FTP", "telnetlib.Telnet"):
        return f"{ctx.name(node.func)} sends credentials in clear text"
    return None


HTTP_URL = make_rule(
    58,
    "Request to a plain http:// URL",
    cwe=("CWE-319",),
    owasp="A02",
    severity=S.LOW,
    confidence=C.MEDIUM,
    description="Data sent over plain HTTP can be read and changed in transit.",
    remediation="Use https:// URLs: requests.get('https://api.example.com/v1', timeout=10).",
)
_LOCAL = ("http://localhost", "http://127.", "http://[::1]", "http://0.0.0.0")


@pattern(HTTP_URL, ast.Call)
def _http_url(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    if _client_call(name) or name in ("urllib.request.urlopen",):
        url = argument(node, 1 if name.endswith(".request") else 0, "url")
        value = ctx.constant(url)
        if isinstance(value, str) and value.startswith("http://") and not value.startswith(_LOCAL):
            return "plain http:// URL"
    return None


CHECKS = (
    _verify_off,
    _ssl_context,
    _old_tls,
    _bind_all,
    _no_timeout,
    _paramiko,
    _cleartext,
    _http_url,
)
