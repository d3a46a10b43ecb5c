"""Cryptography misuse: weak hashes and ciphers, bad modes, short keys, constant keys and salts."""

from __future__ import annotations

import ast

from shieldwall.analyzers.sast.patterns.base import (
    PatternContext,
    argument,
    keyword,
    pattern,
)
from shieldwall.analyzers.sast.rules.catalog import make_rule
from shieldwall.core.severity import Confidence as C
from shieldwall.core.severity import Severity as S

_PASSWORD_WORDS = ("password", "passwd", "pwd", "passphrase")


def _not_for_security(call: ast.Call, ctx: PatternContext) -> bool:
    return ctx.constant(keyword(call, "usedforsecurity")) is False


def _hash_name(call: ast.Call, ctx: PatternContext) -> str:
    """``md5`` for hashlib.md5(...), hashlib.new('md5'), Crypto.Hash.MD5.new(...)."""
    name = ctx.name(call.func)
    if name == "hashlib.new":
        value = ctx.constant(argument(call, 0, "name"))
        return value.lower().replace("-", "") if isinstance(value, str) else ""
    if name.startswith("hashlib."):
        return name.rsplit(".", 1)[1].lower()
    if name.startswith(("Crypto.Hash.", "Cryptodome.Hash.")) and name.endswith(".new"):
        return name.split(".")[2].lower()
    if name.startswith("cryptography.hazmat.primitives.hashes."):
        return name.rsplit(".", 1)[1].lower()
    return ""


WEAK_MD5 = make_rule(
    20,
    "Weak hash: MD5 or MD4 used for security",
    cwe=("CWE-328", "CWE-327"),
    owasp="A02",
    severity=S.MEDIUM,
    confidence=C.HIGH,
    description="MD5 and MD4 are broken: collisions are cheap to produce.",
    remediation="Use hashlib.sha256(data) for integrity, hmac.new(key, data, 'sha256') for "
    "authentication; mark non-security uses with hashlib.md5(data, usedforsecurity=False).",
)
WEAK_SHA1 = make_rule(
    21,
    "Weak hash: SHA-1 used for security",
    cwe=("CWE-328", "CWE-327"),
    owasp="A02",
    severity=S.MEDIUM,
    confidence=C.HIGH,
    description="SHA-1 collisions are practical (SHAttered); it must not protect integrity.",
    remediation="Use hashlib.sha256(data); for non-security uses pass usedforsecurity=False.",
)
FAST_PASSWORD_HASH = make_rule(
    22,
    "Password hashed with a fast hash",
    cwe=("CWE-916", "CWE-328"),
    owasp="A02",
    severity=S.HIGH,
    confidence=C.MEDIUM,
    description="A general-purpose hash of a password is cheap to brute-force.",
    remediation="Use a password hash: argon2.PasswordHasher().hash(pw), bcrypt.hashpw(pw, "
    "bcrypt.gensalt()), or hashlib.scrypt / pbkdf2_hmac('sha256', pw, salt, 600_000).",
)


@pattern(WEAK_MD5, ast.Call)
def _md5(node: ast.Call, ctx: PatternContext) -> str | None:
    if _hash_name(node, ctx) in ("md5", "md4") and not _not_for_security(node, ctx):
        return "MD5/MD4 is a broken hash; use SHA-256 or mark usedforsecurity=False"
    return None


@pattern(WEAK_SHA1, ast.Call)
def _sha1(node: ast.Call, ctx: PatternContext) -> str | None:
    if _hash_name(node, ctx) in ("sha1", "sha") and not _not_for_security(node, ctx):
        return "SHA-1 is a broken hash; use SHA-256 or mark usedforsecurity=False"
    return None


@pattern(FAST_PASSWORD_HASH, ast.Call)
def _fast_password(node: ast.Call, ctx: PatternContext) -> str | None:
    algorithm = _hash_name(node, ctx)
    if not algorithm or algorithm in ("md5", "md4", "sha1", "sha", "scrypt", "pbkdf2_hmac"):
        return None
    for arg in node.args[1:] if ctx.name(node.func) == "hashlib.new" else node.args:
        text = ast.unparse(arg).lower()
        if any(word in text for word in _PASSWORD_WORDS):
            return f"password hashed with {algorithm}; use argon2, bcrypt or scrypt"
    return None


