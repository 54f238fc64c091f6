"""A listing as plain JSON, and back: what moderation stores, history keeps and diffs compare.

A snapshot holds every field an editor can change (the service row, its categories,
languages, phones, buildings, opening times and service areas). ``apply_snapshot`` writes
one onto a ``Service`` (the caller commits); ``describe`` turns each field into the words
people read, and ``compare`` lists the fields whose words differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlalchemy import select

from signpost.directory import presenters
from signpost.directory.models import (
    DELIVERY_MODES,
    Attribute,
    Contact,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
    utcnow,
)
from signpost.extensions import db
from signpost.listings.languages import EDITOR_LANGUAGES, language_name, language_order

Snapshot = dict[str, Any]

SERVICE_COLUMNS = (
    "name", "description", "url", "email", "status", "is_free", "fees_description",
    "minimum_age", "maximum_age", "eligibility_description", "exclusions", "access_route",
    "application_process", "capacity_status", "waiting_list_weeks",
)  # fmt: skip
LOCATION_COLUMNS = (
    "name", "address_1", "address_2", "city", "postal_code", "latitude", "longitude",
    "wheelchair_accessible", "accessibility_description",
)  # fmt: skip

FIELD_LABELS = {
    "name": "Name",
    "description": "Description",
    "url": "Website",
    "email": "Email",
    "status": "Status",
    "is_free": "Free",
    "fees_description": "Fees",
    "minimum_age": "Minimum age",
    "maximum_age": "Maximum age",
    "eligibility_description": "Eligibility",
    "exclusions": "What we cannot help with",
    "access_route": "How to access",
    "application_process": "Application process",
    "delivery_modes": "How it is offered",
    "capacity_status": "Capacity",
    "waiting_list_weeks": "Waiting list (weeks)",
    "categories": "Categories",
    "languages": "Languages",
    "phones": "Phone numbers",
    "contacts": "Named contacts",
    "locations": "Addresses",
    "opening_times": "Opening times",
    "service_areas": "Area covered",
}
STATUS_NAMES = {
    "active": "Published",
    "inactive": "Inactive",
    "defunct": "Retired",
    "temporarily closed": "Paused (temporarily closed)",
}


def snapshot_of(service: Service) -> Snapshot:
    """The listing as published now."""
    snapshot: Snapshot = {column: getattr(service, column) for column in SERVICE_COLUMNS}
    snapshot["delivery_modes"] = service.delivery_modes
    snapshot["categories"] = sorted(a.taxonomy_term.code for a in service.attributes)
    pairs = sorted(((x.code, x.name) for x in service.languages), key=language_order)
    snapshot["languages"] = [{"code": code, "name": name} for code, name in pairs]
    snapshot["phones"] = [
        {"number": p.number, "description": p.description} for p in service.phones
    ]
    snapshot["contacts"] = [
        {"name": c.name, "title": c.title, "email": c.email, "phone": c.phone}
        for c in service.contacts
    ]
    snapshot["locations"] = [_location_data(link.location) for link in service.service_at_locations]
    snapshot["opening_times"] = [_opening_data(entry) for entry in _ordered(service.schedules)]
    snapshot["service_areas"] = [
        {"name": area.name, "extent_type": area.extent_type} for area in service.service_areas
    ]
    return snapshot


def _location_data(location: Location) -> dict:
    return {"id": location.id, **{column: getattr(location, column) for column in LOCATION_COLUMNS}}


def _opening_data(entry: Schedule) -> dict:
    return {
        "byday": entry.byday,
        "opens_at": entry.opens_at.strftime("%H:%M") if entry.opens_at else None,
        "closes_at": entry.closes_at.strftime("%H:%M") if entry.closes_at else None,
        "description": entry.description,
    }


def _ordered(schedules: list[Schedule]) -> list[Schedule]:
    order = presenters.DAY_ORDER
    return sorted(schedules, key=lambda s: (order.index(s.byday), s.opens_at or time()))


def apply_snapshot(service: Service, snapshot: Snapshot) -> None:
    """Make ``service`` say what ``snapshot`` says.

    Sets ``last_modified`` (the row changed), never ``assured_date`` (nobody confirmed it).
    """
    for column in SERVICE_COLUMNS:
        setattr(service, column, snapshot.get(column))
    for mode in DELIVERY_MODES:
        setattr(service, f"offers_{mode}", mode in snapshot.get("delivery_modes", []))
    _apply_categories(service, snapshot.get("categories", []))
    service.languages = [
        Language(code=item["code"], name=item.get("name") or language_name(item["code"]))
        for item in snapshot.get("languages", [])
    ]
    service.phones = [Phone(**item) for item in snapshot.get("phones", [])]
    if "contacts" in snapshot:  # versions saved before contacts were editable keep theirs
        service.contacts = [Contact(**item) for item in snapshot["contacts"]]
    # Opening times first: an old one may point at a building about to go.
    service.schedules = [_schedule(item) for item in snapshot.get("opening_times", [])]
    db.session.flush()
    _apply_locations(service, snapshot.get("locations", []))
    service.service_areas = [ServiceArea(**item) for item in snapshot.get("service_areas", [])]
    service.last_modified = utcnow()


def _apply_categories(service: Service, codes: list[str]) -> None:
    terms = db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.code.in_(codes)))
    by_code = {term.code: term for term in terms}
    kept = {a.taxonomy_term.code: a for a in service.attributes if a.taxonomy_term.code in codes}
    service.attributes = [
        kept.get(code) or Attribute(taxonomy_term=by_code[code])
        for code in codes
        if code in by_code
    ]


def _apply_locations(service: Service, items: list[dict]) -> None:
    """Update this service's own buildings in place; never one another service shares."""
    current = {link.location.id: link for link in service.service_at_locations}
    links = []
    for item in items:
        link = current.pop(item.get("id") or "", None)
        if link is None or len(link.location.service_at_locations) > 1:
            link = ServiceAtLocation(location=Location())
        for column in LOCATION_COLUMNS:
            setattr(link.location, column, item.get(column))
        links.append(link)
    for link in current.values():
        if len(link.location.service_at_locations) == 1:
            db.session.delete(link.location)
    service.service_at_locations = links


