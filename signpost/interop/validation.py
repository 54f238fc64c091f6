"""Checking Open Referral service records before anything is written.

Every record is checked against the HSDS JSON Schema and for web addresses that are web
addresses, then against the directory: ids unique in the file, an organisation we have or
are given, taxonomy terms we know or are given, postcodes that are real (and located
offline when the record has no coordinates). Only records passing their own checks count
as giving an organisation or a term, and when records are left out, those that relied on
what only they gave are checked again and left out too, with the reason.
Each problem names the record, the field and the reason, so a publisher can fix it.
Parts of a good record that Signpost cannot keep (a schedule with no days, a virtual
location) are warnings: the record is imported without them.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from signpost.directory.models import (
    Attribute,
    Contact,
    CostOption,
    Language,
    Phone,
    Schedule,
    ServiceArea,
    ServiceAtLocation,
)
from signpost.extensions import db
from signpost.geo.errors import PostcodeError
from signpost.geo.postcode_format import is_outcode, normalise_postcode
from signpost.geo.postcodes import LocatedPostcode, locate_postcode
from signpost.interop.record_schema import validator_for
from signpost.interop.references import (
    Described,
    Stored,
    dropped_reason,
    organization_id,
    references,
    unknown_reason,
)

Entry = tuple[int, dict[str, Any]]  # a record and its index in the file


@dataclass(frozen=True)
class Problem:
    index: int  # position in the file, from 0
    record_id: str | None
    field: str
    reason: str

    def describe(self, unit: str = "record", first_number: int = 1) -> str:
        where = f"{unit} {self.index + first_number}"
        if self.record_id:
            where += f" (id {self.record_id})"
        return f"{where}: {self.field}: {self.reason}"


@dataclass
class Checked:
    """The records worth importing and what was wrong with the others."""

    valid: list[dict[str, Any]]
    problems: list[Problem]
    located: dict[str, LocatedPostcode]  # normalised postcode -> position
    positions: list[int] = field(default_factory=list)  # each valid record's index in the file
    warnings: list[Problem] = field(default_factory=list)  # parts of valid records left out


def _path(parts) -> str:
    return "/".join(str(part) for part in parts) or "(record)"


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _schema_problems(index: int, record_id: str | None, record: Any) -> list[Problem]:
    problems = []
    for error in sorted(validator_for("service").iter_errors(record), key=lambda e: e.path):
        if error.validator == "required" and isinstance(error.instance, dict):
            for name in error.validator_value:
                if name not in error.instance:
                    field = _path([*error.absolute_path, name])
                    problems.append(Problem(index, record_id, field, "is missing"))
            continue
        field = _path(error.absolute_path)
        problems.append(Problem(index, record_id, field, _short(error.message)))
    return problems


# Fields holding a web address someone will be sent to: nothing but http(s) is safe to link.
WEB_ADDRESS_FIELDS = {"url": ("url",), "organization/website": ("organization", "website")}


def is_web_address(text: str) -> bool:
    parts = urllib.parse.urlsplit(text.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _web_address_problems(index: int, record: dict) -> list[Problem]:
    problems = []
    for name, path in WEB_ADDRESS_FIELDS.items():
        value: Any = record
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if value and not is_web_address(value):
            reason = (
                f"{_short(value, 40)!r} is not a web address: give one starting with "
                "https:// (or http://)"
            )
            problems.append(Problem(index, record["id"], name, reason))
    return problems


def check_records(records: list[Any]) -> Checked:
    problems: list[Problem] = []
    candidates = _own_checks(records, problems)
    stored = Stored()
    described = Described.in_records(candidates)
    anywhere = Described.in_records(
        (index, record) for index, record in enumerate(records) if isinstance(record, dict)
    )
    located: dict[str, LocatedPostcode] = {}
    entries = []
    for index, record in candidates:
        found = _directory_problems(index, record, stored, (described, anywhere), located)
        problems.extend(found)
        if not found:
            entries.append((index, record))
    entries = _without_shared_child_ids(entries, problems)
    entries = _without_dangling_references(entries, stored, anywhere, problems)
    problems.sort(key=lambda problem: problem.index)
    return Checked(
        valid=[record for _, record in entries],
        problems=problems,
        located=located,
        positions=[index for index, _ in entries],
        warnings=[warning for entry in entries for warning in _left_out(*entry)],
    )


def _own_checks(records: list[Any], problems: list[Problem]) -> list[Entry]:
    """The records that are sound on their own: schema, web addresses, an id not repeated."""
    candidates = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            problems.append(Problem(index, None, "(record)", "is not a JSON object"))
            continue
        record_id = record.get("id") if isinstance(record.get("id"), str) else None
        found = _schema_problems(index, record_id, record)
        if not found:
            found = _web_address_problems(index, record)
        if record_id is not None and record_id in seen:
            reason = f"is the same id as record {seen[record_id] + 1}"
            found.append(Problem(index, record_id, "id", reason))
        elif record_id is not None:
            seen[record_id] = index
        problems.extend(found)
        if not found:
            candidates.append((index, record))
    return candidates


def _without_dangling_references(
    entries: list[Entry], stored: Stored, anywhere: Described, problems: list[Problem]
) -> list[Entry]:
    """Leave out records needing what only left-out records described, until none do."""
    while True:
        described = Described.in_records(entries)
        kept = []
        for index, record in entries:
            found = [
                Problem(index, record["id"], ref.field, dropped_reason(ref, anywhere))
                for ref in references(record)
                if not (stored.has(ref) or described.has(ref))
            ]
            problems.extend(found)
            if not found:
                kept.append((index, record))
        if len(kept) == len(entries):
            return kept
        entries = kept


def _left_out(index: int, record: dict) -> Iterator[Problem]:
    """Warnings: the parts of a good record the directory has no place for."""
    for number, schedule in enumerate(record.get("schedules") or []):
        if not [day for day in (schedule.get("byday") or "").split(",") if day]:
            reason = (
                "is missing, so this schedule is left out: Signpost keeps weekly opening "
                "days (byday such as MO,WE) only"
            )
            yield Problem(index, record["id"], f"schedules/{number}/byday", reason)
    for number, link in enumerate(record.get("service_at_locations") or []):
        if (link.get("location") or {}).get("location_type") == "virtual":
            field_name = f"service_at_locations/{number}/location/location_type"
            reason = "is virtual, so this location is left out: Signpost keeps buildings only"
            yield Problem(index, record["id"], field_name, reason)


# Rows a service owns, by the record's list name: their ids must be theirs alone.
CHILD_TABLES = {
    "phones": Phone,
    "contacts": Contact,
    "schedules": Schedule,
    "languages": Language,
    "service_areas": ServiceArea,
    "cost_options": CostOption,
    "attributes": Attribute,
    "service_at_locations": ServiceAtLocation,
}


def _without_shared_child_ids(entries: list[Entry], problems: list[Problem]) -> list[Entry]:
    """Leave out records using a phone (schedule, ...) id twice, or another service's."""
    bad: set[int] = set()
    index_of = {record["id"]: index for index, record in entries}
    for name, model in CHILD_TABLES.items():
        owners: dict[str, str] = {}
        for index, record in entries:
            for number, child in enumerate(record.get(name) or []):
                owner = owners.setdefault(child["id"], record["id"])
                if owner != record["id"] or _repeated(record[name], number):
                    bad.add(index)
                    reason = "is used by another record in this file"
                    problems.append(Problem(index, record["id"], f"{name}/{number}/id", reason))
        for child_id, service_id in _stored_owners(model, list(owners)):
            if owners[child_id] != service_id:
                index = index_of[owners[child_id]]
                bad.add(index)
                field_name = f"{name}/*/id = {child_id}"
                reason = "belongs to another service already in the directory"
                problems.append(Problem(index, owners[child_id], field_name, reason))
    return [(index, record) for index, record in entries if index not in bad]


