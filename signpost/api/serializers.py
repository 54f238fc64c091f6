"""Directory rows as HSDS 3.0 (UK profile) dictionaries.

Optional fields without a value are left out rather than sent as null. Signpost's own
fields, which the standard has no place for (capacity, delivery modes, how to access),
travel in an ``x_signpost`` object so that an export imports back unchanged.
Entities we keep flattened (one address per location, one phone per contact or
organisation) get stable ids derived from their parent's id.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from typing import Any

from signpost.directory.models import (
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

DERIVED_ID_NAMESPACE = uuid.UUID("6f1d3c52-8a0e-4f7b-9a49-3b0d6c2e51a7")


def derived_id(parent_id: str, kind: str) -> str:
    """A stable id for an entity we store inside its parent (an address, a phone)."""
    return str(uuid.uuid5(DERIVED_ID_NAMESPACE, f"{parent_id}/{kind}"))


def _present(**fields: Any) -> dict[str, Any]:
    """Drop empty optional fields: HSDS says omit, not null."""
    return {key: value for key, value in fields.items() if value not in (None, "", [], {})}


def _time(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC, microsecond=0).isoformat().replace("+00:00", "Z")


def taxonomy_dict(taxonomy: Taxonomy) -> dict[str, Any]:
    return {
        "id": taxonomy.id,
        "name": taxonomy.name,
        "description": taxonomy.description or "",
        **_present(uri=taxonomy.uri, version=taxonomy.version),
    }


def taxonomy_term_dict(term: TaxonomyTerm, *, with_taxonomy: bool = False) -> dict[str, Any]:
    data = {
        "id": term.id,
        "name": term.name,
        "description": term.description or "",
        **_present(code=term.code, parent_id=term.parent_id, taxonomy_id=term.taxonomy_id),
    }
    if with_taxonomy and term.taxonomy is not None:
        data["taxonomy_detail"] = taxonomy_dict(term.taxonomy)
    return data


def attribute_dict(attribute: Attribute) -> dict[str, Any]:
    return {
        "id": attribute.id,
        "link_id": attribute.service_id,
        "link_type": "service",
        "link_entity": "service",
        "taxonomy_term_id": attribute.taxonomy_term_id,
        "taxonomy_term": taxonomy_term_dict(attribute.taxonomy_term, with_taxonomy=True),
    }


def _flattened_phones(number: str | None, parent_id: str, parent_key: str) -> list[dict]:
    """The one phone number we keep on a parent row, as the HSDS ``phones`` list."""
    if not number:
        return []
    return [{"id": derived_id(parent_id, "phone"), parent_key: parent_id, "number": number}]


def organization_dict(organization: Organization) -> dict[str, Any]:
    phones = _flattened_phones(organization.phone, organization.id, "organization_id")
    return {
        "id": organization.id,
        "name": organization.name,
        "description": organization.description or "",
        **_present(email=organization.email, website=organization.website, phones=phones),
    }


def phone_dict(phone: Phone) -> dict[str, Any]:
    return {
        "id": phone.id,
        "service_id": phone.service_id,
        "number": phone.number,
        **_present(description=phone.description),
    }


def contact_dict(contact: Contact) -> dict[str, Any]:
    phones = _flattened_phones(contact.phone, contact.id, "contact_id")
    return {
        "id": contact.id,
        "service_id": contact.service_id,
        **_present(name=contact.name, title=contact.title, email=contact.email, phones=phones),
    }


def schedule_dict(schedule: Schedule) -> dict[str, Any]:
    return {
        "id": schedule.id,
        "service_id": schedule.service_id,
        "freq": "WEEKLY",
        "byday": schedule.byday,
        **_present(
            service_at_location_id=schedule.service_at_location_id,
            opens_at=_time(schedule.opens_at),
            closes_at=_time(schedule.closes_at),
            description=schedule.description,
        ),
    }


def language_dict(language: Language) -> dict[str, Any]:
    return {
        "id": language.id,
        "service_id": language.service_id,
        "name": language.name,
        **_present(code=language.code),
    }


def service_area_dict(area: ServiceArea) -> dict[str, Any]:
    return {
        "id": area.id,
        "service_id": area.service_id,
        "name": area.name,
        **_present(description=area.description),
        "x_signpost": {"area_kind": area.extent_type},
    }


def cost_option_dict(cost: CostOption) -> dict[str, Any]:
    return {
        "id": cost.id,
        "service_id": cost.service_id,
        **_present(
            option=cost.option,
            amount=cost.amount,
            currency=cost.currency,
            amount_description=cost.amount_description,
        ),
    }


def location_dict(location: Location) -> dict[str, Any]:
    address = {
        "id": derived_id(location.id, "address"),
        "location_id": location.id,
        "address_1": location.address_1 or "",
        "city": location.city or "",
        "postal_code": location.postal_code,
        "country": "GB",
        "address_type": "physical",
        **_present(address_2=location.address_2),
    }
    accessibility = []
    if location.accessibility_description:
        accessibility.append(
            {
                "id": derived_id(location.id, "accessibility"),
                "location_id": location.id,
                "description": location.accessibility_description,
            }
        )
    return {
        "id": location.id,
        "location_type": "physical",
        **_present(
            name=location.name,
            description=location.description,
            latitude=location.latitude,
            longitude=location.longitude,
        ),
        "addresses": [address],
        **_present(accessibility=accessibility),
        "x_signpost": {"wheelchair_accessible": bool(location.wheelchair_accessible)},
    }


def service_at_location_dict(link: ServiceAtLocation, *, with_service: bool = False) -> dict:
    data = {
        "id": link.id,
        "service_id": link.service_id,
        "location_id": link.location_id,
        "location": location_dict(link.location),
    }
    if with_service:
        data["service"] = service_dict(link.service, full=False)
    return data


def _extension(service: Service) -> dict[str, Any]:
    return {
        "is_free": bool(service.is_free),
        "access_route": service.access_route,
        "delivery_modes": service.delivery_modes,
        "capacity_status": service.capacity_status,
        **_present(exclusions=service.exclusions, waiting_list_weeks=service.waiting_list_weeks),
    }


def service_dict(service: Service, *, full: bool = True, minimal: bool = False) -> dict:
    """A service: ``minimal`` is id and last_modified (the UK profile's minimal listing);
    ``full`` nests everything."""
    if minimal:
        return {"id": service.id, "last_modified": _datetime(service.last_modified)}
    data = {
        "id": service.id,
        "organization_id": service.organization_id,
        "name": service.name,
        "status": service.status,
        **_present(
            description=service.description,
            url=service.url,
            email=service.email,
            application_process=service.application_process,
            fees_description=service.fees_description,
            eligibility_description=service.eligibility_description,
            minimum_age=service.minimum_age,
            maximum_age=service.maximum_age,
            assured_date=_date(service.assured_date),
            last_modified=_datetime(service.last_modified),
        ),
        "x_signpost": _extension(service),
    }
    if not full:
        return data
    data["organization"] = organization_dict(service.organization)
    data["phones"] = [phone_dict(p) for p in sorted(service.phones, key=_by_id)]
    data["contacts"] = [contact_dict(c) for c in sorted(service.contacts, key=_by_id)]
    data["schedules"] = [schedule_dict(s) for s in sorted(service.schedules, key=_by_id)]
    data["service_areas"] = [
        service_area_dict(a) for a in sorted(service.service_areas, key=_by_id)
    ]
    data["service_at_locations"] = [
        service_at_location_dict(link) for link in sorted(service.service_at_locations, key=_by_id)
    ]
    data["languages"] = [language_dict(x) for x in sorted(service.languages, key=_by_id)]
    data["cost_options"] = [cost_option_dict(c) for c in sorted(service.cost_options, key=_by_id)]
    data["attributes"] = [attribute_dict(a) for a in sorted(service.attributes, key=_by_id)]
    return data


def _by_id(row) -> str:
    return row.id