def _schedule(item: dict) -> Schedule:
    return Schedule(
        byday=item["byday"],
        opens_at=time.fromisoformat(item["opens_at"]) if item.get("opens_at") else None,
        closes_at=time.fromisoformat(item["closes_at"]) if item.get("closes_at") else None,
        description=item.get("description"),
    )


# --- Words ---------------------------------------------------------------------------


def describe(snapshot: Snapshot) -> dict[str, str]:
    """Each field of a listing in words, as an administrator or editor reads it."""
    words = {key: _plain(snapshot.get(key)) for key in SERVICE_COLUMNS}
    words["status"] = STATUS_NAMES.get(snapshot.get("status"), snapshot.get("status") or "")
    words["is_free"] = "Yes" if snapshot.get("is_free") else "No"
    words["access_route"] = presenters.ACCESS_LABELS.get(snapshot.get("access_route"), "")
    capacity = presenters.CAPACITY_LABELS.get(snapshot.get("capacity_status"), ("", ""))[0]
    words["capacity_status"] = capacity
    words["delivery_modes"] = ", ".join(
        presenters.MODE_NAMES[f"offers_{m}"] for m in snapshot.get("delivery_modes", [])
    )
    words["categories"] = ", ".join(_term_names(snapshot.get("categories", [])))
    words["languages"] = ", ".join(
        EDITOR_LANGUAGES.get(item["code"], item["name"]) for item in snapshot.get("languages", [])
    )
    words["phones"] = "; ".join(
        p["number"] + (f" ({p['description']})" if p.get("description") else "")
        for p in snapshot.get("phones", [])
    )
    words["contacts"] = "; ".join(
        ", ".join(filter(None, (c.get("name"), c.get("title"), c.get("email"), c.get("phone"))))
        for c in snapshot.get("contacts", [])
    )
    words["locations"] = "; ".join(_address(item) for item in snapshot.get("locations", []))
    words["opening_times"] = "; ".join(_opening_lines(snapshot.get("opening_times", [])))
    words["service_areas"] = "; ".join(
        f"{a['name']} ({a['extent_type']})" for a in snapshot.get("service_areas", [])
    )
    return words


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def _term_names(codes: list[str]) -> list[str]:
    if not codes:
        return []
    terms = db.session.execute(
        select(TaxonomyTerm.code, TaxonomyTerm.name).where(TaxonomyTerm.code.in_(codes))
    )
    names = dict(terms.all())
    return [names.get(code, code) for code in codes]


def _address(item: dict) -> str:
    parts = [item.get("name"), item.get("address_1"), item.get("address_2"), item.get("city")]
    text = ", ".join(part for part in parts if part) + f" {item.get('postal_code') or ''}"
    access = (
        "wheelchair accessible"
        if item.get("wheelchair_accessible")
        else "no step-free access known"
    )
    note = f". {item['accessibility_description']}" if item.get("accessibility_description") else ""
    return f"{text.strip()} ({access}{note})"


def _opening_lines(items: list[dict]) -> list[str]:
    lines = presenters.opening_times([_schedule(item) for item in items])
    notes = [
        f"{presenters.DAY_NAMES[i['byday']]}: {i['description']}"
        for i in items
        if i.get("description")
    ]
    return lines + notes


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    before: str
    after: str


def compare(before: Snapshot | None, after: Snapshot) -> list[FieldChange]:
    """The fields whose words differ, in form order; every field when ``before`` is None."""
    old = describe(before) if before is not None else dict.fromkeys(FIELD_LABELS, "")
    new = describe(after)
    return [
        FieldChange(key, label, old[key], new[key])
        for key, label in FIELD_LABELS.items()
        if old[key] != new[key]
    ]


def merge(base: Snapshot, theirs: Snapshot, mine: Snapshot) -> Snapshot:
    """Mine, except fields only they changed since ``base``, which take their new value."""
    before, typed = describe(base), describe(mine)
    merged = dict(mine)
    for key in FIELD_LABELS:
        if typed[key] != before[key]:
            continue
        if key in theirs:
            merged[key] = theirs[key]
        else:  # a version kept before the field existed: leave the field as it is
            merged.pop(key, None)
    return merged


def changed_fields(before: Snapshot | None, after: Snapshot) -> list[str]:
    return [change.key for change in compare(before, after)]
