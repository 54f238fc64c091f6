"""The OpenAPI 3.1 document for what /api/v1 serves, built from the same declarations the
code uses: the parameters from ``params.PARAMETERS`` and the record schemas from the HSDS
JSON Schema file, so the description cannot drift from the behaviour.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from signpost.api.params import ENDPOINT_PARAMETERS, PARAMETERS
from signpost.interop.record_schema import openapi_components

JSON = "application/json"

LISTS = {
    "/services": ("service", "Published services, paged."),
    "/service_at_locations": ("service_at_location", "Published services at their buildings."),
    "/taxonomies": ("taxonomy", "Taxonomies, paged."),
    "/taxonomy_terms": ("taxonomy_term", "Taxonomy terms (need categories), paged."),
    "/organizations": ("organization", "Organisations with published services, paged."),
}
ITEMS = {
    "/services/{id}": ("service", "One published service, fully nested."),
    "/service_at_locations/{id}": ("service_at_location", "One service at one building."),
    "/taxonomies/{id}": ("taxonomy", "One taxonomy."),
    "/taxonomy_terms/{id}": ("taxonomy_term", "One taxonomy term."),
    "/organizations/{id}": ("organization", "One organisation with published services."),
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str) -> dict[str, Any]:
    return {"description": description, "content": {JSON: {"schema": schema}}}


ERROR_WORDS = {
    400: "A query parameter could not be used; the message says which and why.",
    404: "Nothing published has that id.",
    405: "Only GET (and HEAD and OPTIONS) is served; any other method gets this.",
    429: "Too many requests from this client; try again in a minute.",
    503: "The postcode lookup or the text search is not available just now. Try again "
    "later (the search's answer says how many seconds in Retry-After), or search without "
    "a postcode.",
}


def _errors(*statuses: int) -> dict[str, Any]:
    return {str(status): _json(_ref("error"), ERROR_WORDS[status]) for status in statuses}


def _parameters(path: str) -> list[dict[str, Any]]:
    listed = [
        {"name": name, "in": "query", "required": False, **PARAMETERS[name]}
        for name in ENDPOINT_PARAMETERS.get(path, ())
    ]
    if "{id}" in path:
        listed.insert(
            0,
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
        )
    return listed


def _page_schema(entity: str) -> dict[str, Any]:
    items = _ref(entity)
    if entity == "service":  # minimal=true lists only ids and dates
        items = {"anyOf": [items, _ref("service_minimal")]}
    return {
        "type": "object",
        "required": [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
        "properties": {
            "total_items": {"type": "integer", "minimum": 0},
            "total_pages": {"type": "integer", "minimum": 0},
            "page_number": {"type": "integer", "minimum": 1},
            "size": {"type": "integer", "minimum": 0},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean"},
            "contents": {"type": "array", "items": items},
        },
    }


def _operation(operation_id: str, summary: str, ok: dict, path: str, *errors: int) -> dict:
    if "postcode" in ENDPOINT_PARAMETERS.get(path, ()):
        errors = (*errors, 503)
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": _parameters(path),
            "responses": {"200": ok, **_errors(*errors, 429)},
        }
    }


@cache
def openapi_document() -> dict[str, Any]:
    schemas = openapi_components()
    schemas["error"] = {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "integer"},
            "message": {"type": "string"},
            "parameter": {"type": "string"},
        },
    }
    schemas["service_minimal"] = {
        "type": "object",
        "description": "A service as /services?minimal=true lists it.",
        "required": ["id", "last_modified"],
        "properties": {
            "id": _ref("id"),
            "last_modified": {"type": "string", "format": "date-time"},
        },
        "additionalProperties": False,
    }
    schemas["api_meta"] = {
        "type": "object",
        "required": ["version", "profile", "openapi_url"],
        "properties": {
            "version": {"type": "string"},
            "profile": {"type": "string"},
            "openapi_url": {"type": "string"},
        },
    }
    paths: dict[str, Any] = {
        "/": _operation("getMeta", "API version and profile", _json(_ref("api_meta"), "OK"), "/"),
    }
    for path, (entity, summary) in LISTS.items():
        schemas[f"page_{entity}"] = _page_schema(entity)
        name = "list" + path.strip("/").title().replace("_", "")
        paths[path] = _operation(name, summary, _json(_ref(f"page_{entity}"), "A page"), path, 400)
    for path, (entity, summary) in ITEMS.items():
        name = "get" + path.split("/")[1].title().replace("_", "") + "ById"
        paths[path] = _operation(name, summary, _json(_ref(entity), "OK"), path, 400, 404)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Signpost directory: Open Referral UK (HSDS 3.0) API",
            "version": "1.0.0",
            "description": "Published social-prescribing services, read-only, no key. "
            "Optional fields without a value are omitted. Signpost's own fields are in "
            "x_signpost objects. Every path answers GET (and HEAD and OPTIONS); any other "
            "method gets 405 with an error body (components/responses/method_not_allowed).",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            # Not an operation's answer: what any method other than GET gets, on any path.
            "responses": {"method_not_allowed": _errors(405)["405"]},
        },
    }
