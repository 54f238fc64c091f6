"""Load the sample directory in seeds/ (Newham and West Cornwall) into the database.

Seeding is idempotent: every record has a stable id in the data, and a record already in
the database is left exactly as it is (an administrator may have edited it since), so
running it twice adds and changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signpost.config import PROJECT_ROOT
from signpost.directory.models import (
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from signpost.geo.codepoint import open_table

SEEDS_DIR = PROJECT_ROOT / "seeds"
NEEDS_TAXONOMY_ID = "5b0f2c0e-1d7b-4a53-9a43-3c1f1d3c0001"
LANGUAGE_NAMES = {
    "en": "English", "bn": "Bengali", "ur": "Urdu", "pl": "Polish", "lt": "Lithuanian",
    "so": "Somali", "ro": "Romanian", "pa": "Punjabi", "ta": "Tamil", "kw": "Cornish",
    "pt": "Portuguese",
}  # fmt: skip


@dataclass
class SeedReport:
    categories_added: int = 0
    services_added: int = 0
    services_present: int = 0


def seed_directory(
    session: Session, seeds_dir: Path = SEEDS_DIR, postcode_db: str = ""
) -> SeedReport:
    """Add every seed category and service not yet in the database; commit once."""
    report = SeedReport()
    terms = _seed_categories(session, json.loads((seeds_dir / "needs.json").read_text()), report)
    table = open_table(postcode_db) if postcode_db else None
    existing = set(session.scalars(select(Service.id)))
    organizations = {o.id: o for o in session.scalars(select(Organization))}
    for record in json.loads((seeds_dir / "services.json").read_text()):
        if record["id"] in existing:
            report.services_present += 1
            continue
        session.add(_service(record, terms, organizations, table))
        report.services_added += 1
    session.commit()
    return report


def seed_directory_if_empty(session: Session, postcode_db: str = "") -> bool:
    """Seed only a directory with no services at all (the first run of a new install)."""
    if session.scalar(select(func.count()).select_from(Service)):
        return False
    seed_directory(session, postcode_db=postcode_db)
    return True


def _seed_categories(session: Session, needs: list[dict], report: SeedReport) -> dict:
    taxonomy = session.get(Taxonomy, NEEDS_TAXONOMY_ID)
    if taxonomy is None:
        taxonomy = Taxonomy(
            id=NEEDS_TAXONOMY_ID,
            name="Signpost needs",
            description="The needs social-prescribing link workers meet most often.",
        )
        session.add(taxonomy)
    terms = {term.code: term for term in session.scalars(select(TaxonomyTerm))}
    for need in needs:
        if need["code"] in terms:
            continue
        term = TaxonomyTerm(code=need["code"], name=need["name"], description=need["description"])
        session.add(term)
        term.taxonomy = taxonomy
        if "parent" in need:
            session.flush()
            term.parent_id = terms[need["parent"]].id
        terms[need["code"]] = term
        report.categories_added += 1
    session.flush()
    return terms


def _service(record: dict, terms: dict, organizations: dict, table) -> Service:
    organization = organizations.get(record["organization"]["id"])
    if organization is None:
        organization = Organization(**record["organization"], description="")
        organizations[organization.id] = organization
    modes = set(record["delivery_modes"])
    service = Service(
        id=record["id"],
        organization=organization,
        name=record["name"],
        description=record["description"],
        url=record["url"],
        email=record["email"],
        is_free=record["is_free"],
        fees_description=record["fees_description"],
        minimum_age=record["minimum_age"],
        maximum_age=record["maximum_age"],
        eligibility_description=record["eligibility_description"],
        exclusions=record["exclusions"],
        access_route=record["access_route"],
        offers_in_person="in_person" in modes,
        offers_online="online" in modes,
        offers_telephone="telephone" in modes,
        offers_home_visit="home_visit" in modes,
        capacity_status=record["capacity_status"],
        waiting_list_weeks=record["waiting_list_weeks"],
        assured_date=date.fromisoformat(record["assured_date"]),
    )
    service.attributes = [Attribute(taxonomy_term=terms[code]) for code in record["categories"]]
    service.languages = [
        Language(code=c, name=LANGUAGE_NAMES.get(c, c)) for c in record["languages"]
    ]
    if record["phone"]:
        service.phones = [Phone(number=record["phone"], description="Main number")]
    if not record["is_free"]:
        service.cost_options = [CostOption(option=record["fees_description"])]
    service.schedules = [
        Schedule(
            byday=entry["byday"],
            opens_at=time.fromisoformat(entry["opens_at"]),
            closes_at=time.fromisoformat(entry["closes_at"]),
        )
        for entry in record["schedules"]
    ]
    if record["location"]:
        service.service_at_locations = [ServiceAtLocation(location=_location(record, table))]
    if record.get("service_area"):
        service.service_areas = [ServiceArea(**record["service_area"])]
    return service


def _location(record: dict, table) -> Location:
    data = dict(record["location"])
    position = table.locate(data["postal_code"]) if table is not None else None
    latitude, longitude = position if position else (None, None)
    return Location(**data, latitude=latitude, longitude=longitude)
