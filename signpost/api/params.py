"""Query parameters of the API, declared once: the parser and the OpenAPI document share them.

Each parameter has a JSON Schema. A value is converted by its type (whole number, true or
false, text) and checked against that schema, so whatever the OpenAPI document allows is
exactly what is accepted; anything else is a 400 with a sentence naming the parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from jsonschema import Draft202012Validator
from werkzeug.datastructures import MultiDict

from signpost.geo.errors import PostcodeError, PostcodeLookupUnavailable
from signpost.geo.postcodes import LocatedPostcode, locate_postcode

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 50
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
TIMESTAMP_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})?)?$"
)
ID_SCHEMA = {"type": "string", "minLength": 1, "maxLength": 36}

PARAMETERS: dict[str, dict[str, Any]] = {
    "page": {
        "description": "Page number, from 1. A page past the last gives an empty page.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100000, "default": 1},
    },
    "per_page": {
        "description": f"Items per page, 1 to {MAX_PER_PAGE}.",
        "schema": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_PER_PAGE,
            "default": DEFAULT_PER_PAGE,
        },
    },
    "search": {
        "description": "Words to look for. On /services this uses the same search and "
        "ranking as the Signpost web search.",
        "schema": {"type": "string", "maxLength": 200},
    },
    "taxonomy_term_id": {"description": "Only services with this term.", "schema": ID_SCHEMA},
    "taxonomy_id": {"description": "Only items in this taxonomy.", "schema": ID_SCHEMA},
    "organization_id": {"description": "Only this organisation's services.", "schema": ID_SCHEMA},
    "parent_id": {"description": "Only terms under this parent term.", "schema": ID_SCHEMA},
    "modified_after": {
        "description": "Only services changed on or after this date or date-time (UTC).",
        "schema": {"type": "string", "pattern": TIMESTAMP_PATTERN},
    },
    "minimal": {
        "description": "Each service as just its id and last_modified (the UK profile's "
        "minimal listing; meant for fetching every service in few calls).",
        "schema": {"type": "boolean", "default": False},
    },
    "full": {
        "description": "Each item fully nested, as /services/{id} gives it.",
        "schema": {"type": "boolean", "default": False},
    },
    "postcode": {
        "description": "A UK postcode or district (Great Britain). Results are ranked by "
        "relevance and distance, as the web search ranks them, and carry a distance in metres.",
        "schema": {"type": "string", "maxLength": 32},
    },
    "proximity": {
        "description": "With postcode: only results with a building within this many metres "
        "of the postcode's centre. Services with no building (telephone, online, area-wide) "
        "are left out.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 1000000},
    },
    "minimum_age": {
        "description": "Only services whose minimum age is this or more, as the UK profile "
        "defines it (a service with no minimum age counts as 0).",
        "schema": {"type": "integer", "minimum": 0, "maximum": 150},
    },
    "maximum_age": {
        "description": "Only services whose maximum age is this or less, as the UK profile "
        "defines it (a service with no maximum age is left out).",
        "schema": {"type": "integer", "minimum": 0, "maximum": 150},
    },
    "day": {
        "description": "Only services open on this day (RFC 5545 day code).",
        "schema": {"type": "string", "enum": list(DAY_CODES)},
    },
    "start_time": {
        "description": "Only services open at some point after this time (HH:MM).",
        "schema": {"type": "string", "pattern": TIME_PATTERN},
    },
    "end_time": {
        "description": "Only services open at some point before this time (HH:MM).",
        "schema": {"type": "string", "pattern": TIME_PATTERN},
    },
}

LIST_PARAMETERS = ("page", "per_page", "search")
SERVICE_FILTERS = (
    "taxonomy_term_id",
    "taxonomy_id",
    "organization_id",
    "modified_after",
    "postcode",
    "proximity",
    "minimum_age",
    "maximum_age",
    "day",
    "start_time",
    "end_time",
)
ENDPOINT_PARAMETERS: dict[str, tuple[str, ...]] = {
    "/services": (*LIST_PARAMETERS, *SERVICE_FILTERS, "minimal", "full"),
    "/service_at_locations": (*LIST_PARAMETERS, *SERVICE_FILTERS),
    "/taxonomies": LIST_PARAMETERS,
    "/taxonomy_terms": (*LIST_PARAMETERS, "taxonomy_id", "parent_id"),
    "/organizations": (*LIST_PARAMETERS, "full"),
    "/services/{id}": (),
    "/organizations/{id}": ("full",),
}


class BadParameter(ValueError):
    """A query parameter the API cannot use; ``message`` says which and why."""

    def __init__(self, name: str, message: str, status: int = 400) -> None:
        self.name = name
        self.message = message
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class ListQuery:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    search: str = ""
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    parent_id: str | None = None
    modified_after: datetime | None = None
    minimal: bool = False
    full: bool = False
    postcode: LocatedPostcode | None = None
    proximity: int | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    day: str | None = None
    start_time: time | None = None
    end_time: time | None = None


def parse_query(args: MultiDict, endpoint: str) -> ListQuery:
    """Read ``endpoint``'s parameters from the query string; raises BadParameter."""
    values: dict[str, Any] = {}
    for name in ENDPOINT_PARAMETERS[endpoint]:
        raw = args.get(name)
        if raw is not None:
            values[name] = _convert(name, raw)
    values = _interpret(values)
    return ListQuery(**values)


