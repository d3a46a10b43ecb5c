"""Taint rules: untrusted data reaching a sink of one class, with a source-to-sink trace."""

from __future__ import annotations

from shieldwall.analyzers.sast.rules.catalog import make_rule
from shieldwall.analyzers.sast.spec import SinkKind
from shieldwall.core.rule import Rule
from shieldwall.core.severity import Confidence as C
from shieldwall.core.severity import Severity as S

_T = ("taint",)

TAINT_RULES: dict[SinkKind, Rule] = {
    SinkKind.SQL: make_rule(
        1,
        "SQL injection: untrusted data in a SQL statement",
        cwe=("CWE-89",),
        owasp="A03",
        severity=S.CRITICAL,
        confidence=C.HIGH,
        tags=_T,
        description="Untrusted input is built into SQL text that the database executes.",
        remediation="Pass values as query parameters: cursor.execute('SELECT * FROM t WHERE id = "
        "%s', "
        "(value,)), or sqlalchemy.text('... :id').bindparams(id=value), or the ORM's filter().",
    ),
    SinkKind.COMMAND: make_rule(
        2,
        "OS command injection: untrusted data in a shell command or program",
        cwe=("CWE-78", "CWE-77"),
        owasp="A03",
        severity=S.CRITICAL,
        confidence=C.HIGH,
        tags=_T,
        description="Untrusted input reaches a shell command line or chooses the program to run.",
        remediation="Run a fixed program with an argument list and no shell: "
        "subprocess.run(['convert', path], check=True); quote with shlex.quote only if a shell is "
        "unavoidable, and validate against an allow-list.",
    ),
    SinkKind.CODE: make_rule(
        3,
        "Code injection: untrusted data evaluated as Python",
        cwe=("CWE-95", "CWE-94"),
        owasp="A03",
        severity=S.CRITICAL,
        confidence=C.HIGH,
        tags=_T,
        description="Untrusted input reaches eval, exec or compile and runs as code.",
        remediation="Parse data instead of evaluating it: ast.literal_eval(text) for Python "
        "literals, "
        "json.loads(text) for JSON, or a dispatch table of allowed operations.",
    ),
    SinkKind.DESERIALIZATION: make_rule(
        4,
        "Unsafe deserialisation of untrusted data",
        cwe=("CWE-502",),
        owasp="A08",
        severity=S.CRITICAL,
        confidence=C.HIGH,
        tags=_T,
        description="Untrusted bytes are deserialised by a format that can run code "
        "(pickle, marshal, shelve, jsonpickle, yaml without a safe loader).",
        remediation="Use a data-only format: json.loads(data), or yaml.safe_load(data); sign "
        "pickles "
        "with hmac and verify before loading if pickle cannot be avoided.",
    ),
    SinkKind.PATH: make_rule(
        5,
        "Path traversal: untrusted data in a file path",
        cwe=("CWE-22", "CWE-73"),
        owasp="A01",
        severity=S.HIGH,
        confidence=C.HIGH,
        tags=_T,
        description="Untrusted input chooses the file that is read, written or deleted.",
        remediation="Strip directories with werkzeug.utils.secure_filename(name) or "
        "os.path.basename, "
        "or resolve the path and check it stays under the base: "
        "p = (base / name).resolve(); p.is_relative_to(base); Flask: send_from_directory(base, "
        "name).",
    ),
    SinkKind.SSRF: make_rule(
        6,
        "Server-side request forgery: untrusted URL requested by the server",
        cwe=("CWE-918",),
        owasp="A10",
        severity=S.HIGH,
        confidence=C.HIGH,
        tags=_T,
        description="Untrusted input chooses the URL the server fetches, reaching internal "
        "services.",
        remediation="Fetch only allow-listed hosts: parse with urllib.parse.urlsplit, compare the "
        "hostname with a fixed set, and build the URL from trusted parts.",
    ),
    SinkKind.XSS: make_rule(
        7,
        "Cross-site scripting: untrusted data in an HTML response",
        cwe=("CWE-79",),
        owasp="A03",
        severity=S.HIGH,
        confidence=C.HIGH,
        tags=_T,
        description="Untrusted input is written into HTML without escaping, or marked safe.",
        remediation="Render with an autoescaping template: render_template('page.html', "
        "name=name); "
        "escape with markupsafe.escape(name) or django.utils.html.format_html; never wrap input in "
        "Markup or mark_safe.",
    ),
    SinkKind.SSTI: make_rule(
        8,
        "Server-side template injection: untrusted data used as a template",
        cwe=("CWE-1336", "CWE-94"),
        owasp="A03",
        severity=S.CRITICAL,
        confidence=C.HIGH,
        tags=_T,
        description="Untrusted input becomes template source, which can run code on the server.",
        remediation="Keep templates constant and pass input as context: "
        "render_template_string('Hello {{ name }}', name=name).",
    ),
    SinkKind.REDIRECT: make_rule(
        9,
        "Open redirect: untrusted URL in a redirect",
        cwe=("CWE-601",),
        owasp="A01",
        severity=S.MEDIUM,
        confidence=C.HIGH,
        tags=_T,
        description="Untrusted input chooses where the user is redirected, enabling phishing.",
        remediation="Redirect to a named route (redirect(url_for('home'))) or check the target "
        "with "
        "django.utils.http.url_has_allowed_host_and_scheme(url, "
        "allowed_hosts={request.get_host()}).",
    ),
    SinkKind.LDAP: make_rule(
        10,
        "LDAP injection: untrusted data in an LDAP filter",
        cwe=("CWE-90",),
        owasp="A03",
        severity=S.HIGH,
        confidence=C.HIGH,
        tags=_T,
        description="Untrusted input is built into an LDAP search filter.",
        remediation="Escape values with ldap.filter.escape_filter_chars(value) (python-ldap) or "
        "ldap3.utils.conv.escape_filter_chars(value) before building the filter.",
    ),
    SinkKind.XPATH: make_rule(
        11,
        "XPath injection: untrusted data in an XPath expression",
        cwe=("CWE-643",),
        owasp="A03",
        severity=S.HIGH,
        confidence=C.HIGH,
        tags=_T,
        description="Untrusted input is built into an XPath query.",
        remediation="Use XPath variables: tree.xpath('//user[@name=$name]', name=value).",
    ),
    SinkKind.HEADER: make_rule(
        12,
        "HTTP header injection: untrusted data in a response header",
        cwe=("CWE-113",),
        owasp="A03",
        severity=S.MEDIUM,
        confidence=C.HIGH,
        tags=_T,
        description="Untrusted input is written into a response header, allowing response "
        "splitting.",
        remediation="Reject or strip CR and LF: value.replace('\\r', '').replace('\\n', ''), or "
        "validate the value against an allow-list before setting the header.",
    ),
    SinkKind.LOG: make_rule(
        13,
        "Log injection: untrusted data written to a log",
        cwe=("CWE-117",),
        owasp="A09",
        severity=S.LOW,
        confidence=C.MEDIUM,
        tags=_T,
        description="Untrusted input with line breaks can forge log entries.",
        remediation="Log with placeholders and neutralise line breaks: "
        "logger.info('user %s', name.replace('\\n', '\\\\n')), or a structured (JSON) formatter.",
    ),
    SinkKind.TRUST_BOUNDARY: make_rule(
        14,
        "Trust boundary violation: untrusted data stored in the session",
        cwe=("CWE-501",),
        owasp="A04",
        severity=S.MEDIUM,
        confidence=C.HIGH,
        tags=_T,
        description="Untrusted input is stored in the session, where later code trusts it.",
        remediation="Validate before storing: session['role'] = role if role in ALLOWED_ROLES else "
        "'user'; store only server-derived values (ids looked up in the database).",
    ),
    SinkKind.REGEX: make_rule(
        15,
        "Regular expression injection: untrusted data used as a pattern",
        cwe=("CWE-1333", "CWE-400"),
        owasp="A03",
        severity=S.MEDIUM,
        confidence=C.HIGH,
        tags=_T,
        description="An untrusted pattern can take exponential time (ReDoS) or change matching.",
        remediation="Match the input as text: re.search(re.escape(term), text), or use str "
        "methods.",
    ),
    SinkKind.FORMAT_STRING: make_rule(
        16,
        "Format string injection: untrusted data used as a format string",
        cwe=("CWE-134",),
        owasp="A03",
        severity=S.MEDIUM,
        confidence=C.HIGH,
        tags=_T,
        description="An untrusted str.format template can read attributes of its arguments "
        "('{user.__init__.__globals__}') and leak secrets.",
        remediation="Keep the template constant and pass the input as an argument: "
        "'Hello {}'.format(name); use string.Template(...).safe_substitute for user templates.",
    ),
    SinkKind.REFLECTION: make_rule(
        17,
        "Unsafe reflection: untrusted data chooses a module to import",
        cwe=("CWE-470",),
        owasp="A03",
        severity=S.HIGH,
        confidence=C.HIGH,
        tags=_T,
        description="Untrusted input chooses which module is imported and run.",
        remediation="Map allowed names to modules explicitly: PLUGINS = {'csv': csv_plugin}; "
        "plugin = PLUGINS[name].",
    ),
}


def rule_for_kind(kind: SinkKind) -> Rule:
    """The taint rule reported for a sink kind."""
    return TAINT_RULES[kind]
