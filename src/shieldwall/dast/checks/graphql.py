"""GraphQL endpoint checks: introspection left on, unlimited batching, no depth limit.

Each is proven by an answer: the schema itself; every operation of a batch of ten answered;
a query nested twelve levels deep over a recursive type executed without an error.
"""

from __future__ import annotations

from shieldwall.core.finding import Finding
from shieldwall.dast import rules
from shieldwall.dast.client import DastClient
from shieldwall.dast.evidence import make_finding
from shieldwall.dast.graphql import GraphqlApi, answered, recursive_path

BATCH = 10
DEPTH = 12


async def graphql_findings(client: DastClient, api: GraphqlApi) -> list[Finding]:
    """Introspection (already proven by ``api``, if it answered), then batching and depth."""
    findings = []
    if api.exchange is not None:
        types = len(api.schema.types)
        findings.append(
            make_finding(
                rules.GRAPHQL_INTROSPECTION,
                api.exchange,
                f"Introspection answers with the whole schema ({types} types)",
                proof='"__schema"',
            )
        )
    batch = [{"query": "query { __typename }"} for _ in range(BATCH)]
    exchange = await client.send("POST", api.url, json=batch)
    if answered(exchange.body, BATCH) is not None:
        findings.append(
            make_finding(
                rules.GRAPHQL_BATCHING,
                exchange,
                f"A batch of {BATCH} operations in one request was executed",
                proof="__typename",
            )
        )
    path = recursive_path(api.schema)
    if path is not None:
        root, arguments, nested = path
        inner = "__typename"
        for _ in range(DEPTH):
            inner = f"{nested[0]} {{ {inner} }}"
        query = f"query {{ {root}{arguments} {{ {inner} }} }}"
        exchange = await client.send("POST", api.url, json={"query": query})
        if answered(exchange.body) is not None:
            findings.append(
                make_finding(
                    rules.GRAPHQL_DEPTH,
                    exchange,
                    f"A query {DEPTH + 1} levels deep ({root}.{nested[0]}…) was executed",
                    proof=nested[0],
                )
            )
    return findings
