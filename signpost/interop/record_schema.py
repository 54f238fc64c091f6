"""The JSON Schema for HSDS 3.0 records, shared by the API, its OpenAPI document and imports.

One file (``schemas/hsds.json``) holds every entity under ``$defs``; the OpenAPI document
uses the same definitions as ``components/schemas``, so what the API promises and what the
importer accepts cannot drift apart.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_FILE = Path(__file__).parent / "schemas" / "hsds.json"


@cache
def hsds_schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def validator_for(entity: str) -> Draft202012Validator:
    """A validator for one entity (``"service"``, ``"organization"`` ...)."""
    schema = hsds_schema()
    root = {**schema, "$ref": f"#/$defs/{entity}"}
    return Draft202012Validator(root, format_checker=Draft202012Validator.FORMAT_CHECKER)


def openapi_components() -> dict[str, Any]:
    """The ``$defs`` rewritten as OpenAPI 3.1 ``components/schemas``."""
    text = json.dumps(copy.deepcopy(hsds_schema()["$defs"]))
    return json.loads(text.replace('"#/$defs/', '"#/components/schemas/'))
