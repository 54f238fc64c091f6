"""Importing Open Referral UK (HSDS 3.0) services: check everything, then write in one go.

Ids are kept, so importing the same data again updates each service in place. Nothing is
written from a source with bad records unless ``skip_invalid`` is set, and the whole
import is one transaction: a failure half-way leaves the directory as it was.

Organisations, taxonomies and terms described inside records are written first, so a
record naming only an id finds them wherever in the file they are described.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from tqdm import tqdm

from signpost.directory.models import (
    DELIVERY_MODES,
    Attribute,
    Contact,
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
from signpost.extensions import db
from signpost.geo.postcode_format import normalise_postcode
from signpost.geo.postcodes import LocatedPostcode
from signpost.interop.references import organization_id
from signpost.interop.sources import ImportRefused
from signpost.interop.validation import Problem, check_records


@dataclass
class ImportReport:
    total: int
    imported: list[str] = field(default_factory=list)  # service ids written
    created: int = 0
    updated: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # parts left out of imported records

    @property
    def refused(self) -> bool:
        return bool(self.problems) and not self.imported


def import_records(
    records: list[Any], *, skip_invalid: bool = False, progress: bool = False
) -> ImportReport:
    """Check ``records``; unless some are bad (and not skipped), write them all in one
    transaction; the search outbox re-indexes exactly the services written."""
    checked = check_records(records)
    report = ImportReport(total=len(records), problems=checked.problems)
    if checked.problems and not skip_invalid:
        return report
    report.warnings = checked.warnings
    parents: dict[str, str] = {}  # new term id -> its parent's id, linked once all exist
    try:
        terms = _write_described(checked.valid, parents)
        for record in tqdm(checked.valid, desc="Importing", unit="service", disable=not progress):
            with db.session.no_autoflush:
                created = _write_service(record, checked.located, terms)
            report.created += created
            report.updated += not created
            report.imported.append(record["id"])
        _link_parent_terms(parents)
        db.session.commit()
    except SQLAlchemyError as error:
        db.session.rollback()
        raise ImportRefused(
            f"The import was stopped and nothing was saved: {error.__class__.__name__}: "
            f"{str(error.orig if hasattr(error, 'orig') else error)[:200]}"
        ) from error
    return report


def _link_parent_terms(parents: dict[str, str]) -> None:
    for term_id, parent_id in parents.items():
        if db.session.get(TaxonomyTerm, parent_id) is not None:
            db.session.get(TaxonomyTerm, term_id).parent_id = parent_id
    db.session.flush()


def _text(record: dict, name: str) -> str | None:
    value = record.get(name)
    return value if value not in (None, "") else None


def _write_described(records: list[dict], parents: dict[str, str]) -> dict[str, TaxonomyTerm]:
    """The first pass: every taxonomy, term and organisation described in ``records``.

    Returns each described term id's term (an existing term with the same code stands in
    for a new id), for the services to link to in the second pass.
    """
    given_terms = [
        (attribute["taxonomy_term_id"], attribute["taxonomy_term"])
        for record in records
        for attribute in record.get("attributes") or []
        if attribute.get("taxonomy_term")
    ]
    for _, given in given_terms:
        _taxonomy(given)
    terms = {term_id: _term(term_id, given, parents) for term_id, given in given_terms}
    for record in records:
        if record.get("organization"):
            _write_organization(record["organization"])
    db.session.flush()
    return terms


def _write_service(
    record: dict, located: dict[str, LocatedPostcode], terms: dict[str, TaxonomyTerm]
) -> bool:
    service = db.session.get(Service, record["id"])
    created = service is None
    if created:
        service = Service(id=record["id"])
        db.session.add(service)
    service.organization = db.session.get(Organization, organization_id(record))
    _set_service_fields(service, record)
    for collection in (
        service.schedules,
        service.phones,
        service.contacts,
        service.languages,
        service.service_areas,
        service.cost_options,
        service.attributes,
        service.service_at_locations,
    ):
        collection.clear()
    db.session.flush()  # delete the old children before their ids are reused
    _add_children(service, record, located, terms)
    db.session.flush()
    return created


def _write_organization(given: dict) -> None:
    organization = db.session.get(Organization, given["id"])
    if organization is None:
        organization = Organization(id=given["id"])
        db.session.add(organization)
    organization.name = given["name"]
    organization.description = given.get("description") or ""
    organization.email = _text(given, "email")
    organization.website = _text(given, "website")
    phones = given.get("phones") or []
    organization.phone = phones[0]["number"] if phones else None
    db.session.flush()  # a later record describing it again finds this one


def _set_service_fields(service: Service, record: dict) -> None:
    extension = record.get("x_signpost") or {}
    service.name = record["name"]
    service.description = record.get("description") or ""
    service.status = record["status"]
    for name in ("url", "email", "application_process", "fees_description"):
        setattr(service, name, _text(record, name))
    service.eligibility_description = _text(record, "eligibility_description")
    service.minimum_age = record.get("minimum_age")
    service.maximum_age = record.get("maximum_age")
    service.assured_date = (
        date.fromisoformat(record["assured_date"]) if record.get("assured_date") else None
    )
    service.last_modified = _timestamp(record.get("last_modified"))
    costs = record.get("cost_options") or []
    service.is_free = extension.get("is_free", not costs or all(not c.get("amount") for c in costs))
    service.exclusions = extension.get("exclusions")
    service.access_route = extension.get("access_route", "either")
    service.capacity_status = extension.get("capacity_status", "accepting")
    service.waiting_list_weeks = extension.get("waiting_list_weeks")
    modes = extension.get("delivery_modes")
    if modes is None:
        modes = ["in_person"] if record.get("service_at_locations") else ["telephone"]
    for mode in DELIVERY_MODES:
        setattr(service, f"offers_{mode}", mode in modes)


def _timestamp(text: str | None) -> datetime:
    """The record's last_modified in UTC; now, when it is missing or unreadable."""
    try:
        value = datetime.fromisoformat((text or "").replace("Z", "+00:00"))
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):
        return datetime.now(UTC).replace(tzinfo=None)
    return value


