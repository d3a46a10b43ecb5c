"""Dangerous calls whatever the data: deserialisers, shells, eval, files, randomness, XML."""

from __future__ import annotations

import ast

from shieldwall.analyzers.sast.patterns.base import (
    PatternContext,
    argument,
    keyword,
    pattern,
)
from shieldwall.analyzers.sast.rules.catalog import SETTLED_BY_TAINT, make_rule
from shieldwall.core.severity import Confidence as C
from shieldwall.core.severity import Severity as S

_SECRET_WORDS = (
    "token",
    "secret",
    "password",
    "passwd",
    "nonce",
    "salt",
    "otp",
    "csrf",
    "apikey",
    "api_key",
    "session_id",
    "sessionid",
    "reset_code",
    "verification_code",
)
_RANDOM_FUNCS = (
    "random.random",
    "random.randint",
    "random.choice",
    "random.choices",
    "random.randrange",
    "random.getrandbits",
    "random.sample",
    "random.uniform",
)

INSECURE_RANDOM = make_rule(
    27,
    "Predictable random numbers for a security value",
    cwe=("CWE-338", "CWE-330"),
    owasp="A02",
    severity=S.HIGH,
    confidence=C.MEDIUM,
    description="The random module is a Mersenne Twister: its output can be predicted.",
    remediation="Use the secrets module: token = secrets.token_urlsafe(32); "
    "code = secrets.randbelow(10**6).",
)


def _target_names(node: ast.Assign | ast.AnnAssign | ast.Return) -> str:
    if isinstance(node, ast.Return):
        return ""
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return " ".join(ast.unparse(t).lower() for t in targets)


@pattern(INSECURE_RANDOM, ast.Assign, ast.AnnAssign)
def _random(node: ast.Assign | ast.AnnAssign, ctx: PatternContext) -> str | None:
    names = _target_names(node)
    if not any(word in names for word in _SECRET_WORDS) or node.value is None:
        return None
    for sub in ast.walk(node.value):
        if isinstance(sub, ast.Call) and ctx.name(sub.func) in (*_RANDOM_FUNCS, "uuid.uuid1"):
            return f"{ctx.name(sub.func)} is predictable; use secrets"
    return None


MKTEMP = make_rule(
    38,
    "Insecure temporary file name (tempfile.mktemp)",
    cwe=("CWE-377",),
    owasp="A01",
    severity=S.MEDIUM,
    confidence=C.HIGH,
    description="mktemp returns a name that another process can create first (race condition).",
    remediation="with tempfile.NamedTemporaryFile(delete=False) as f: ...  or tempfile.mkstemp().",
)


@pattern(MKTEMP, ast.Call)
def _mktemp(node: ast.Call, ctx: PatternContext) -> str | None:
    if ctx.name(node.func) in ("tempfile.mktemp", "os.tempnam", "os.tmpnam"):
        return "race-prone temporary file name"
    return None


ASSERT_ACCESS = make_rule(
    39,
    "assert used for an access-control check",
    cwe=("CWE-617", "CWE-285"),
    owasp="A01",
    severity=S.MEDIUM,
    confidence=C.MEDIUM,
    description="python -O strips assert statements, and the check with them.",
    remediation="Raise explicitly: if not user.is_admin: raise PermissionDenied() (or abort(403)).",
)
_ACCESS_WORDS = (
    "is_admin",
    "is_authenticated",
    "is_staff",
    "is_superuser",
    "has_perm",
    "permission",
    "authorized",
    "authorised",
    "is_owner",
    "role",
    "can_",
)


@pattern(ASSERT_ACCESS, ast.Assert)
def _assert_access(node: ast.Assert, ctx: PatternContext) -> str | None:
    if "test" in ctx.module.path.rsplit("/", 1)[-1]:
        return None
    text = ast.unparse(node.test).lower()
    if any(word in text for word in _ACCESS_WORDS):
        return "access check in an assert is removed under python -O"
    return None


WORLD_WRITABLE = make_rule(
    40,
    "World-writable file permissions",
    cwe=("CWE-732", "CWE-276"),
    owasp="A01",
    severity=S.MEDIUM,
    confidence=C.HIGH,
    description="Any local user can change a world-writable file.",
    remediation="Grant the least needed: os.chmod(path, 0o600) for secrets, 0o644 for public "
    "files.",
)


