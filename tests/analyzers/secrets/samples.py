# ruff: noqa: E501 - sample lines are data and read best unwrapped
"""Fake but structurally valid secrets for every rule, with near misses, for the corpus.

Values are drawn from a generator seeded by the rule name, so rebuilding the corpus
(``python -m tests.analyzers.secrets.build_corpus``) gives the same files. Checksummed formats
(GitHub, npm) get real checksums, and their near misses carry a wrong one.
"""

from __future__ import annotations

import base64
import json
import random
import string
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from shieldwall.analyzers.secrets.checks import base62_crc32

B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase
HEX = "0123456789abcdef"
LOWER_ALNUM = string.ascii_lowercase + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
URLSAFE = B62 + "_-"
B64 = B62 + "+/"

Block = tuple[str, int]  # text, 0-based line (within the text) where the finding starts


@dataclass(frozen=True)
class Sample:
    """Positive and negative snippets of one rule, in a file with this extension."""

    pos: list[str | Block]
    neg: list[str | Block]
    ext: str = ".py"
    name: str = ""


@dataclass
class Gen:
    """A deterministic generator of random-looking strings."""

    rng: random.Random = field(default_factory=random.Random)

    def s(self, n: int, alphabet: str = B62) -> str:
        """``n`` characters from ``alphabet``."""
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def hex(self, n: int) -> str:
        """``n`` lower-case hex digits."""
        return self.s(n, HEX)

    def uuid(self) -> str:
        """A random UUID (lower-case)."""
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def bytes(self, n: int) -> bytes:
        """``n`` random bytes."""
        return bytes(self.rng.randrange(256) for _ in range(n))

    def b64(self, raw: bytes) -> str:
        """Standard base64."""
        return base64.b64encode(raw).decode()


def gh(g: Gen, prefix: str, *, valid: bool = True) -> str:
    """A GitHub-format token with a real (or deliberately wrong) CRC32 checksum."""
    body = g.s(30)
    check = base62_crc32(body)
    if not valid:
        check = check[:-1] + ("A" if check[-1] != "A" else "B")
    return f"{prefix}_{body}{check}"


