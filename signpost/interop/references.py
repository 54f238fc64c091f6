"""What a record refers to (its organisation, taxonomy terms, taxonomies) and what it
describes in full, nested inside itself, so that other records may refer to it too.

A reference is good when the directory already holds the thing, or when a record that is
being imported describes it. Only records that pass their own checks count as describing
anything: a term described only inside a record that is skipped is not there to use.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from signpost.directory.models import Organization, Taxonomy, TaxonomyTerm
from signpost.extensions import db

KINDS = ("organization", "term", "taxonomy")
UNKNOWN = {
    "organization": "is an organisation this directory does not have",
    "term": "is a taxonomy term this directory does not have",
    "taxonomy": "is an unknown taxonomy",
}


@dataclass(frozen=True)
class Reference:
    kind: str  # one of KINDS
    field: str  # where in the record, as a problem names it
    id: str


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def organization_id(record: dict) -> str | None:
    given = record.get("organization")
    if isinstance(given, dict) and _is_id(given.get("id")):
        return given["id"]
    return record.get("organization_id")


def references(record: dict) -> Iterator[Reference]:
    """The organisation, terms and taxonomies a schema-valid record needs to exist."""
    organization = organization_id(record)
    if organization is not None:
        yield Reference("organization", "organization_id", organization)
    for number, attribute in enumerate(record.get("attributes") or []):
        yield Reference(
            "term", f"attributes/{number}/taxonomy_term_id", attribute["taxonomy_term_id"]
        )
        taxonomy_id = (attribute.get("taxonomy_term") or {}).get("taxonomy_id")
        if taxonomy_id:
            field = f"attributes/{number}/taxonomy_term/taxonomy_id"
            yield Reference("taxonomy", field, taxonomy_id)


def descriptions(record: dict) -> Iterator[tuple[str, str]]:
    """(kind, id) of each organisation, term and taxonomy the record describes in full.

    Safe on records that failed the schema too, so a problem can say where a thing was.
    """
    given = record.get("organization")
    if isinstance(given, dict) and _is_id(given.get("id")):
        yield "organization", given["id"]
    attributes = record.get("attributes")
    for attribute in attributes if isinstance(attributes, list) else []:
        if not isinstance(attribute, dict) or not _is_id(attribute.get("taxonomy_term_id")):
            continue
        term = attribute.get("taxonomy_term")
        if isinstance(term, dict):
            yield "term", attribute["taxonomy_term_id"]
            detail = term.get("taxonomy_detail")
            if isinstance(detail, dict) and _is_id(detail.get("id")):
                yield "taxonomy", detail["id"]


class Stored:
    """What the database already holds, looked up once per import."""

    def __init__(self) -> None:
        self.ids = {
            "organization": set(db.session.scalars(select(Organization.id))),
            "term": set(db.session.scalars(select(TaxonomyTerm.id))),
            "taxonomy": set(db.session.scalars(select(Taxonomy.id))),
        }

    def has(self, reference: Reference) -> bool:
        return reference.id in self.ids[reference.kind]


@dataclass
class Described:
    """Which records (by index in the file) describe each organisation, term and taxonomy."""

    by: dict[str, dict[str, list[int]]] = field(default_factory=lambda: {k: {} for k in KINDS})

    @classmethod
    def in_records(cls, entries: Iterable[tuple[int, dict]]) -> Described:
        described = cls()
        for index, record in entries:
            for kind, item_id in descriptions(record):
                described.by[kind].setdefault(item_id, []).append(index)
        return described

    def has(self, reference: Reference) -> bool:
        return reference.id in self.by[reference.kind]

    def describers(self, reference: Reference) -> list[int]:
        return self.by[reference.kind].get(reference.id, [])


def unknown_reason(reference: Reference) -> str:
    if reference.kind == "term":
        unknown = reference.id if len(reference.id) <= 40 else reference.id[:39] + "…"
        return f"{unknown!r} {UNKNOWN['term']}"
    return UNKNOWN[reference.kind]


def dropped_reason(reference: Reference, described: Described) -> str:
    """Why a reference fails once the only records describing it are left out."""
    numbers = sorted(set(described.describers(reference)))
    where = ", ".join(str(index + 1) for index in numbers)
    if len(numbers) == 1:
        where = f"record {where}, which has problems and is not imported"
    else:
        where = f"records {where}, which have problems and are not imported"
    what = {"organization": "an organisation", "term": "a taxonomy term", "taxonomy": "a taxonomy"}
    return f"{reference.id!r} is {what[reference.kind]} described only in {where}"