@pattern(WORLD_WRITABLE, ast.Call)
def _chmod(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    if name in ("os.chmod", "os.fchmod", "os.lchmod"):
        mode = ctx.constant(argument(node, 1, "mode"))
    elif (
        isinstance(node.func, ast.Attribute)
        and node.func.attr == "chmod"
        and name.startswith(("pathlib.", "Path"))
    ):
        mode = ctx.constant(argument(node, 0, "mode"))
    elif name == "os.umask":
        value = ctx.constant(argument(node, 0, "mask"))
        return (
            "umask lets others write new files"
            if isinstance(value, int) and not value & 0o002
            else None
        )
    else:
        return None
    if isinstance(mode, int) and mode & 0o002:
        return f"mode {oct(mode)} is world-writable"
    return None


YAML_LOAD = make_rule(
    43,
    "yaml.load without a safe loader",
    cwe=("CWE-502",),
    owasp="A08",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="PyYAML's full and unsafe loaders can construct arbitrary Python objects.",
    remediation="yaml.safe_load(text), or yaml.load(text, Loader=yaml.CSafeLoader).",
)
_SAFE_LOADERS = ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")


@pattern(YAML_LOAD, ast.Call)
def _yaml_load(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    if name in ("yaml.unsafe_load", "yaml.unsafe_load_all"):
        return f"{name} constructs arbitrary objects"
    if name in ("yaml.load", "yaml.load_all"):
        loader = argument(node, 1, "Loader")
        if loader is None:
            return "yaml.load without SafeLoader constructs arbitrary objects"
        if not ctx.derives_from(loader, _SAFE_LOADERS) and not _module_safe_loader(loader, ctx):
            return "yaml.load without SafeLoader constructs arbitrary objects"
    return None


def _module_safe_loader(loader: ast.expr, ctx: PatternContext) -> bool:
    """A module-level name bound only to safe loaders: ``L = getattr(yaml, "CSafeLoader",
    yaml.SafeLoader)`` or ``class L(getattr(yaml, "CSafeLoader", yaml.SafeLoader))``, the usual
    way to prefer the C loader where it exists."""
    if not isinstance(loader, ast.Name):
        return False
    candidates: list[ast.expr] = []
    for statement in ctx.module.tree.body:
        if isinstance(statement, ast.ClassDef) and statement.name == loader.id:
            candidates.extend(statement.bases)
        elif isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            if any(isinstance(t, ast.Name) and t.id == loader.id for t in targets):
                candidates.append(statement.value)
    return bool(candidates) and all(_names_safe_loaders(c, ctx) for c in candidates)


def _names_safe_loaders(expr: ast.expr, ctx: PatternContext) -> bool:
    if isinstance(expr, ast.Call) and ctx.name(expr.func) == "getattr" and len(expr.args) >= 2:
        named = expr.args[1]
        default = expr.args[2] if len(expr.args) > 2 else None
        return (
            isinstance(named, ast.Constant)
            and named.value in _SAFE_LOADERS
            and (default is None or _names_safe_loaders(default, ctx))
        )
    return ctx.derives_from(expr, _SAFE_LOADERS)


PICKLE = make_rule(
    44,
    "Deserialisation with pickle, marshal, shelve or similar",
    cwe=("CWE-502",),
    owasp="A08",
    severity=S.MEDIUM,
    confidence=C.MEDIUM,
    description="Loading a pickle runs code chosen by whoever wrote the bytes.",
    remediation="Use json for data exchange; if the data must be pickled, sign it "
    "(hmac.new(key, blob, 'sha256')) and verify before pickle.loads.",
)
_PICKLE_FUNCS = (
    "pickle.loads",
    "pickle.load",
    "pickle.Unpickler",
    "cPickle.loads",
    "cPickle.load",
    "marshal.loads",
    "marshal.load",
    "shelve.open",
    "dill.loads",
    "dill.load",
    "jsonpickle.decode",
    "pandas.read_pickle",
    "joblib.load",
)


@pattern(PICKLE, ast.Call)
def _pickle(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    if name not in _PICKLE_FUNCS:
        return None
    data = argument(node, 0)
    if isinstance(data, ast.Call) and ctx.name(data.func).endswith(".dumps"):
        return None  # a round trip of bytes made just here (picklability checks)
    return f"{name} can run arbitrary code"


SHELL_TRUE = make_rule(
    45,
    "subprocess with shell=True and a non-constant command",
    cwe=("CWE-78",),
    owasp="A03",
    severity=S.MEDIUM,
    confidence=C.MEDIUM,
    description="A shell parses the command line, so any variable part can inject commands.",
    remediation="Pass an argument list without a shell: subprocess.run(['tar', '-xf', path], "
    "check=True).",
    tags=(SETTLED_BY_TAINT,),
)
_SUBPROCESS = (
    "subprocess.run",
    "subprocess.call",
    "subprocess.check_call",
    "subprocess.check_output",
    "subprocess.Popen",
)


@pattern(SHELL_TRUE, ast.Call)
def _shell_true(node: ast.Call, ctx: PatternContext) -> str | None:
    if ctx.name(node.func) in _SUBPROCESS and ctx.constant(keyword(node, "shell")) is True:
        command = argument(node, 0, "args")
        if command is not None and not ctx.is_literal(command):
            return "shell=True with a command built at run time"
    return None


OS_SYSTEM = make_rule(
    46,
    "Shell command built at run time (os.system, os.popen)",
    cwe=("CWE-78",),
    owasp="A03",
    severity=S.MEDIUM,
    confidence=C.MEDIUM,
    description="os.system and os.popen always use a shell.",
    remediation="subprocess.run(['program', arg], check=True) with an argument list and no shell.",
    tags=(SETTLED_BY_TAINT,),
)


@pattern(OS_SYSTEM, ast.Call)
def _os_system(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    if name in ("os.system", "os.popen", "subprocess.getoutput", "subprocess.getstatusoutput"):
        command = argument(node, 0, "cmd")
        if command is not None and not ctx.is_literal(command):
            return f"{name} with a command built at run time"
    return None


EVAL = make_rule(
    47,
    "eval or exec of a non-constant string",
    cwe=("CWE-95", "CWE-94"),
    owasp="A03",
    severity=S.MEDIUM,
    confidence=C.MEDIUM,
    description="Evaluating a string built at run time runs whatever it contains.",
    remediation="ast.literal_eval(text) for literals, json.loads(text) for data, or a dict of "
    "allowed "
    "operations.",
    tags=(SETTLED_BY_TAINT,),
)


@pattern(EVAL, ast.Call)
def _eval(node: ast.Call, ctx: PatternContext) -> str | None:
    if (
        isinstance(node.func, ast.Name)
        and node.func.id in ("eval", "exec")
        and (
            ctx.module.resolve_name(node.func.id) is None
            and node.args
            and not ctx.is_literal(node.args[0])
        )
    ):
        return f"{node.func.id} of a value built at run time"
    return None


SQL_FORMAT = make_rule(
    48,
    "SQL statement built with string formatting",
    cwe=("CWE-89",),
    owasp="A03",
    severity=S.MEDIUM,
    confidence=C.MEDIUM,
    description="A query assembled with f-strings, % or + is one variable away from SQL injection.",
    remediation="Use placeholders: cursor.execute('SELECT * FROM users WHERE name = %s', (name,)).",
    tags=(SETTLED_BY_TAINT,),
)
_SQL_WORDS = ("select ", "insert ", "update ", "delete ", " where ", "drop ", "create ")


def _formatted_sql(expr: ast.expr) -> bool:
    dynamic = (
        (
            isinstance(expr, ast.JoinedStr)
            and any(isinstance(v, ast.FormattedValue) for v in expr.values)
        )
        or (isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add | ast.Mod))
        or (
            isinstance(expr, ast.Call)
            and isinstance(expr.func, ast.Attribute)
            and expr.func.attr == "format"
        )
    )
    if not dynamic:
        return False
    text = " ".join(
        n.value.lower()
        for n in ast.walk(expr)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    )
    return any(word in text for word in _SQL_WORDS)


@pattern(SQL_FORMAT, ast.Call)
def _sql_format(node: ast.Call, ctx: PatternContext) -> str | None:
    if (
        isinstance(node.func, ast.Attribute)
        and node.func.attr in ("execute", "executemany", "raw")
        and node.args
        and _formatted_sql(node.args[0])
    ):
        return "SQL built by string formatting"
    if (
        ctx.name(node.func) in ("sqlalchemy.text", "pandas.read_sql", "pandas.read_sql_query")
        and node.args
        and _formatted_sql(node.args[0])
    ):
        return "SQL built by string formatting"
    return None


XXE = make_rule(
    49,
    "XML parser that resolves external entities",
    cwe=("CWE-611",),
    owasp="A05",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="Resolving external entities lets an XML document read local files or reach "
    "internal URLs (XXE).",
    remediation="lxml.etree.XMLParser(resolve_entities=False, no_network=True), or parse with "
    "defusedxml (defusedxml.ElementTree.fromstring).",
)


@pattern(XXE, ast.Call)
def _xxe(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    if name in ("lxml.etree.XMLParser", "lxml.etree.XSLTAccessControl") and (
        ctx.constant(keyword(node, "resolve_entities")) is True
        or ctx.constant(keyword(node, "no_network")) is False
    ):
        return "parser resolves external entities"
    if (
        isinstance(node.func, ast.Attribute)
        and node.func.attr == "setFeature"
        and len(node.args) == 2
    ) and ctx.name(node.args[0]).endswith(("feature_external_ges", "feature_external_pes")):
        return (
            "SAX parser resolves external entities" if ctx.constant(node.args[1]) is True else None
        )
    return None


STDLIB_XML = make_rule(
    50,
    "XML parsed with the standard library (entity expansion)",
    cwe=("CWE-776",),
    owasp="A05",
    severity=S.LOW,
    confidence=C.MEDIUM,
    description="xml.* parsers expand entities, so a small document can exhaust memory "
    "(billion laughs).",
    remediation="import defusedxml.ElementTree as ET; ET.fromstring(data).",
)
_STDLIB_XML = (
    "xml.etree.ElementTree.fromstring",
    "xml.etree.ElementTree.parse",
    "xml.etree.ElementTree.XML",
    "xml.etree.ElementTree.iterparse",
    "xml.etree.cElementTree.fromstring",
    "xml.etree.cElementTree.parse",
    "xml.dom.minidom.parseString",
    "xml.dom.minidom.parse",
    "xml.dom.pulldom.parse",
    "xml.dom.pulldom.parseString",
    "xml.sax.parseString",
    "xml.sax.parse",
    "xmlrpc.client.loads",
)


@pattern(STDLIB_XML, ast.Call)
def _stdlib_xml(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    if name in _STDLIB_XML:
        return f"{name} expands entities; use defusedxml"
    return None


TMP_PATH = make_rule(
    59,
    "Hard-coded path in a shared temporary directory",
    cwe=("CWE-377", "CWE-379"),
    owasp="A01",
    severity=S.MEDIUM,
    confidence=C.MEDIUM,
    description="A fixed name under /tmp can be created or linked by another user first.",
    remediation="with tempfile.TemporaryDirectory() as d: path = os.path.join(d, 'out.txt').",
)
_TMP_PREFIXES = ("/tmp/", "/var/tmp/", "/dev/shm/")  # noqa: S108 - the paths we look for
_FILE_FUNCS = (
    "open",
    "builtins.open",
    "io.open",
    "os.open",
    "pathlib.Path",
    "shutil.copy",
    "shutil.move",
    "os.mkdir",
    "os.makedirs",
)


@pattern(TMP_PATH, ast.Call)
def _tmp_path(node: ast.Call, ctx: PatternContext) -> str | None:
    if ctx.name(node.func) in _FILE_FUNCS and node.args:
        value = ctx.constant(node.args[0])
        if isinstance(value, str) and value.startswith(_TMP_PREFIXES):
            return f"fixed temporary path {value}"
    return None


TORCH_LOAD = make_rule(
    60,
    "torch.load without weights_only=True",
    cwe=("CWE-502",),
    owasp="A08",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="torch.load unpickles the file, running any code a malicious model carries.",
    remediation="torch.load(path, weights_only=True), or store weights as safetensors "
    "(safetensors.torch.load_file).",
)


@pattern(TORCH_LOAD, ast.Call)
def _torch_load(node: ast.Call, ctx: PatternContext) -> str | None:
    if (
        ctx.name(node.func) == "torch.load"
        and ctx.constant(keyword(node, "weights_only")) is not True
    ):
        return "torch.load unpickles; pass weights_only=True"
    return None


NUMPY_PICKLE = make_rule(
    61,
    "numpy.load with allow_pickle=True",
    cwe=("CWE-502",),
    owasp="A08",
    severity=S.MEDIUM,
    confidence=C.HIGH,
    description="Object arrays are pickles: loading one from an untrusted file runs code.",
    remediation="numpy.load(path) with the default allow_pickle=False; store plain arrays.",
)


@pattern(NUMPY_PICKLE, ast.Call)
def _numpy_pickle(node: ast.Call, ctx: PatternContext) -> str | None:
    if (
        ctx.name(node.func) in ("numpy.load", "np.load")
        and ctx.constant(keyword(node, "allow_pickle")) is True
    ):
        return "allow_pickle=True unpickles object arrays"
    return None


TAR_EXTRACT = make_rule(
    62,
    "tarfile extraction without a filter",
    cwe=("CWE-22",),
    owasp="A01",
    severity=S.MEDIUM,
    confidence=C.MEDIUM,
    description="Members named '../x' or absolute paths are written outside the target (tar slip).",
    remediation="tar.extractall(dest, filter='data') (Python 3.12+, backported to 3.8+ security "
    "releases), or check each member's resolved path before extracting.",
)


@pattern(TAR_EXTRACT, ast.Call)
def _tar_extract(node: ast.Call, ctx: PatternContext) -> str | None:  # noqa: ARG001 - check signature
    if isinstance(node.func, ast.Attribute) and node.func.attr in ("extractall", "extract"):
        receiver = ast.unparse(node.func.value).lower()
        if (
            "tar" in receiver
            and keyword(node, "filter") is None
            and keyword(node, "members") is None
        ):
            return f"{node.func.attr} without filter='data'"
    return None


CHECKS = (
    _random,
    _mktemp,
    _assert_access,
    _chmod,
    _yaml_load,
    _pickle,
    _shell_true,
    _os_system,
    _eval,
    _sql_format,
    _xxe,
    _stdlib_xml,
    _tmp_path,
    _torch_load,
    _numpy_pickle,
    _tar_extract,
)
