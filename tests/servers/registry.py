"""A real OCI registry on 127.0.0.1 (distribution's ``registry`` binary, Debian's
``docker-registry``), plus what it needs for its auth modes: an htpasswd file, or a token server.

``serve_registry`` writes a config (filesystem storage in a temporary directory, bound to an
ephemeral port of 127.0.0.1), starts the binary and waits for ``/v2/``. ``TokenServer`` is the
token service of distribution's token auth (``docs/spec/auth/token.md``): it checks Basic
credentials and signs RS256 JWTs whose ``kid`` is the libtrust key id of the certificate the
registry trusts. ``push`` uploads blobs and a manifest through the distribution API.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

SERVICE = "shieldwall-test-registry"
_STORAGE: dict[str, Path] = {}  # base URL -> the registry's storage root, for tests that tamper
ISSUER = "shieldwall-test-token-issuer"


def registry_binary() -> str | None:
    """The registry program: Debian names it ``docker-registry``, upstream ``registry``."""
    return shutil.which("docker-registry") or shutil.which("registry")


def free_port() -> int:
    """A port of 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def libtrust_key_id(public_der: bytes) -> str:
    """docker/libtrust's key id: base32 of the first 240 bits of SHA-256(SPKI), in 4s."""
    encoded = base64.b32encode(hashlib.sha256(public_der).digest()[:30]).decode().rstrip("=")
    return ":".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


@dataclass
class TokenServer:
    """Issues registry tokens to known users; anonymous callers get a token without access."""

    users: dict[str, str]
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    requests: list[dict[str, str]] = field(default_factory=list)
    base_url: str = ""
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # identity token -> user

    def certificate_pem(self) -> bytes:
        """A self-signed certificate of the signing key, for the registry's rootcertbundle."""
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "shieldwall test token")])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .sign(self.key, hashes.SHA256())
        )
        return cert.public_bytes(serialization.Encoding.PEM)

    def token(self, subject: str, scope: str, granted: bool) -> str:
        """A signed JWT granting ``scope``'s actions (or nothing)."""
        der = self.key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        header = {"typ": "JWT", "alg": "RS256", "kid": libtrust_key_id(der)}
        access = []
        if granted and scope:
            kind, name, actions = scope.split(":")
            access.append({"type": kind, "name": name, "actions": actions.split(",")})
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "sub": subject,
            "aud": SERVICE,
            "exp": now + 300,
            "nbf": now - 10,
            "iat": now,
            "jti": uuid.uuid4().hex,
            "access": access,
        }
        signing_input = (
            f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(claims).encode())}"
        )
        signature = self.key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64url(signature)}"


