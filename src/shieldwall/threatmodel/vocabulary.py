"""The closed vocabularies of the model format: kinds, levels and STRIDE."""

from __future__ import annotations

from enum import StrEnum


class ComponentKind(StrEnum):
    """What a component is."""

    WEB_APP = "web_app"
    API = "api"
    WORKER = "worker"
    DATABASE = "database"
    QUEUE = "queue"
    OBJECT_STORAGE = "object_storage"
    EXTERNAL_SERVICE = "external_service"


class Exposure(StrEnum):
    """Who can reach a component over the network."""

    INTERNET = "internet"
    PARTNER = "partner"
    INTERNAL = "internal"
    PRIVATE = "private"


class Authentication(StrEnum):
    """How a component or flow authenticates its callers."""

    NONE = "none"
    PASSWORD = "password"  # noqa: S105 - a kind of authentication, not a secret
    API_KEY = "api_key"
    TOKEN = "token"  # noqa: S105
    OAUTH = "oauth"
    SSO = "sso"
    MTLS = "mtls"


class Authorisation(StrEnum):
    """How a component decides what an authenticated caller may do."""

    NONE = "none"
    ROLE = "role"
    PER_OBJECT = "per_object"


class Classification(StrEnum):
    """How sensitive a data asset is, lowest first."""

    PUBLIC = "public"
    INTERNAL = "internal"
    CONFIDENTIAL = "confidential"
    RESTRICTED = "restricted"

    @property
    def rank(self) -> int:
        """Position in the order public < internal < confidential < restricted."""
        return _CLASSIFICATION_RANK[self.value]


_CLASSIFICATION_RANK = {"public": 0, "internal": 1, "confidential": 2, "restricted": 3}


class ActorKind(StrEnum):
    """Who or what an actor is."""

    USER = "user"
    ADMIN = "admin"
    ANONYMOUS = "anonymous"
    PARTNER = "partner"
    SERVICE = "service"


class Feature(StrEnum):
    """Risky things a component does; rules key on them."""

    FILE_UPLOAD = "file_upload"
    XML_PARSING = "xml_parsing"
    DESERIALIZATION = "deserialization"
    TEMPLATING = "templating"
    REDIRECTS = "redirects"
    ADMIN_UI = "admin_ui"
    OUTBOUND_REQUESTS = "outbound_requests"
    SHELL_COMMANDS = "shell_commands"
    LDAP = "ldap"
    GRAPHQL = "graphql"
    WEBSOCKETS = "websockets"
    SESSIONS = "sessions"
    PAYMENTS = "payments"
    USER_CONTENT = "user_content"
    SEARCH = "search"
    EMAIL = "email"
    LOGIN = "login"
    PASSWORD_RESET = "password_reset"  # noqa: S105
    FILE_DOWNLOAD = "file_download"
    SCHEDULED_JOBS = "scheduled_jobs"
    PLUGINS = "plugins"
    CACHING = "caching"


class ControlKind(StrEnum):
    """What a security control does; rules name the controls that mitigate them."""

    WAF = "waf"
    RATE_LIMITING = "rate_limiting"
    INPUT_VALIDATION = "input_validation"
    PARAMETERISED_QUERIES = "parameterised_queries"
    OUTPUT_ENCODING = "output_encoding"
    CSRF_PROTECTION = "csrf_protection"
    AUDIT_LOGGING = "audit_logging"
    MONITORING = "monitoring"
    BACKUP = "backup"
    MFA = "mfa"
    SECRETS_MANAGEMENT = "secrets_management"
    LEAST_PRIVILEGE = "least_privilege"
    NETWORK_POLICY = "network_policy"
    SIGNING = "signing"
    MALWARE_SCANNING = "malware_scanning"
    SANDBOXING = "sandboxing"
    DDOS_PROTECTION = "ddos_protection"
    SESSION_MANAGEMENT = "session_management"
    CONTENT_SECURITY_POLICY = "content_security_policy"
    REPLICATION = "replication"
    KEY_ROTATION = "key_rotation"
    SCHEMA_VALIDATION = "schema_validation"
    ALLOWLIST = "allowlist"
    ACCOUNT_LOCKOUT = "account_lockout"
    DEPENDENCY_SCANNING = "dependency_scanning"
    QUOTAS = "quotas"
    TIMEOUTS = "timeouts"
    DATA_MINIMISATION = "data_minimisation"
    ENCRYPTION = "encryption"
    IMMUTABLE_LOGS = "immutable_logs"


class Stride(StrEnum):
    """The STRIDE category of a threat."""

    SPOOFING = "spoofing"
    TAMPERING = "tampering"
    REPUDIATION = "repudiation"
    INFORMATION_DISCLOSURE = "information_disclosure"
    DENIAL_OF_SERVICE = "denial_of_service"
    ELEVATION_OF_PRIVILEGE = "elevation_of_privilege"


class Level(StrEnum):
    """Likelihood or impact of a threat."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def score(self) -> int:
        """1 for low, 2 for medium, 3 for high."""
        return {"low": 1, "medium": 2, "high": 3}[self.value]


class ElementType(StrEnum):
    """The kinds of model element a threat rule can apply to."""

    COMPONENT = "component"
    FLOW = "flow"
    ACTOR = "actor"
    ASSET = "asset"
    BOUNDARY = "boundary"


class ThreatStatus(StrEnum):
    """Where a threat stands in risk tracking."""

    OPEN = "open"
    MITIGATED = "mitigated"
    ACCEPTED = "accepted"
    FALSE_POSITIVE = "false_positive"
