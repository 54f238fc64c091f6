"""Factories for directory records with sensible defaults, shared by every room's tests.

``make_service(session, name=..., categories=["loneliness"], postcode="E15 4HT")`` gives a
published, accepting service at a located building; pass ``postcode=None`` for a service
with no building (telephone or online), which gets a national service area instead.
"""

from __future__ import annotations

from datetime import date, time

from signpost.directory.models import (
    Language,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from signpost.geo.postcodes import locate_postcode

NEEDS_TAXONOMY = "Signpost needs"


def make_term(session, code: str, name: str | None = None) -> TaxonomyTerm:
    """The need category with ``code``, created (with its taxonomy) on first use."""
    term = session.query(TaxonomyTerm).filter_by(code=code).one_or_none()
    if term is not None:
        return term
    taxonomy = session.query(Taxonomy).filter_by(name=NEEDS_TAXONOMY).one_or_none()
    if taxonomy is None:
        taxonomy = Taxonomy(name=NEEDS_TAXONOMY, description="Needs link workers meet")
        session.add(taxonomy)
    term = TaxonomyTerm(
        code=code, name=name or code.replace("-", " ").capitalize(), taxonomy=taxonomy
    )
    session.add(term)
    session.flush()
    return term


def make_organization(session, name: str = "Test Community Trust") -> Organization:
    organization = Organization(name=name, description=f"{name}, a local charity.")
    session.add(organization)
    session.flush()
    return organization


def make_service(
    session,
    name: str = "Test service",
    description: str = "A friendly local group.",
    *,
    organization: Organization | None = None,
    categories: tuple[str, ...] | list[str] = (),
    postcode: str | None = "E15 4HT",
    wheelchair: bool = False,
    opening_days: tuple[str, ...] | list[str] = ("MO",),
    opens_at: time = time(10, 0),
    closes_at: time = time(16, 0),
    languages: tuple[str, ...] | list[str] = ("en",),
    commit: bool = True,
    **fields,
) -> Service:
    """A published service; ``fields`` set any other Service column (is_free, minimum_age ...)."""
    fields.setdefault("assured_date", date.today())
    service = Service(
        name=name,
        description=description,
        organization=organization or make_organization(session, f"{name} organisation"),
        **fields,
    )
    session.add(service)
    for code in categories:
        service.attributes.append(_attribute(session, code))
    for day in opening_days:
        service.schedules.append(Schedule(byday=day, opens_at=opens_at, closes_at=closes_at))
    for code in languages:
        service.languages.append(Language(name=code, code=code))
    if postcode is None:
        service.offers_in_person = False
        service.offers_telephone = True
        service.service_areas.append(ServiceArea(name="England", extent_type="national"))
    else:
        located = locate_postcode(postcode)
        location = Location(
            name=f"{name} venue",
            address_1="1 High Street",
            city="Testtown",
            postal_code=located.postcode,
            latitude=located.latitude,
            longitude=located.longitude,
            wheelchair_accessible=wheelchair,
        )
        service.service_at_locations.append(ServiceAtLocation(location=location))
    session.flush()
    if commit:
        session.commit()
    return service


def _attribute(session, code: str):
    from signpost.directory.models import Attribute

    return Attribute(taxonomy_term=make_term(session, code))