def _token_handler(server: TokenServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def do_GET(self) -> None:
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            server.requests.append(
                {**query, "authorization": self.headers.get("Authorization", "")}
            )
            subject, granted = "", False
            auth = self.headers.get("Authorization", "")
            if auth.startswith("Basic "):
                user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
                if server.users.get(user) != password:
                    self.send_error(401)
                    return
                subject, granted = user, True
            body = json.dumps({"token": server.token(subject, query.get("scope", ""), granted)})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def do_POST(self) -> None:
            # OAuth2 (docs/spec/auth/oauth.md): an identity token as a refresh token.
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            server.requests.append({**form, "method": "POST"})
            if form.get("grant_type") != "refresh_token" or (
                form.get("refresh_token") not in server.refresh_tokens
            ):
                self.send_error(401)
                return
            user = server.refresh_tokens[form["refresh_token"]]
            body = json.dumps({"access_token": server.token(user, form.get("scope", ""), True)})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

    return Handler


@contextmanager
def serve_tokens(server: TokenServer) -> Iterator[TokenServer]:
    """Run the token service on an ephemeral port for the block."""
    http = ThreadingHTTPServer(("127.0.0.1", 0), _token_handler(server))
    http.daemon_threads = True
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    server.base_url = f"http://127.0.0.1:{http.server_address[1]}"
    try:
        yield server
    finally:
        http.shutdown()
        http.server_close()
        thread.join(timeout=5)


def client_context(tls: dict[str, str] | None) -> ssl.SSLContext:
    """A TLS context that trusts the registry's own certificate (and the system's CAs)."""
    context = ssl.create_default_context()
    if tls:
        context.load_verify_locations(cafile=tls["certificate"])
    return context


def self_signed(root: Path) -> dict[str, str]:
    """An ``http.tls`` section: a self-signed certificate for 127.0.0.1 and its key."""
    import ipaddress

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    root.mkdir(parents=True, exist_ok=True)
    (root / "tls.crt").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (root / "tls.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    return {"certificate": str(root / "tls.crt"), "key": str(root / "tls.key")}


def _config(
    root: Path, port: int, auth: dict[str, object] | None, tls: dict[str, str] | None
) -> str:
    config: dict[str, object] = {
        "version": 0.1,
        "log": {"level": "error", "accesslog": {"disabled": True}},
        "storage": {"filesystem": {"rootdirectory": str(root / "storage")}},
        "http": {"addr": f"127.0.0.1:{port}", "secret": uuid.uuid4().hex},
    }
    if auth:
        config["auth"] = auth
    if tls:
        config["http"]["tls"] = tls  # type: ignore[index]
    return json.dumps(config)  # YAML is a superset of JSON


@contextmanager
def serve_registry(
    root: Path, auth: dict[str, object] | None = None, tls: dict[str, str] | None = None
) -> Iterator[str]:
    """Start the registry with ``auth`` (distribution config ``auth:`` section) and optional
    ``tls`` (``http.tls``); its base URL."""
    binary = registry_binary()
    if binary is None:
        raise RuntimeError("no registry binary")
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = root / "config.yml"
    config.write_text(_config(root, port, auth, tls), encoding="utf-8")
    log = (root / "registry.log").open("wb")
    process = subprocess.Popen([binary, "serve", str(config)], stdout=log, stderr=log)
    base = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    _STORAGE[base] = root / "storage" / "docker" / "registry" / "v2"
    try:
        _wait(base, process, root, client_context(tls))
        yield base
    finally:
        _STORAGE.pop(base, None)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def storage_of(base: str) -> Path:
    """The ``docker/registry/v2`` directory of the running registry at ``base``."""
    return _STORAGE[base]


def _wait(base: str, process: subprocess.Popen[bytes], root: Path, trust: ssl.SSLContext) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                "registry exited: " + (root / "registry.log").read_text(errors="replace")
            )
        try:
            httpx.get(f"{base}/v2/", timeout=1, verify=trust)
        except httpx.TransportError:
            time.sleep(0.05)
            continue
        return
    raise RuntimeError("registry did not start in 20 s")


def htpasswd_auth(root: Path, users: dict[str, str]) -> dict[str, object]:
    """An ``auth: htpasswd`` section with bcrypt entries made by Apache's ``htpasswd -B``."""
    program = shutil.which("htpasswd")
    if program is None:
        raise RuntimeError("no htpasswd")
    path = root / "htpasswd"
    lines = []
    for user, password in users.items():
        done = subprocess.run([program, "-nbB", user, password], check=True, capture_output=True)
        lines.append(done.stdout.decode().strip())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return {"htpasswd": {"realm": "shieldwall-test", "path": str(path)}}


def token_auth(root: Path, tokens: TokenServer) -> dict[str, object]:
    """An ``auth: token`` section trusting ``tokens``' certificate."""
    root.mkdir(parents=True, exist_ok=True)
    bundle = root / "token.pem"
    bundle.write_bytes(tokens.certificate_pem())
    return {
        "token": {
            "realm": f"{tokens.base_url}/token",
            "service": SERVICE,
            "issuer": ISSUER,
            "rootcertbundle": str(bundle),
        }
    }


def push(
    base: str,
    repository: str,
    reference: str,
    manifest: bytes,
    media_type: str,
    blobs: dict[str, bytes],
    authorization: str = "",
) -> None:
    """Upload ``blobs`` (digest -> bytes) monolithically, then PUT the manifest."""
    headers = {"Authorization": authorization} if authorization else {}
    with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
        for digest, data in blobs.items():
            start = http.post(f"/v2/{repository}/blobs/uploads/")
            assert start.status_code == 202, start.text
            location = start.headers["location"]
            # The Location carries the upload's state in its query: add to it, do not replace.
            url = httpx.URL(location).copy_merge_params({"digest": digest})
            done = http.put(url, content=data, headers={"Content-Type": "application/octet-stream"})
            assert done.status_code == 201, done.text
        put = http.put(
            f"/v2/{repository}/manifests/{reference}",
            content=manifest,
            headers={"Content-Type": media_type},
        )
        assert put.status_code == 201, put.text