def _convert(name: str, raw: str) -> Any:
    if "\x00" in raw:  # PostgreSQL text cannot hold NUL: refuse it here, not with a 500
        raise BadParameter(name, f"{name} must not contain control characters.")
    schema = PARAMETERS[name]["schema"]
    kind = schema["type"]
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]{1,12}", raw.strip()):
            raise BadParameter(name, f"{name} must be a whole number.")
        value: Any = int(raw)
    elif kind == "boolean":
        if raw not in ("true", "false"):
            raise BadParameter(name, f"{name} must be true or false.")
        value = raw == "true"
    else:
        value = raw
    error = next(iter(_validator(name).iter_errors(value)), None)
    if error is not None:
        raise BadParameter(name, _describe(name, schema, error.validator))
    return value


def _describe(name: str, schema: dict, failed: str) -> str:
    if failed == "minimum":
        return f"{name} must be {schema['minimum']} or more."
    if failed == "maximum":
        return f"{name} must be {schema['maximum']} or less."
    if failed == "enum":
        return f"{name} must be one of {', '.join(schema['enum'])}."
    if failed == "maxLength":
        return f"{name} must be at most {schema['maxLength']} characters."
    if name in ("start_time", "end_time"):
        return f"{name} must be a time such as 09:30."
    if name == "modified_after":
        return f"{name} must be a date such as 2025-01-31 or a date-time."
    return f"{name} is not valid."


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")

_validators: dict[str, Draft202012Validator] = {}


def _validator(name: str) -> Draft202012Validator:
    if name not in _validators:
        _validators[name] = Draft202012Validator(PARAMETERS[name]["schema"])
    return _validators[name]


def _interpret(values: dict[str, Any]) -> dict[str, Any]:
    """Turn checked strings into dates, times and a located postcode; cross-checks."""
    if "modified_after" in values:
        values["modified_after"] = _timestamp(values["modified_after"])
    for name in ("start_time", "end_time"):
        if name in values:
            values[name] = time.fromisoformat(values[name])
    if "search" in values:
        # Control characters match nothing, and PostgreSQL text cannot hold NUL at all.
        values["search"] = CONTROL_CHARACTERS.sub(" ", values["search"]).strip()
    if values.get("postcode", "").strip():
        values["postcode"] = _locate(values["postcode"])
    else:
        values.pop("postcode", None)
    if values.get("proximity") is not None and "postcode" not in values:
        raise BadParameter("proximity", "proximity needs a postcode to measure from.")
    low, high = values.get("minimum_age"), values.get("maximum_age")
    if low is not None and high is not None and low > high:
        raise BadParameter("minimum_age", "minimum_age must not be more than maximum_age.")
    start, end = values.get("start_time"), values.get("end_time")
    if start is not None and end is not None and start > end:
        raise BadParameter("start_time", "start_time must be before end_time.")
    return values


def _timestamp(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError) as error:
        raise BadParameter(
            "modified_after", "modified_after must be a real date such as 2025-01-31."
        ) from error
    return value


def _locate(text: str) -> LocatedPostcode:
    try:
        return locate_postcode(text)
    except PostcodeLookupUnavailable as error:
        raise BadParameter("postcode", error.message, status=503) from error
    except PostcodeError as error:
        raise BadParameter("postcode", error.message) from error