WEAK_CIPHER = make_rule(
    23,
    "Weak cipher: DES, 3DES, RC4, Blowfish, IDEA or CAST5",
    cwe=("CWE-327",),
    owasp="A02",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="These ciphers have short keys or blocks, or known breaks.",
    remediation="Use AES-GCM or ChaCha20-Poly1305: cryptography's AESGCM(key).encrypt(nonce, "
    "data, aad).",
)
_WEAK_CIPHERS = (
    "DES",
    "DES3",
    "ARC4",
    "ARC2",
    "Blowfish",
    "CAST",
    "TripleDES",
    "IDEA",
    "CAST5",
    "SEED",
)


@pattern(WEAK_CIPHER, ast.Call)
def _weak_cipher(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    parts = name.split(".")
    if (
        name.startswith(("Crypto.Cipher.", "Cryptodome.Cipher."))
        and len(parts) >= 3
        and parts[2] in _WEAK_CIPHERS
    ):
        return f"weak cipher {parts[2]}; use AES-GCM"
    if (
        name.startswith("cryptography.hazmat.")
        and parts[-1] in _WEAK_CIPHERS
        and "algorithms" in parts
    ):
        return f"weak cipher {parts[-1]}; use AES-GCM"
    return None


ECB_MODE = make_rule(
    24,
    "Block cipher in ECB mode",
    cwe=("CWE-327",),
    owasp="A02",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="ECB encrypts equal blocks to equal ciphertext and leaks patterns.",
    remediation="Use an authenticated mode: AES-GCM (AESGCM(key)) or ChaCha20Poly1305.",
)


@pattern(ECB_MODE, ast.Call, ast.Attribute)
def _ecb(node: ast.Call | ast.Attribute, ctx: PatternContext) -> str | None:
    if isinstance(node, ast.Call):
        if ctx.name(node.func).endswith("modes.ECB"):
            return "ECB mode leaks plaintext patterns; use GCM"
        return None
    if node.attr == "MODE_ECB":
        return "ECB mode leaks plaintext patterns; use GCM"
    return None


STATIC_IV = make_rule(
    25,
    "Constant initialisation vector or nonce",
    cwe=("CWE-329", "CWE-1204"),
    owasp="A02",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="A fixed IV or nonce makes encryption deterministic and, for CTR/GCM, breakable.",
    remediation="Generate a fresh one per message: iv = os.urandom(16); nonce = os.urandom(12); "
    "store it beside the ciphertext.",
)
_IV_MODES = ("CBC", "CFB", "OFB", "CTR", "GCM", "CFB8")


@pattern(STATIC_IV, ast.Call)
def _static_iv(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    if name.startswith("cryptography.hazmat.") and name.rsplit(".", 1)[-1] in _IV_MODES:
        iv = argument(node, 0, "initialization_vector") or keyword(node, "nonce")
        if iv is not None and isinstance(ctx.constant(iv), bytes):
            return "constant IV/nonce; generate one per message with os.urandom"
    if name.startswith(("Crypto.Cipher.", "Cryptodome.Cipher.")) and name.endswith(".new"):
        for key in ("iv", "nonce", "IV"):
            value = keyword(node, key)
            if value is not None and isinstance(ctx.constant(value), bytes):
                return "constant IV/nonce; generate one per message with get_random_bytes"
        if len(node.args) >= 3 and isinstance(ctx.constant(node.args[2]), bytes):
            return "constant IV/nonce; generate one per message with get_random_bytes"
    return None


SHORT_KEY = make_rule(
    26,
    "Asymmetric key too short",
    cwe=("CWE-326",),
    owasp="A02",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="RSA and DSA keys under 2048 bits can be factored with modest resources.",
    remediation="Generate at least 2048-bit (better 3072-bit) RSA keys: "
    "rsa.generate_private_key(public_exponent=65537, key_size=3072), or use Ed25519.",
)


@pattern(SHORT_KEY, ast.Call)
def _short_key(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    if name.endswith(("rsa.generate_private_key", "dsa.generate_private_key")):
        size = ctx.constant(argument(node, 1, "key_size"))
    elif name.endswith(("RSA.generate", "DSA.generate")) and name.startswith(
        ("Crypto.", "Cryptodome.")
    ):
        size = ctx.constant(argument(node, 0, "bits"))
    else:
        return None
    if isinstance(size, int) and size < 2048:
        return f"{size}-bit key; use at least 2048 bits"
    return None


PBKDF2_ITERATIONS = make_rule(
    64,
    "Password-based key derivation with too few iterations",
    cwe=("CWE-916",),
    owasp="A02",
    severity=S.MEDIUM,
    confidence=C.HIGH,
    description="Few PBKDF2 iterations make password guessing cheap.",
    remediation="Use at least 600000 iterations for PBKDF2-HMAC-SHA256 (OWASP 2023): "
    "hashlib.pbkdf2_hmac('sha256', pw, salt, 600_000), or prefer argon2.",
)


@pattern(PBKDF2_ITERATIONS, ast.Call)
def _pbkdf2(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    if name == "hashlib.pbkdf2_hmac":
        count = ctx.constant(argument(node, 3, "iterations"))
    elif name.endswith("kdf.pbkdf2.PBKDF2HMAC"):
        count = ctx.constant(keyword(node, "iterations"))
    else:
        return None
    if isinstance(count, int) and count < 100_000:
        return f"only {count} iterations; use at least 600000"
    return None


RSA_NO_OAEP = make_rule(
    65,
    "RSA encryption with PKCS#1 v1.5 padding",
    cwe=("CWE-780",),
    owasp="A02",
    severity=S.MEDIUM,
    confidence=C.HIGH,
    description="PKCS#1 v1.5 encryption padding is open to padding-oracle attacks "
    "(Bleichenbacher).",
    remediation="Encrypt with OAEP: key.encrypt(data, "
    "padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), "
    "algorithm=hashes.SHA256(), label=None)).",
)


@pattern(RSA_NO_OAEP, ast.Call)
def _pkcs1v15(node: ast.Call, ctx: PatternContext) -> str | None:
    if (
        isinstance(node.func, ast.Attribute)
        and node.func.attr == "encrypt"
        and len(node.args) >= 2
        and ctx.name(node.args[1]).endswith("padding.PKCS1v15")
    ):
        return "RSA encryption with PKCS1v15 padding; use OAEP"
    if ctx.name(node.func).endswith(("Cipher.PKCS1_v1_5.new",)):
        return "RSA encryption with PKCS1_v1_5; use PKCS1_OAEP"
    return None


CONSTANT_SALT = make_rule(
    66,
    "Constant salt in password hashing",
    cwe=("CWE-760",),
    owasp="A02",
    severity=S.MEDIUM,
    confidence=C.HIGH,
    description="A fixed salt lets one precomputed table crack every password.",
    remediation="Generate a random salt per password: salt = os.urandom(16), stored with the hash.",
)


@pattern(CONSTANT_SALT, ast.Call)
def _constant_salt(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    if name == "hashlib.pbkdf2_hmac":
        salt = argument(node, 2, "salt")
    elif name in ("hashlib.scrypt",) or name.endswith(
        ("kdf.pbkdf2.PBKDF2HMAC", "kdf.scrypt.Scrypt")
    ):
        salt = keyword(node, "salt")
    else:
        return None
    if salt is not None and isinstance(ctx.constant(salt), bytes | str):
        return "constant salt; use os.urandom(16) per password"
    return None


HARDCODED_KEY = make_rule(
    67,
    "Hard-coded encryption key",
    cwe=("CWE-321", "CWE-798"),
    owasp="A02",
    severity=S.HIGH,
    confidence=C.HIGH,
    description="A key in the source is known to everyone who can read the code or the package.",
    remediation="Load keys from a secret store or the environment at start-up: "
    "key = base64.b64decode(os.environ['DATA_KEY']); Fernet(os.environ['FERNET_KEY']).",
)


@pattern(HARDCODED_KEY, ast.Call)
def _hardcoded_key(node: ast.Call, ctx: PatternContext) -> str | None:
    name = ctx.name(node.func)
    if name.endswith(
        ("fernet.Fernet", "aead.AESGCM", "aead.ChaCha20Poly1305", "algorithms.AES")
    ) or (name.startswith(("Crypto.Cipher.", "Cryptodome.Cipher.")) and name.endswith(".new")):
        key = argument(node, 0, "key")
        if key is not None and isinstance(ctx.constant(key), bytes | str):
            return "encryption key is a literal in the source"
    return None


CHECKS = (
    _md5,
    _sha1,
    _fast_password,
    _weak_cipher,
    _ecb,
    _static_iv,
    _short_key,
    _pbkdf2,
    _pkcs1v15,
    _constant_salt,
    _hardcoded_key,
)
