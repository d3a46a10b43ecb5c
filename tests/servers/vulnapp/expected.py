"""What a full scan of the vulnerable app must report, exactly: (rule, method, path, parameter).

Every safe twin (``-safe`` routes, ``/xss/safe``, ``/debug/handled``, ``/assets/``, the soft 404 at
``/.env``, ``/cookie/good``, ``/api/cors-good``, ``/transfer-safe``, ``/profile?page=``) is absent
from these sets: reporting any of them is a false positive.
"""

from __future__ import annotations

Expected = frozenset[tuple[str, str, str, str]]

PASSIVE: Expected = frozenset(
    {
        ("SW-DAST-001", "GET", "/headers/none", "Content-Security-Policy"),
        ("SW-DAST-004", "GET", "/headers/none", "X-Content-Type-Options"),
        ("SW-DAST-005", "GET", "/headers/none", "X-Frame-Options"),
        ("SW-DAST-006", "GET", "/headers/none", "Referrer-Policy"),
        ("SW-DAST-002", "GET", "/headers/weak-csp", "Content-Security-Policy"),
        ("SW-DAST-007", "GET", "/cookie/bad", "sessionid"),
        ("SW-DAST-009", "GET", "/cookie/bad", "sessionid"),
        ("SW-DAST-010", "GET", "/api/cors-wildcard", "Access-Control-Allow-Origin"),
        ("SW-DAST-012", "GET", "/debug/crash", ""),
        ("SW-DAST-013", "GET", "/powered", "X-Powered-By"),
        ("SW-DAST-014", "GET", "/static/", ""),
        ("SW-DAST-017", "GET", "/register", "password"),
        ("SW-DAST-018", "GET", "/profile", "api_key"),
        ("SW-DAST-019", "POST", "/transfer", ""),
        # the secrets rules on a served script (/config-safe.js serves placeholders)
        ("SW-SEC-086", "GET", "/config.js", ""),
        ("SW-SEC-010", "GET", "/config.js", ""),
    }
)

ACTIVE: Expected = frozenset(
    {
        ("SW-DAST-011", "GET", "/api/cors-bad", "Access-Control-Allow-Origin"),
        ("SW-DAST-015", "GET", "/.git/HEAD", ""),
        ("SW-DAST-015", "GET", "/legacy/.env", ""),  # probed in every crawled directory
        ("SW-DAST-015", "GET", "/download.php.bak", ""),  # not /notes/ nor /mirror/ (catch-alls)
        ("SW-DAST-101", "GET", "/xss/reflect", "q"),
        ("SW-DAST-101", "GET", "/xss/attr", "q"),
        ("SW-DAST-101", "GET", "/xss/script", "q"),  # breaks out of the string
        ("SW-DAST-101", "GET", "/xss/script-quoted", "q"),  # closes the script element
        ("SW-DAST-101", "GET", "/api/js-only", "q"),
        ("SW-DAST-101", "GET", "/api/from-linked-js", "q"),
        ("SW-DAST-101", "GET", "/robots-only/search", "q"),
        ("SW-DAST-101", "GET", "/from-sitemap", "q"),
        ("SW-DAST-102", "POST", "/guestbook", "message"),
        ("SW-DAST-102", "POST", "/feedback", "comment"),  # shown on /feedback/wall
        ("SW-DAST-103", "GET", "/sqli/item", "id"),
        ("SW-DAST-103", "GET", "/sqli/blind", "name"),
        ("SW-DAST-103", "GET", "/sqli/time", "id"),
        ("SW-DAST-104", "GET", "/ping", "host"),
        ("SW-DAST-104", "GET", "/ping-blind", "host"),  # time-based: the output is never shown
        ("SW-DAST-105", "GET", "/file", "name"),
        ("SW-DAST-105", "GET", "/fetch", "url"),  # urlopen reads file:///etc/passwd too
        ("SW-DAST-106", "GET", "/redirect", "next"),
        ("SW-DAST-107", "GET", "/hello", "name"),
        ("SW-DAST-109", "GET", "/fetch", "url"),
        *(
            # found by introspection on the common paths; /api/graphql refuses introspection,
            # /v1/graphql refuses batches and deep queries, productSafe is parameterised
            ("SW-DAST-020", "POST", "/graphql", ""),
            ("SW-DAST-020", "POST", "/v1/graphql", ""),
            ("SW-DAST-021", "POST", "/graphql", ""),
            ("SW-DAST-022", "POST", "/graphql", ""),
            ("SW-DAST-103", "POST", "/graphql", "product.name"),
            ("SW-DAST-103", "POST", "/v1/graphql", "product.name"),
        ),
    }
)

# Only found when the scan reads /openapi.json (--openapi) or logs in (--auth).
OPENAPI: Expected = frozenset(
    {("SW-DAST-103", "GET", "/api/users", "name"), ("SW-DAST-110", "POST", "/api/xml", "")}
)
AUTHENTICATED: Expected = frozenset({("SW-DAST-101", "GET", "/account/search", "q")})

EXPECTED: Expected = PASSIVE | ACTIVE

# Only found by a browser crawl (--browser): the single-page app's API and DOM-built link.
BROWSER: Expected = frozenset(
    {
        ("SW-DAST-101", "GET", "/spa/api/greet", "name"),
        ("SW-DAST-101", "GET", "/spa/view/report", "q"),
        ("SW-DAST-103", "POST", "/spa/api/lookup", "item"),
    }
)