def macaroon(g: Gen, location: bytes) -> str:
    """A PyPI-style macaroon v2: location, identifier and signature fields, base64url."""
    ident = g.s(32).encode()
    raw = bytes([2, 1, len(location)]) + location + bytes([2, len(ident)]) + ident + b"\x00"
    raw += b"\x00\x06" + bytes([32]) + g.bytes(32)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def b64url_json(value: dict[str, object]) -> str:
    """A base64url JSON segment of a JWT."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def pem(label: str, der: bytes, *, escaped: bool = False) -> str:
    """A PEM block; ``escaped`` writes the line breaks as ``\\n`` (as inside JSON)."""
    body = base64.b64encode(der).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    sep = "\\n" if escaped else "\n"
    return sep.join([f"-----BEGIN {label}-----", *lines, f"-----END {label}-----"])


def assign(name: str, value: str) -> str:
    """A Python assignment line."""
    return f'{name} = "{value}"'


SampleFn = Callable[[Gen], Sample]
SAMPLES: dict[str, SampleFn] = {}


def sample(name: str) -> Callable[[SampleFn], SampleFn]:
    """Register the sample builder of a rule (by rule name)."""

    def register(fn: SampleFn) -> SampleFn:
        SAMPLES[name] = fn
        return fn

    return register


def simple(name: str, var: str, make: Callable[[Gen], str], near: Callable[[str], str]) -> None:
    """A rule whose positive is ``var = "<token>"`` and negative is ``ref = "<near miss>"``."""

    def build(g: Gen) -> Sample:
        value = make(g)
        return Sample(
            pos=[assign(var, value)],
            neg=[assign("sample_ref", near(value)), assign(var, _placeholder(value))],
        )

    SAMPLES[name] = build


def _placeholder(value: str) -> str:
    """The token's prefix followed by x's: what documentation writes."""
    cut = max(3, min(len(value) // 3, 12))
    return value[:cut] + "x" * (len(value) - cut)


def shorter(value: str) -> str:
    """The value with a third of it cut off: too short for the format."""
    return value[: max(4, len(value) * 2 // 3)]


def prefixed(prefix: str, n: int, alphabet: str = B62) -> Callable[[Gen], str]:
    """A maker for ``prefix`` + ``n`` random characters."""
    return lambda g: prefix + g.s(n, alphabet)


# --- cloud -------------------------------------------------------------------------------------
simple(
    "aws-access-key-id",
    "aws_access_key_id",
    prefixed("AKIA", 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
    shorter,
)
simple("aws-secret-access-key", "aws_secret_access_key", lambda g: g.s(40, B64), shorter)
simple(
    "aws-session-token", "aws_session_token", lambda g: "IQoJb3JpZ2luX2Vj" + g.s(300, B64), shorter
)
simple("aws-mws-key", "mws_auth", lambda g: "amzn.mws." + g.uuid(), shorter)
simple("gcp-api-key", "maps_key", prefixed("AIza", 35, URLSAFE), shorter)


@sample("gcp-service-account")
def _gcp_sa(g: Gen) -> Sample:
    doc = f'{{\n  "type": "service_account",\n  "project_id": "shop-prod",\n  "private_key_id": "{g.hex(40)}",\n  "client_email": "ci@shop-prod.iam.gserviceaccount.com"\n}}'
    neg = '{\n  "type": "service_account",\n  "private_key_id": "<your-private-key-id>"\n}'
    neg2 = f'{{"private_key_id": "{g.hex(20)}"}}'
    return Sample(pos=[(doc, 3)], neg=[(neg, 2), neg2], ext=".json")


simple("gcp-oauth-client-secret", "oauth_client", prefixed("GOCSPX-", 28, URLSAFE), shorter)
simple(
    "google-oauth-access-token", "goog_bearer", prefixed("ya29.", 120, URLSAFE), lambda v: v[:40]
)


@sample("azure-storage-account-key")
def _azure_storage(g: Gen) -> Sample:
    key = g.b64(g.bytes(64))
    bad = g.b64(g.bytes(63)) + "A"  # 88 chars but 63 bytes + junk: fails the 64-byte check
    conn = "DefaultEndpointsProtocol=https;AccountName=shopassets;AccountKey={};EndpointSuffix=core.windows.net"
    return Sample(
        pos=[conn.format(key)],
        neg=[conn.format(bad[:86] + "=="), conn.format("<storage-key>")],
        ext=".cfg",
    )


@sample("azure-sas-token")
def _azure_sas(g: Gen) -> Sample:
    sig = g.s(43, B64).replace("+", "%2B").replace("/", "%2F") + "%3D"
    url = "https://shopassets.blob.core.windows.net/exports?sv=2022-11-02&ss=b&srt=o&sp=r&se=2030-01-01T00:00:00Z&spr=https&sig={}"
    return Sample(
        pos=[url.format(sig)],
        neg=[url.format("{sas_signature}"), "query = 'sig=' + signature"],
        ext=".txt",
    )


@sample("azure-shared-access-key")
def _azure_sb(g: Gen) -> Sample:
    conn = "Endpoint=sb://shop-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={}"
    return Sample(
        pos=[conn.format(g.b64(g.bytes(32)))],
        neg=[conn.format("<key>"), conn.format(g.s(20))],
        ext=".txt",
    )


simple(
    "azure-ad-client-secret",
    "aad_client",
    lambda g: g.s(3, B62) + "8Q~" + g.s(34, URLSAFE + "~."),
    lambda v: v.replace("Q~", "Qx"),
)


@sample("azure-cosmosdb-key")
def _cosmos(g: Gen) -> Sample:
    conn = "AccountEndpoint=https://shop-db.documents.azure.com:443/;AccountKey={};"
    return Sample(
        pos=[conn.format(g.b64(g.bytes(64)))],
        neg=[conn.format("{cosmos_key}"), conn.format(g.b64(g.bytes(48)))],
        ext=".txt",
    )


simple("digitalocean-pat", "do_api", lambda g: "dop_v1_" + g.hex(64), shorter)
simple("digitalocean-oauth-token", "do_oauth", lambda g: "doo_v1_" + g.hex(64), shorter)
simple("digitalocean-refresh-token", "do_refresh", lambda g: "dor_v1_" + g.hex(64), shorter)
simple("alibaba-access-key-id", "ali_ak", prefixed("LTAI", 20), shorter)
simple("tencent-secret-id", "tc_sid", prefixed("AKID", 32), shorter)
simple("heroku-api-key", "HEROKU_API_KEY", lambda g: g.uuid(), lambda v: v[:30])
simple("heroku-api-key-v2", "hk", lambda g: "HRKU-AA" + g.s(58, URLSAFE), shorter)
simple("cloudflare-api-token", "CLOUDFLARE_API_TOKEN", lambda g: g.s(40, URLSAFE), shorter)
simple(
    "cloudflare-origin-ca-key",
    "origin_ca",
    lambda g: "v1.0-" + g.hex(24) + "-" + g.hex(146),
    shorter,
)
simple("scaleway-secret-key", "SCW_SECRET_KEY", lambda g: g.uuid(), lambda v: v[:24])
simple("linode-token", "LINODE_TOKEN", lambda g: g.hex(64), shorter)
simple("supabase-token", "supa", prefixed("sbp_", 40, HEX), shorter)
simple("flyio-token", "fly", prefixed("fo1_", 43, URLSAFE), shorter)
simple("render-api-key", "render", prefixed("rnd_", 32), shorter)
simple("pulumi-token", "pulumi", prefixed("pul-", 40, HEX), shorter)
simple("planetscale-token", "ps", prefixed("pscale_tkn_", 43, URLSAFE), lambda v: v[:30])
simple("doppler-token", "doppler", prefixed("dp.pt.", 43), shorter)
simple("yandex-api-key", "yc", prefixed("AQVN", 36, URLSAFE), shorter)
simple("databricks-token", "dbx", prefixed("dapi", 32, HEX), shorter)
simple(
    "firebase-cloud-messaging-key",
    "fcm",
    lambda g: "AAAA" + g.s(7, URLSAFE) + ":APA91b" + g.s(134, URLSAFE),
    shorter,
)

# --- code hosting ------------------------------------------------------------------------------


def _gh_sample(prefix: str) -> SampleFn:
    def build(g: Gen) -> Sample:
        return Sample(
            pos=[assign("GITHUB_TOKEN", gh(g, prefix))],
            neg=[
                assign("gh_ref", gh(g, prefix, valid=False)),
                assign("GITHUB_TOKEN", f"{prefix}_" + "x" * 36),
            ],
        )

    return build


for _name, _prefix in [
    ("github-pat-classic", "ghp"),
    ("github-oauth-token", "gho"),
    ("github-user-to-server-token", "ghu"),
    ("github-app-installation-token", "ghs"),
    ("github-refresh-token", "ghr"),
]:
    SAMPLES[_name] = _gh_sample(_prefix)

simple(
    "github-fine-grained-pat", "gh_fg", lambda g: "github_pat_" + g.s(22) + "_" + g.s(59), shorter
)
simple("github-oauth-client-secret", "GITHUB_CLIENT_SECRET", lambda g: g.hex(40), shorter)
simple("gitlab-pat", "gl", prefixed("glpat-", 20, URLSAFE), shorter)
simple("gitlab-deploy-token", "gl", prefixed("gldt-", 20, URLSAFE), shorter)
simple("gitlab-runner-token", "gl", prefixed("glrt-", 20, URLSAFE), shorter)
simple("gitlab-runner-registration-token", "gl", prefixed("GR1348941", 20, URLSAFE), shorter)
simple("gitlab-pipeline-trigger-token", "gl", prefixed("glptt-", 40, HEX), shorter)
simple("gitlab-ci-job-token", "gl", lambda g: "glcbt-" + g.s(2) + "_" + g.s(20, URLSAFE), shorter)
simple("gitlab-oauth-app-secret", "gl", prefixed("gloas-", 64, HEX), shorter)
simple("gitlab-feed-token", "gl", prefixed("glft-", 20, URLSAFE), shorter)
simple("gitlab-incoming-mail-token", "gl", prefixed("glimt-", 25, URLSAFE), shorter)
simple("gitlab-agent-token", "gl", prefixed("glagent-", 50, URLSAFE), shorter)
simple("bitbucket-app-password", "bb", prefixed("ATBB", 32), lambda v: v[:20])
simple("bitbucket-client-secret", "BITBUCKET_CLIENT_SECRET", lambda g: g.s(64, URLSAFE), shorter)
simple(
    "azure-devops-pat",
    "AZURE_DEVOPS_PAT",
    lambda g: g.s(52, "abcdefghijklmnopqrstuvwxyz234567"),
    shorter,
)
simple("circleci-token", "ci", lambda g: "CCIPAT_" + g.s(22) + "_" + g.hex(40), shorter)
simple("travis-ci-token", "TRAVIS_TOKEN", lambda g: g.s(22, URLSAFE), shorter)
simple("buildkite-token", "bk", prefixed("bkua_", 40, HEX), shorter)
simple("sonarqube-token", "sonar", prefixed("sqp_", 40, HEX), shorter)
simple("snyk-token", "SNYK_TOKEN", lambda g: g.uuid(), lambda v: v[:30])
simple("octopus-deploy-api-key", "octo", prefixed("API-", 26, UPPER_ALNUM), shorter)
simple(
    "harness-pat",
    "harness",
    lambda g: "pat." + g.s(22, URLSAFE) + "." + g.hex(24) + "." + g.s(20),
    shorter,
)
simple("sourcegraph-token", "sg", prefixed("sgp_", 40, HEX), shorter)

# --- registries --------------------------------------------------------------------------------


@sample("npm-access-token")
def _npm(g: Gen) -> Sample:
    body = g.s(30)
    token = "npm_" + body + base62_crc32(body)
    bad = "npm_" + body + base62_crc32(body)[::-1]
    return Sample(
        pos=[assign("npm_publish", token)],
        neg=[assign("npm_ref", bad), assign("npm_publish", "npm_" + "x" * 36)],
    )


@sample("npmrc-auth-token")
def _npmrc(g: Gen) -> Sample:
    return Sample(
        pos=[f"//registry.npmjs.org/:_authToken={g.s(36, URLSAFE)}"],
        neg=[
            "//registry.npmjs.org/:_authToken=${NPM_TOKEN}",
            "//npm.pkg.github.com/:_authToken=changeme",
        ],
        ext=".npmrc",
    )


@sample("pypi-token")
def _pypi(g: Gen) -> Sample:
    token = "pypi-" + macaroon(g, b"pypi.org")
    broken = token
    while len(broken[5:]) % 4 != 1:  # not decodable base64: fails the macaroon check
        broken = broken[:-1]
    fake = "pypi-AgEIcHlwaS5vcmc" + g.s(80, URLSAFE)
    return Sample(
        pos=[f"password = {token}"],
        neg=[f"token_ref = {broken}", f"token_ref = {fake}"],
        ext=".pypirc",
    )


@sample("testpypi-token")
def _testpypi(g: Gen) -> Sample:
    token = "pypi-" + macaroon(g, b"test.pypi.org")
    fake = "pypi-AgENdGVzdC5weXBpLm9yZw" + g.s(80, URLSAFE)
    return Sample(pos=[f"password = {token}"], neg=[f"token_ref = {fake}"], ext=".pypirc")


simple("rubygems-api-key", "gem", prefixed("rubygems_", 48, HEX), shorter)
simple("nuget-api-key", "nuget", prefixed("oy2", 43, LOWER_ALNUM), shorter)
simple("dockerhub-pat", "docker", prefixed("dckr_pat_", 27, URLSAFE), shorter)


@sample("docker-config-auth")
def _docker_auth(g: Gen) -> Sample:
    good = base64.b64encode(f"deploy:{g.s(20)}".encode()).decode()
    dummy = base64.b64encode(b"user:password").decode()
    return Sample(
        pos=[
            (f'{{\n  "auths": {{\n    "registry.example.io": {{ "auth": "{good}" }}\n  }}\n}}', 2)
        ],
        neg=[
            (f'{{\n  "auths": {{\n    "registry.example.io": {{ "auth": "{dummy}" }}\n  }}\n}}', 2)
        ],
        ext=".json",
    )


simple("artifactory-api-key", "jfrog", prefixed("AKCp", 69), shorter)
simple("clojars-token", "clj", prefixed("CLOJARS_", 60, LOWER_ALNUM), shorter)
simple("crates-io-token", "cargo", prefixed("cio", 32), shorter)
simple("anaconda-token", "ANACONDA_TOKEN", lambda g: "an-" + g.uuid(), lambda v: v[:20])
simple("hex-pm-key", "HEX_API_KEY", lambda g: g.hex(32), shorter)
simple("packagist-token", "packagist", prefixed("packagist_ort_", 68, HEX), shorter)


@sample("gradle-publish-key")
def _gradle(g: Gen) -> Sample:
    return Sample(
        pos=[f"gradle.publish.secret={g.s(32)}"],
        neg=["gradle.publish.secret=${GRADLE_SECRET}", f"gradle.publish.key={g.s(32)}"],
        ext=".properties",
    )


# --- payments ----------------------------------------------------------------------------------
simple("stripe-live-secret-key", "stripe", prefixed("sk_live_", 32), lambda v: v[:24])
simple("stripe-restricted-key", "stripe", prefixed("rk_live_", 32), lambda v: v[:24])
simple("stripe-test-secret-key", "stripe", prefixed("sk_test_", 32), lambda v: v[:24])
simple("stripe-webhook-secret", "stripe_wh", prefixed("whsec_", 32), shorter)
simple("square-access-token", "square", prefixed("EAAA", 60, URLSAFE), shorter)
simple("square-oauth-secret", "square", prefixed("sq0csp-", 43, URLSAFE), shorter)
simple(
    "braintree-access-token",
    "bt",
    lambda g: f"access_token$production${g.s(16, LOWER_ALNUM)}${g.hex(32)}",
    shorter,
)
simple("paypal-client-secret", "PAYPAL_CLIENT_SECRET", lambda g: "E" + g.s(79, URLSAFE), shorter)
simple("shopify-access-token", "shop", prefixed("shpat_", 32, HEX), shorter)
simple("shopify-shared-secret", "shop", prefixed("shpss_", 32, HEX), shorter)
simple("razorpay-key", "rzp", prefixed("rzp_live_", 14), shorter)
simple("plaid-access-token", "plaid", lambda g: "access-production-" + g.uuid(), lambda v: v[:40])
simple(
    "flutterwave-secret-key",
    "flw",
    lambda g: "FLWSECK-" + g.s(32, "abcdefgh0123456789") + "-X",
    shorter,
)
simple("easypost-api-key", "ep", prefixed("EZAK", 54), shorter)
simple("duffel-token", "duffel", prefixed("duffel_live_", 43, URLSAFE), shorter)
simple("shippo-token", "shippo", prefixed("shippo_live_", 40, HEX), shorter)
simple("gocardless-token", "GOCARDLESS_ACCESS", lambda g: "live_" + g.s(40, URLSAFE), shorter)
simple("coinbase-access-token", "COINBASE_API_SECRET", lambda g: g.s(64, URLSAFE), shorter)

# --- messaging ---------------------------------------------------------------------------------
simple(
    "slack-bot-token",
    "slack",
    lambda g: f"xoxb-{g.s(11, string.digits)}-{g.s(12, string.digits)}-{g.s(24)}",
    shorter,
)
simple(
    "slack-user-token",
    "slack",
    lambda g: (
        f"xoxp-{g.s(11, string.digits)}-{g.s(11, string.digits)}-{g.s(12, string.digits)}-{g.hex(32)}"
    ),
    shorter,
)
simple(
    "slack-app-token",
    "slack",
    lambda g: f"xapp-1-A{g.s(10, UPPER_ALNUM)}-{g.s(13, string.digits)}-{g.hex(64)}",
    shorter,
)
simple(
    "slack-legacy-token",
    "slack",
    lambda g: f"xoxa-2-{g.s(11, string.digits)}-{g.s(40)}",
    lambda v: v[:18],
)
simple("slack-config-token", "slack", lambda g: "xoxe.xoxb-1-" + g.s(140, UPPER_ALNUM), shorter)


@sample("slack-webhook")
def _slack_hook(g: Gen) -> Sample:
    url = f"https://hooks.slack.com/services/T{g.s(10, UPPER_ALNUM)}/B{g.s(10, UPPER_ALNUM)}/{g.s(24)}"
    return Sample(
        pos=[assign("SLACK_URL", url)],
        neg=[
            assign(
                "SLACK_URL",
                "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            ),
            assign("docs", "https://hooks.slack.com/services/"),
        ],
    )


@sample("slack-workflow-webhook")
def _slack_wf(g: Gen) -> Sample:
    url = f"https://hooks.slack.com/workflows/T{g.s(10, UPPER_ALNUM)}/A{g.s(10, UPPER_ALNUM)}/{g.s(18, string.digits)}/{g.s(24)}"
    return Sample(
        pos=[assign("WF_URL", url)],
        neg=[
            assign(
                "WF_URL",
                "https://hooks.slack.com/workflows/TXXXXXXXX/AXXXXXXXX/000000000000000000/XXXXXXXXXXXXXXXXXXXXXXXX",
            )
        ],
    )


simple("twilio-api-key", "TWILIO_API_KEY", lambda g: "SK" + g.hex(32), shorter)
simple("twilio-auth-token", "TWILIO_AUTH_TOKEN", lambda g: g.hex(32), shorter)
simple(
    "sendgrid-api-key", "sg", lambda g: "SG." + g.s(22, URLSAFE) + "." + g.s(43, URLSAFE), shorter
)
simple("mailgun-api-key", "mg", lambda g: "key-" + g.hex(32), shorter)
simple(
    "mailgun-signing-key",
    "MAILGUN_WEBHOOK_SIGNING_KEY",
    lambda g: f"{g.hex(32)}-{g.hex(8)}-{g.hex(8)}",
    lambda v: v[:32],
)
simple("mailchimp-api-key", "mc", lambda g: g.hex(32) + "-us14", lambda v: v[:20] + "-us14")
simple("mandrill-api-key", "MANDRILL_KEY", lambda g: "md-" + g.s(22, URLSAFE), shorter)
simple("brevo-api-key", "brevo", lambda g: f"xkeysib-{g.hex(64)}-{g.s(16)}", shorter)
simple("postmark-server-token", "POSTMARK_SERVER_TOKEN", lambda g: g.uuid(), lambda v: v[:30])
simple(
    "telegram-bot-token",
    "TELEGRAM_BOT_TOKEN",
    lambda g: f"{g.s(10, string.digits)}:AA{g.s(33, URLSAFE)}",
    shorter,
)


@sample("discord-bot-token")
def _discord(g: Gen) -> Sample:
    user = base64.urlsafe_b64encode(("1" + g.s(17, string.digits)).encode()).decode().rstrip("=")
    token = f"{user}.{g.s(6, URLSAFE)}.{g.s(38, URLSAFE)}"
    not_id = base64.urlsafe_b64encode(b"N" + g.s(17).encode()).decode().rstrip("=")
    bad = f"{not_id}.{g.s(6, URLSAFE)}.{g.s(38, URLSAFE)}"
    return Sample(
        pos=[assign("DISCORD_BOT_TOKEN", token)],
        neg=[assign("DISCORD_REF", bad), assign("DISCORD_BOT_TOKEN", "your-discord-bot-token")],
    )


@sample("discord-webhook")
def _discord_hook(g: Gen) -> Sample:
    url = f"https://discord.com/api/webhooks/{g.s(19, string.digits)}/{g.s(68, URLSAFE)}"
    return Sample(
        pos=[assign("HOOK", url)],
        neg=[assign("HOOK", "https://discord.com/api/webhooks/{id}/{token}")],
    )


@sample("msteams-webhook")
def _teams(g: Gen) -> Sample:
    url = f"https://shopcorp.webhook.office.com/webhookb2/{g.uuid()}@{g.uuid()}/IncomingWebhook/{g.hex(32)}/{g.uuid()}"
    return Sample(
        pos=[assign("TEAMS_HOOK", url)],
        neg=[assign("TEAMS_HOOK", "https://shopcorp.webhook.office.com/webhookb2/<id>")],
    )


simple("mattermost-token", "MATTERMOST_TOKEN", lambda g: g.s(26, LOWER_ALNUM), shorter)
simple("pusher-secret", "PUSHER_APP_SECRET", lambda g: g.hex(20), shorter)
simple("vonage-api-secret", "NEXMO_API_SECRET", lambda g: g.s(16), shorter)
simple("messagebird-key", "MESSAGEBIRD_ACCESS", lambda g: g.s(25), shorter)
simple("zendesk-token", "ZENDESK_API_TOKEN", lambda g: g.s(40), shorter)
simple(
    "intercom-token",
    "INTERCOM_ACCESS_TOKEN",
    lambda g: "dG9rOj" + g.s(54, URLSAFE) + "=",
    lambda v: v[:30],
)
simple("twitch-token", "TWITCH_CLIENT_SECRET", lambda g: g.s(30, LOWER_ALNUM), shorter)
simple("line-channel-token", "LINE_CHANNEL_ACCESS_TOKEN", lambda g: g.s(172, B64), shorter)

# --- AI ----------------------------------------------------------------------------------------
simple(
    "openai-project-key",
    "OPENAI",
    lambda g: "sk-proj-" + g.s(80, URLSAFE) + "T3BlbkFJ" + g.s(80, URLSAFE),
    lambda v: v[:60],
)
simple("openai-legacy-key", "OPENAI", lambda g: "sk-" + g.s(20) + "T3BlbkFJ" + g.s(20), shorter)
simple(
    "anthropic-api-key", "ANTHROPIC", lambda g: "sk-ant-api03-" + g.s(93, URLSAFE) + "AA", shorter
)
simple("huggingface-token", "HF", lambda g: "hf_" + g.s(34, string.ascii_letters), shorter)
simple("groq-api-key", "GROQ", prefixed("gsk_", 52), shorter)
simple("replicate-token", "REPLICATE", prefixed("r8_", 37), shorter)
simple("perplexity-api-key", "PPLX", prefixed("pplx-", 48), shorter)
simple("xai-api-key", "XAI", prefixed("xai-", 80), shorter)
simple("openrouter-api-key", "OR", prefixed("sk-or-v1-", 64, HEX), shorter)
simple("langsmith-api-key", "LS", lambda g: f"lsv2_pt_{g.hex(32)}_{g.hex(10)}", shorter)
simple("pinecone-api-key", "PC", lambda g: f"pcsk_{g.s(6)}_{g.s(66)}", shorter)
simple("cohere-api-key", "COHERE_API_KEY", lambda g: g.s(40), shorter)
simple("mistral-api-key", "MISTRAL_API_KEY", lambda g: g.s(32), shorter)
simple("wandb-api-key", "WANDB_API_KEY", lambda g: g.hex(40), shorter)
simple("fireworks-api-key", "FW", prefixed("fw_", 24), shorter)
simple("deepgram-api-key", "DEEPGRAM_API_KEY", lambda g: g.hex(40), shorter)

# --- observability -----------------------------------------------------------------------------
simple("datadog-api-key", "DD_API_KEY", lambda g: g.hex(32), shorter)
simple("datadog-app-key", "DD_APP_KEY", lambda g: g.hex(40), shorter)
simple("newrelic-user-key", "nr", prefixed("NRAK-", 27, UPPER_ALNUM), shorter)
simple("newrelic-browser-key", "nr", prefixed("NRJS-", 19, HEX), shorter)
simple("newrelic-insights-key", "nr", prefixed("NRII-", 32, URLSAFE), shorter)
simple("newrelic-license-key", "nr", lambda g: g.hex(36) + "NRAL", lambda v: v[:20] + "NRAL")


@sample("sentry-dsn")
def _sentry(g: Gen) -> Sample:
    dsn = f"https://{g.hex(32)}@o{g.s(6, string.digits)}.ingest.sentry.io/{g.s(7, string.digits)}"
    return Sample(
        pos=[assign("SENTRY", dsn)],
        neg=[
            assign("SENTRY", "https://<key>@o0.ingest.sentry.io/0"),
            assign("SENTRY", f"https://{g.hex(16)}@sentry.io/1"),
        ],
    )


simple("sentry-auth-token", "sentry", lambda g: "sntryu_" + g.hex(64), shorter)
simple("grafana-service-account-token", "graf", lambda g: f"glsa_{g.s(32)}_{g.hex(8)}", shorter)
simple("grafana-cloud-token", "graf", lambda g: "glc_" + g.s(120, B64), lambda v: v[:30])
simple("grafana-api-key", "graf", lambda g: "eyJrIjoi" + g.s(90), lambda v: v[:40])
simple(
    "dynatrace-token",
    "dt",
    lambda g: f"dt0c01.{g.s(24, UPPER_ALNUM)}.{g.s(64, UPPER_ALNUM)}",
    shorter,
)
simple("honeycomb-api-key", "HONEYCOMB_API_KEY", lambda g: g.s(22), shorter)
simple("pagerduty-api-key", "PAGERDUTY_TOKEN", lambda g: g.s(20, URLSAFE + "+"), shorter)
simple("splunk-hec-token", "SPLUNK_HEC_TOKEN", lambda g: g.uuid(), lambda v: v[:30])
simple("rollbar-token", "ROLLBAR_ACCESS_TOKEN", lambda g: g.hex(32), shorter)
simple("bugsnag-api-key", "BUGSNAG_API_KEY", lambda g: g.hex(32), shorter)
simple("launchdarkly-key", "LAUNCHDARKLY_SDK_KEY", lambda g: "sdk-" + g.uuid(), lambda v: v[:30])
simple("sumologic-access-key", "SUMO_ACCESS_KEY", lambda g: g.s(64), shorter)

# --- HashiCorp ---------------------------------------------------------------------------------
simple("vault-service-token", "VAULT", lambda g: "hvs." + g.s(100, URLSAFE), lambda v: v[:40])
simple("vault-batch-token", "VAULT", lambda g: "hvb." + g.s(150, URLSAFE), lambda v: v[:60])
simple("vault-legacy-token", "VAULT_TOKEN", lambda g: "s." + g.s(24), shorter)
simple("terraform-cloud-token", "TFC", lambda g: f"{g.s(14)}.atlasv1.{g.s(67, URLSAFE)}", shorter)


@sample("terraform-credentials-block")
def _tfrc(g: Gen) -> Sample:
    block = 'credentials "app.terraform.io" {{\n  token = "{}"\n}}'
    return Sample(
        pos=[(block.format(g.s(40) + "." + g.s(30)), 1)],
        neg=[(block.format("${TFC_TOKEN}"), 1), (block.format("short"), 1)],
        ext=".tfrc",
    )


simple("consul-acl-token", "CONSUL_HTTP_TOKEN", lambda g: g.uuid(), lambda v: v[:30])
simple("nomad-token", "NOMAD_TOKEN", lambda g: g.uuid(), lambda v: v[:30])

# --- keys --------------------------------------------------------------------------------------


def _key_sample(label: str, der: Callable[[Gen], bytes], bad: Callable[[Gen], bytes]) -> SampleFn:
    def build(g: Gen) -> Sample:
        good = pem(label, der(g))
        in_json = '{"private_key": "' + pem(label, der(g), escaped=True) + '\\n"}'
        placeholder = f"-----BEGIN {label}-----\n...\n-----END {label}-----"
        wrong = pem(label, bad(g))
        return Sample(pos=[(good, 1), (in_json, 0)], neg=[(placeholder, 1), (wrong, 1)], ext=".pem")

    return build


def _der(g: Gen) -> bytes:
    return b"\x30\x82\x04\xa4\x02\x01\x00" + g.bytes(600)


def _not_der(g: Gen) -> bytes:
    return b"\x41" + g.bytes(300)


SAMPLES["private-key-rsa"] = _key_sample("RSA PRIVATE KEY", _der, _not_der)
SAMPLES["private-key-ec"] = _key_sample(
    "EC PRIVATE KEY", lambda g: b"\x30\x77\x02\x01\x01\x04\x20" + g.bytes(112), _not_der
)
SAMPLES["private-key-dsa"] = _key_sample("DSA PRIVATE KEY", _der, _not_der)
SAMPLES["private-key-openssh"] = _key_sample(
    "OPENSSH PRIVATE KEY", lambda g: b"openssh-key-v1\x00" + g.bytes(400), _der
)
SAMPLES["private-key-pkcs8"] = _key_sample("PRIVATE KEY", _der, _not_der)
SAMPLES["private-key-pkcs8-encrypted"] = _key_sample("ENCRYPTED PRIVATE KEY", _der, _not_der)
SAMPLES["private-key-pgp"] = _key_sample(
    "PGP PRIVATE KEY BLOCK",
    lambda g: b"\x95\x03\xc6\x04" + g.bytes(500),
    lambda g: b"\x05" + g.bytes(300),
)


@sample("private-key-putty")
def _putty(g: Gen) -> Sample:
    pub = base64.b64encode(g.bytes(270)).decode()
    priv = base64.b64encode(g.bytes(640)).decode()

    def ppk(private_lines: list[str]) -> str:
        pub_lines = [pub[i : i + 64] for i in range(0, len(pub), 64)]
        return "\n".join(
            [
                "PuTTY-User-Key-File-3: ssh-rsa",
                "Encryption: none",
                "Comment: deploy@shop",
                f"Public-Lines: {len(pub_lines)}",
                *pub_lines,
                f"Private-Lines: {len(private_lines)}",
                *private_lines,
                "Private-MAC: " + g.hex(64),
            ]
        )

    lines = [priv[i : i + 64] for i in range(0, len(priv), 64)]
    good = ppk(lines)
    offset = good.splitlines().index(lines[0])
    bad = ppk(["AAAA"])
    return Sample(pos=[(good, offset)], neg=[(bad, offset - len(lines) + 1)], ext=".ppk")


simple(
    "age-secret-key",
    "AGE",
    lambda g: "AGE-SECRET-KEY-1" + g.s(58, "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L"),
    shorter,
)


@sample("jwt")
def _jwt(g: Gen) -> Sample:
    header = b64url_json({"alg": "HS256", "typ": "JWT"})
    payload = b64url_json(
        {"sub": g.s(12), "name": "Shop Admin", "iat": 1700000000 + g.rng.randrange(10**7)}
    )
    token = f"{header}.{payload}.{g.s(43, URLSAFE)}"
    none_alg = f"{b64url_json({'alg': 'none', 'typ': 'JWT'})}.{payload}.{g.s(43, URLSAFE)}"
    garbage = f"eyJ{g.s(30, URLSAFE)}.eyJ{g.s(40, URLSAFE)}.{g.s(43, URLSAFE)}"
    return Sample(
        pos=[assign("session", token)],
        neg=[assign("session", none_alg), assign("session", garbage)],
    )


# --- URLs and credential files -----------------------------------------------------------------


@sample("database-url-password")
def _db_url(g: Gen) -> Sample:
    return Sample(
        pos=[
            assign("DATABASE_URL", f"postgresql://shop:{g.s(16)}@db.internal:5432/shop"),
            assign("BROKER", f"amqps://worker:{g.s(20)}@mq.internal/vhost"),
        ],
        neg=[
            assign("DATABASE_URL", "postgresql://shop:${DB_PASSWORD}@db.internal:5432/shop"),
            assign("DATABASE_URL", "postgresql://user:password@localhost/db"),
            assign("DOC", "mysql+pymysql://scott:tiger@localhost/test"),
            assign("CACHE", "redis://cache.internal:6379/0"),
        ],
    )


@sample("jdbc-password")
def _jdbc(g: Gen) -> Sample:
    return Sample(
        pos=[
            f"spring.datasource.url=jdbc:sqlserver://db.internal:1433;databaseName=shop;user=app;password={g.s(14)}"
        ],
        neg=[
            "spring.datasource.url=jdbc:sqlserver://db.internal:1433;databaseName=shop;user=app;password=${DB_PASS}"
        ],
        ext=".properties",
    )


@sample("basic-auth-url")
def _basic(g: Gen) -> Sample:
    return Sample(
        pos=[assign("MIRROR", f"https://deploy:{g.s(18)}@artifacts.shopcorp.io/simple/")],
        neg=[
            assign("MIRROR", "https://user:<password>@artifacts.shopcorp.io/simple/"),
            assign("MIRROR", "https://artifacts.shopcorp.io:8443/simple/"),
            assign("MAIL", "mailto:someone@shopcorp.io"),
        ],
    )


@sample("netrc-password")
def _netrc(g: Gen) -> Sample:
    return Sample(
        pos=[(f"machine api.shopcorp.io\n  login deploy\n  password {g.s(20)}", 2)],
        neg=[
            ("machine api.shopcorp.io login deploy password changeme", 0),
            ("machine learning is fun", 0),
        ],
        ext=".netrc",
    )


@sample("htpasswd-hash")
def _htpasswd(g: Gen) -> Sample:
    dot = string.ascii_letters + string.digits + "./"
    return Sample(
        pos=[f"admin:$apr1${g.s(8, dot)}${g.s(22, dot)}", f"ops:$2y$10${g.s(53, dot)}"],
        neg=["admin:$apr1$salt$", "# user:$2y$10$<hash>"],
        ext=".htpasswd",
    )


@sample("shadow-hash")
def _shadow(g: Gen) -> Sample:
    dot = string.ascii_letters + string.digits + "./"
    return Sample(
        pos=[f"root:$6${g.s(16, dot)}${g.s(86, dot)}:19000:0:99999:7:::"],
        neg=["root:*:19000:0:99999:7:::", "daemon:!:19000::::::"],
        ext=".shadow",
    )


@sample("kubeconfig-token")
def _kube_token(g: Gen) -> Sample:
    doc = "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n  user:\n    token: {}\n"
    return Sample(
        pos=[(doc.format(g.s(40, LOWER_ALNUM) + "." + g.s(20)), 5)],
        neg=[(doc.format("${K8S_TOKEN}"), 5)],
        ext=".kubeconfig",
    )


@sample("kubeconfig-client-key")
def _kube_key(g: Gen) -> Sample:
    data = base64.b64encode(pem("RSA PRIVATE KEY", _der(g)).encode()).decode()
    cert = base64.b64encode(pem("CERTIFICATE", _der(g)).encode()).decode()
    doc = (
        "users:\n- name: admin\n  user:\n    client-certificate-data: {}\n    client-key-data: {}\n"
    )
    return Sample(
        pos=[(doc.format(cert, data), 4)], neg=[(doc.format(cert, cert), 4)], ext=".kubeconfig"
    )


@sample("wordpress-config-secret")
def _wp(g: Gen) -> Sample:
    return Sample(
        pos=[f"define( 'DB_PASSWORD', '{g.s(16)}' );", f"define('AUTH_KEY', '{g.s(40)}');"],
        neg=[
            "define( 'DB_PASSWORD', 'password_here' );",
            "define('AUTH_KEY', 'put your unique phrase here');",
        ],
        ext=".php",
    )


simple(
    "django-insecure-secret-key",
    "SK",
    lambda g: (
        "django-insecure-" + g.s(50, string.ascii_lowercase + string.digits + "!@#%^&*(-_=+)")
    ),
    lambda v: v[:40],
)

# --- SaaS --------------------------------------------------------------------------------------
simple("twitter-bearer-token", "X_BEARER", lambda g: "A" * 22 + g.s(90), lambda v: v[:60])
simple("facebook-access-token", "FB", lambda g: "EAAB" + g.s(120), lambda v: v[:40])
simple("okta-api-token", "OKTA_API_TOKEN", lambda g: "00" + g.s(40, URLSAFE), shorter)
simple("airtable-pat", "AIRTABLE", lambda g: f"pat{g.s(14)}.{g.hex(64)}", shorter)
simple("notion-token", "NOTION", prefixed("secret_", 43), shorter)
simple("linear-api-key", "LINEAR", prefixed("lin_api_", 40), shorter)
simple("dropbox-token", "DROPBOX_ACCESS", lambda g: "sl." + g.s(140, URLSAFE), lambda v: v[:60])
simple(
    "mapbox-secret-token",
    "MAPBOX",
    lambda g: f"sk.eyJ{g.s(60, URLSAFE)}.{g.s(22, URLSAFE)}",
    shorter,
)
simple("contentful-pat", "CF", prefixed("CFPAT-", 43, URLSAFE), shorter)
simple("postman-api-key", "PM", lambda g: f"PMAK-{g.hex(24)}-{g.hex(34)}", shorter)
simple("figma-pat", "FIGMA", prefixed("figd_", 40, URLSAFE), shorter)
simple(
    "onepassword-service-account-token",
    "OP",
    lambda g: "ops_eyJ" + g.s(300, B64),
    lambda v: v[:100],
)
simple("tailscale-key", "TS", lambda g: f"tskey-auth-{g.s(12)}-{g.s(34)}", shorter)
simple("hubspot-pat", "HS", lambda g: "pat-na1-" + g.uuid(), lambda v: v[:30])
simple("algolia-admin-key", "ALGOLIA_ADMIN_KEY", lambda g: g.hex(32), shorter)
simple(
    "asana-pat",
    "ASANA_PAT",
    lambda g: f"2/{g.s(16, string.digits)}/{g.s(16, string.digits)}:{g.hex(32)}",
    shorter,
)


def build(name: str) -> Sample:
    """The sample of a rule, generated from a generator seeded by its name."""
    g = Gen(random.Random(zlib.crc32(name.encode())))
    return SAMPLES[name](g)
