"""Checking Open Referral service records before anything is written.

Every record is checked against the HSDS JSON Schema, then against the directory: ids
unique in the file, an organisation we have or are given, taxonomy terms we know or are
given, postcodes that are real (and located offline when the record has no coordinates).
Each problem names the record, the field and the reason, so a publisher can fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from signpost.directory.models import (
    Attribute,
    Contact,
    CostOption,
    Language,
    Organization,
    Phone,
    Schedule,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from signpost.extensions import db
from signpost.geo.errors import PostcodeError
from signpost.geo.postcode_format import is_outcode, normalise_postcode
from signpost.geo.postcodes import LocatedPostcode, locate_postcode
from signpost.interop.record_schema import validator_for


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


class _Directory:
    """What the database already holds, looked up once per import."""

    def __init__(self) -> None:
        self.terms = set(db.session.scalars(select(TaxonomyTerm.id)))
        self.taxonomies = set(db.session.scalars(select(Taxonomy.id)))
        self.organizations = set(db.session.scalars(select(Organization.id)))


def check_records(records: list[Any]) -> Checked:
    directory = _Directory()
    checked = Checked(valid=[], problems=[], located={})
    _note_given(records, directory)
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        record_id = record.get("id") if isinstance(record, dict) else None
        record_id = record_id if isinstance(record_id, str) else None
        if not isinstance(record, dict):
            checked.problems.append(Problem(index, None, "(record)", "is not a JSON object"))
            continue
        problems = _schema_problems(index, record_id, record)
        if not problems:
            problems = _directory_problems(index, record, directory, checked.located)
        if record_id is not None and record_id in seen:
            reason = f"is the same id as record {seen[record_id] + 1}"
            problems.append(Problem(index, record_id, "id", reason))
        elif record_id is not None:
            seen[record_id] = index
        checked.problems.extend(problems)
        if not problems:
            checked.valid.append(record)
            checked.positions.append(index)
    _child_id_problems(checked)
    return checked


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


def _child_id_problems(checked: Checked) -> None:
    """A phone (schedule, ...) id used twice in the file, or by another service already."""
    index_of = {id(record): index for index, record in enumerate(checked.valid)}
    bad: set[int] = set()
    for name, model in CHILD_TABLES.items():
        owners: dict[str, str] = {}
        for record in checked.valid:
            for number, child in enumerate(record.get(name) or []):
                owner = owners.setdefault(child["id"], record["id"])
                if owner != record["id"] or _repeated(record[name], number):
                    bad.add(id(record))
                    checked.problems.append(
                        Problem(
                            _position(checked, record, index_of),
                            record["id"],
                            f"{name}/{number}/id",
                            "is used by another record in this file",
                        )
                    )
        for child_id, service_id in _stored_owners(model, list(owners)):
            if owners[child_id] != service_id:
                record = next(r for r in checked.valid if r["id"] == owners[child_id])
                bad.add(id(record))
                field = f"{name}/*/id = {child_id}"
                reason = "belongs to another service already in the directory"
                checked.problems.append(
                    Problem(_position(checked, record, index_of), record["id"], field, reason)
                )
    checked.valid = [record for record in checked.valid if id(record) not in bad]


def _repeated(children: list[dict], number: int) -> bool:
    return any(other["id"] == children[number]["id"] for other in children[:number])


def _position(checked: Checked, record: dict, index_of: dict[int, int]) -> int:
    return checked.positions[index_of[id(record)]]


def _stored_owners(model, ids: list[str]):
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        yield from db.session.execute(
            select(model.id, model.service_id).where(model.id.in_(chunk))
        ).all()


def _note_given(records: list[Any], directory: _Directory) -> None:
    """Terms, taxonomies and organisations described inside the file count as known."""
    for record in records:
        if not isinstance(record, dict):
            continue
        organization = record.get("organization")
        if isinstance(organization, dict) and isinstance(organization.get("id"), str):
            directory.organizations.add(organization["id"])
        for attribute in record.get("attributes") or []:
            term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
            if isinstance(term, dict) and isinstance(term.get("id"), str):
                directory.terms.add(term["id"])
                detail = term.get("taxonomy_detail")
                if isinstance(detail, dict) and isinstance(detail.get("id"), str):
                    directory.taxonomies.add(detail["id"])


def _directory_problems(
    index: int, record: dict, directory: _Directory, located: dict[str, LocatedPostcode]
) -> list[Problem]:
    record_id = record["id"]
    problems = []

    def problem(field: str, reason: str) -> None:
        problems.append(Problem(index, record_id, field, reason))

    organization_id = (record.get("organization") or {}).get("id") or record.get("organization_id")
    if organization_id is None:
        problem("organization_id", "is missing: every service needs its organisation")
    elif organization_id not in directory.organizations:
        problem("organization_id", "is an organisation this directory does not have")
    minimum, maximum = record.get("minimum_age"), record.get("maximum_age")
    if minimum is not None and maximum is not None and minimum > maximum:
        problem("minimum_age", "is more than maximum_age")
    for number, attribute in enumerate(record.get("attributes") or []):
        field = f"attributes/{number}/taxonomy_term_id"
        if attribute["taxonomy_term_id"] not in directory.terms:
            unknown = _short(attribute["taxonomy_term_id"], 40)
            problem(field, f"{unknown!r} is a taxonomy term this directory does not have")
        term = attribute.get("taxonomy_term") or {}
        taxonomy_id = term.get("taxonomy_id")
        if taxonomy_id and taxonomy_id not in directory.taxonomies:
            problem(f"attributes/{number}/taxonomy_term/taxonomy_id", "is an unknown taxonomy")
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