def _repeated(children: list[dict], number: int) -> bool:
    return any(other["id"] == children[number]["id"] for other in children[:number])


def _stored_owners(model, ids: list[str]):
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        yield from db.session.execute(
            select(model.id, model.service_id).where(model.id.in_(chunk))
        ).all()


def _directory_problems(
    index: int,
    record: dict,
    stored: Stored,
    described: tuple[Described, Described],  # by records passing their own checks; by any
    located: dict[str, LocatedPostcode],
) -> list[Problem]:
    record_id = record["id"]
    usable, anywhere = described
    problems = []

    def problem(field: str, reason: str) -> None:
        problems.append(Problem(index, record_id, field, reason))

    if organization_id(record) is None:
        problem("organization_id", "is missing: every service needs its organisation")
    for reference in references(record):
        if stored.has(reference) or usable.has(reference):
            continue
        if anywhere.has(reference):
            problem(reference.field, dropped_reason(reference, anywhere))
        else:
            problem(reference.field, unknown_reason(reference))
    minimum, maximum = record.get("minimum_age"), record.get("maximum_age")
    if minimum is not None and maximum is not None and minimum > maximum:
        problem("minimum_age", "is more than maximum_age")
    for number, link in enumerate(record.get("service_at_locations") or []):
        _location_problems(f"service_at_locations/{number}/location", link, problem, located)
    return problems


def _location_problems(field: str, link: dict, problem, located) -> None:
    location = link.get("location")
    if location is None:
        problem(field, "is missing: give the location inside each service_at_location")
        return
    addresses = [a for a in location.get("addresses") or [] if a["address_type"] != "postal"]
    if location["location_type"] == "virtual":
        return
    if not addresses:
        problem(f"{field}/addresses", "has no physical address with a postcode")
        return
    postcode_field = f"{field}/addresses/0/postal_code"
    try:
        postcode = normalise_postcode(addresses[0]["postal_code"])
    except PostcodeError as error:
        problem(postcode_field, error.message)
        return
    if is_outcode(postcode):
        problem(postcode_field, "is only the first half of a postcode; give the full postcode")
        return
    if "latitude" in location and "longitude" in location:
        return
    if postcode not in located:
        try:
            located[postcode] = locate_postcode(postcode)
        except PostcodeError as error:
            problem(postcode_field, error.message)
