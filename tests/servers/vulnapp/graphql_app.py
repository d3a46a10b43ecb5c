"""GraphQL endpoints of the vulnerable app, served by graphql-core (the reference implementation).

``/graphql`` is deliberately flawed: introspection on, batches of any size, no depth limit, and a
``product`` resolver that builds SQL from its argument (``productSafe`` is its safe twin).
``/v1/graphql`` serves the same schema with introspection on but batches refused and a depth
limit; ``/api/graphql`` refuses introspection altogether.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    NoSchemaIntrospectionCustomRule,
    OperationDefinitionNode,
    SelectionSetNode,
    build_schema,
    execute,
    parse,
    specified_rules,
    validate,
)
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

SDL = """
type Query {
  product(name: String!): Product
  productSafe(name: String!): Product
  user(id: ID!): User
  count(limit: Int): Int
}
type Product { id: Int, name: String, price: Int }
type User { id: ID, name: String, friends: [User] }
"""
MAX_DEPTH = 10  # the introspection query itself is 8 deep


def _depth(selection: SelectionSetNode | None) -> int:
    if selection is None:
        return 0
    return 1 + max(
        (_depth(s.selection_set) for s in selection.selections if isinstance(s, FieldNode)),
        default=0,
    )


class DepthLimit(ASTValidationRule):
    """Rejects operations nested deeper than MAX_DEPTH."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        if _depth(node.selection_set) > MAX_DEPTH:
            self.report_error(GraphQLError("query too deep", node))


def _schema(db: sqlite3.Connection) -> GraphQLSchema:
    schema = build_schema(SDL)

    def product(_: Any, __: Any, name: str) -> dict[str, Any] | None:
        # shieldwall: ignore[*] DAST test target, flawed on purpose
        row = db.execute(f"SELECT id, name, price FROM items WHERE name = '{name}'").fetchone()  # noqa: S608
        return dict(zip(("id", "name", "price"), row, strict=True)) if row else None

    def product_safe(_: Any, __: Any, name: str) -> dict[str, Any] | None:
        row = db.execute("SELECT id, name, price FROM items WHERE name = ?", (name,)).fetchone()
        return dict(zip(("id", "name", "price"), row, strict=True)) if row else None

    def user(_: Any, __: Any, id: str) -> dict[str, Any]:
        return {"id": id, "name": "ann", "friends": [{"id": "2", "name": "bob"}]}

    query = schema.query_type
    assert query is not None
    query.fields["product"].resolve = product
    query.fields["productSafe"].resolve = product_safe
    query.fields["user"].resolve = user
    query.fields["count"].resolve = lambda *_, limit=1: limit
    user_type = schema.get_type("User")
    user_type.fields["friends"].resolve = lambda parent, _: [  # type: ignore[union-attr]
        {"id": parent["id"] + "1", "name": "friend"}
    ]
    return schema


def graphql_routes(db: sqlite3.Connection) -> list[Route]:
    """The three endpoints."""
    schema = _schema(db)

    async def run(operation: Any, rules: tuple[type[ASTValidationRule], ...]) -> dict[str, Any]:
        if not isinstance(operation, dict) or not isinstance(operation.get("query"), str):
            return {"errors": [{"message": "expected {query, variables}"}]}
        try:
            document = parse(operation["query"])
        except GraphQLError as exc:
            return {"errors": [{"message": exc.message}]}
        errors = validate(schema, document, (*specified_rules, *rules))
        if errors:
            return {"errors": [{"message": e.message} for e in errors]}
        result = execute(schema, document, variable_values=operation.get("variables"))
        if hasattr(result, "__await__"):
            result = await result  # type: ignore[misc]
        answer: dict[str, Any] = {"data": result.data}  # type: ignore[union-attr]
        if result.errors:  # type: ignore[union-attr]
            answer["errors"] = [{"message": str(e.message)} for e in result.errors]  # type: ignore[union-attr]
        return answer

    def endpoint(*, batching: bool, rules: tuple[type[ASTValidationRule], ...]):  # type: ignore[no-untyped-def]
        async def handler(request: Request) -> JSONResponse:
            body = await request.json()
            if isinstance(body, list):
                if not batching:
                    return JSONResponse({"errors": [{"message": "batching disabled"}]}, 400)
                return JSONResponse([await run(item, rules) for item in body])
            return JSONResponse(await run(body, rules))

        return handler

    return [
        Route("/graphql", endpoint(batching=True, rules=()), methods=["POST"]),
        Route("/v1/graphql", endpoint(batching=False, rules=(DepthLimit,)), methods=["POST"]),
        Route(
            "/api/graphql",
            endpoint(batching=False, rules=(DepthLimit, NoSchemaIntrospectionCustomRule)),
            methods=["POST"],
        ),
    ]