def _time(text: str | None) -> time | None:
    return time.fromisoformat(text) if text else None


def _add_children(
    service: Service,
    record: dict,
    located: dict[str, LocatedPostcode],
    terms: dict[str, TaxonomyTerm],
) -> None:
    links = {}
    for item in record.get("service_at_locations") or []:
        location = _location(item["location"], located)
        if location is None:
            continue
        link = ServiceAtLocation(id=item["id"], location=location)
        service.service_at_locations.append(link)
        links[item["id"]] = link
    for item in record.get("schedules") or []:
        _add_schedules(service, item, links)
    for item in record.get("phones") or []:
        service.phones.append(
            Phone(id=item["id"], number=item["number"], description=_text(item, "description"))
        )
    for item in record.get("contacts") or []:
        phones = item.get("phones") or []
        service.contacts.append(
            Contact(
                id=item["id"],
                name=_text(item, "name"),
                title=_text(item, "title"),
                email=_text(item, "email"),
                phone=phones[0]["number"] if phones else None,
            )
        )
    for item in record.get("languages") or []:
        name = item.get("name") or item.get("code") or "Unknown"
        service.languages.append(Language(id=item["id"], name=name, code=_text(item, "code")))
    for item in record.get("service_areas") or []:
        kind = (item.get("x_signpost") or {}).get("area_kind", "local")
        service.service_areas.append(
            ServiceArea(
                id=item["id"],
                name=item.get("name") or "Area",
                description=_text(item, "description"),
                extent_type=kind,
            )
        )
    for item in record.get("cost_options") or []:
        service.cost_options.append(
            CostOption(
                id=item["id"],
                option=_text(item, "option"),
                amount=item.get("amount"),
                currency=item.get("currency") or "GBP",
                amount_description=_text(item, "amount_description"),
            )
        )
    for item in record.get("attributes") or []:
        term_id = item["taxonomy_term_id"]
        term = terms.get(term_id) or db.session.get(TaxonomyTerm, term_id)
        service.attributes.append(Attribute(id=item["id"], taxonomy_term=term))


def _add_schedules(service: Service, item: dict, links: dict) -> None:
    days = [day for day in (item.get("byday") or "").split(",") if day]
    for number, day in enumerate(days):
        schedule_id = item["id"] if number == 0 else f"{item['id'][:33]}-{day}"
        service.schedules.append(
            Schedule(
                id=schedule_id,
                byday=day,
                opens_at=_time(item.get("opens_at")),
                closes_at=_time(item.get("closes_at")),
                description=_text(item, "description"),
                service_at_location_id=item.get("service_at_location_id")
                if item.get("service_at_location_id") in links
                else None,
            )
        )


def _location(item: dict, located: dict[str, LocatedPostcode]) -> Location | None:
    addresses = [a for a in item.get("addresses") or [] if a["address_type"] != "postal"]
    if item["location_type"] == "virtual" or not addresses:
        return None
    address = addresses[0]
    location = db.session.get(Location, item["id"])
    if location is None:
        location = Location(id=item["id"])
        db.session.add(location)
    postcode = normalise_postcode(address["postal_code"])
    location.name = _text(item, "name")
    location.description = _text(item, "description")
    location.address_1 = address.get("address_1") or ""
    location.address_2 = _text(address, "address_2")
    location.city = address.get("city") or ""
    location.postal_code = postcode
    if "latitude" in item and "longitude" in item:
        location.latitude, location.longitude = item["latitude"], item["longitude"]
    else:
        location.latitude = located[postcode].latitude
        location.longitude = located[postcode].longitude
    extension = item.get("x_signpost") or {}
    accessibility = item.get("accessibility") or []
    location.accessibility_description = (
        accessibility[0].get("description") if accessibility else None
    )
    location.wheelchair_accessible = extension.get(
        "wheelchair_accessible",
        any("wheelchair" in (a.get("description") or "").lower() for a in accessibility),
    )
    return location


def _term(term_id: str, given: dict | None, parents: dict[str, str]) -> TaxonomyTerm:
    term = db.session.get(TaxonomyTerm, term_id)
    if term is not None or given is None:
        return term
    code = given.get("code") or _slug(given["name"])
    existing = db.session.query(TaxonomyTerm).filter_by(code=code).one_or_none()
    if existing is not None:
        return existing
    term = TaxonomyTerm(
        id=term_id,
        code=code,
        name=given["name"],
        description=given.get("description") or "",
        taxonomy=_taxonomy(given),
    )
    if given.get("parent_id"):
        parents[term_id] = given["parent_id"]
    db.session.add(term)
    db.session.flush()
    return term


def _taxonomy(term: dict) -> Taxonomy | None:
    detail = term.get("taxonomy_detail")
    taxonomy_id = term.get("taxonomy_id") or (detail or {}).get("id")
    if taxonomy_id is None:
        return None
    taxonomy = db.session.get(Taxonomy, taxonomy_id)
    if taxonomy is None and detail:
        taxonomy = Taxonomy(
            id=taxonomy_id,
            name=detail["name"],
            description=detail.get("description") or "",
            uri=_text(detail, "uri"),
            version=_text(detail, "version"),
        )
        db.session.add(taxonomy)
        db.session.flush()  # another term of the same taxonomy finds this one
    return taxonomy


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:100] or "term"
