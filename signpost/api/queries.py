"""What the API reads: published directory data only (services with status "active").

Ordering: with ``search`` or ``postcode`` the order is exactly ``search_services``'s (the
web search's ranking); the other filters only remove services from that order. Without
them services come by name.

The UK profile's parameters mean what the profile says: ``minimum_age`` keeps services
whose minimum age is at least the value, ``maximum_age`` those whose maximum age is at
most the value, ``modified_after`` is on or after, and ``proximity`` keeps only what is
within that distance, so a service with no building is left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

from signpost.api.params import ListQuery
from signpost.directory.models import (
    Attribute,
    Location,
    Organization,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from signpost.extensions import db
from signpost.geo.distance import distance_miles
from signpost.search.contract import SearchRequest
from signpost.search.service_search import search_services

METRES_PER_MILE = 1609.344
ALL_RESULTS = 1_000_000


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int


@dataclass
class RankedService:
    service_id: str
    distance_metres: float | None


def _published() -> Select:
    return select(Service.id).where(Service.status == "active")


def _service_loading():
    return (
        selectinload(Service.organization),
        selectinload(Service.attributes)
        .selectinload(Attribute.taxonomy_term)
        .selectinload(TaxonomyTerm.taxonomy),
        selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location),
        selectinload(Service.schedules),
        selectinload(Service.languages),
        selectinload(Service.phones),
        selectinload(Service.contacts),
        selectinload(Service.service_areas),
        selectinload(Service.cost_options),
    )


def published_service(service_id: str) -> Service | None:
    return db.session.scalars(
        select(Service)
        .where(Service.id == service_id, Service.status == "active")
        .options(*_service_loading())
    ).one_or_none()


def services_by_id(ids: list[str]) -> dict[str, Service]:
    rows = db.session.scalars(
        select(Service).where(Service.id.in_(ids)).options(*_service_loading())
    )
    return {service.id: service for service in rows}


def all_published_services() -> list[Service]:
    return list(
        db.session.scalars(
            select(Service)
            .where(Service.status == "active")
            .order_by(Service.name, Service.id)
            .options(*_service_loading())
        )
    )


def ranked_services(query: ListQuery) -> list[RankedService]:
    """Every published service passing ``query``'s filters, in the order to serve them."""
    if query.search or query.postcode is not None:
        ordered = _search_order(query)
    else:
        ids = db.session.scalars(_published().order_by(Service.name, Service.id))
        ordered = [RankedService(service_id, None) for service_id in ids]
    allowed = set(db.session.scalars(_filtered(query)))
    if query.proximity is not None:  # search_services keeps remote services: the API does not
        return [
            entry
            for entry in ordered
            if entry.service_id in allowed and entry.distance_metres is not None
        ]
    return [entry for entry in ordered if entry.service_id in allowed]


def _search_order(query: ListQuery) -> list[RankedService]:
    request = SearchRequest(
        text=query.search,
        postcode=query.postcode.postcode if query.postcode else "",
        radius_miles=query.proximity / METRES_PER_MILE if query.proximity else None,
        page=1,
        per_page=ALL_RESULTS,
    )
    results = search_services(request, source="api")
    return [
        RankedService(
            item.service.id,
            None if item.distance_miles is None else item.distance_miles * METRES_PER_MILE,
        )
        for item in results.items
    ]


def _filtered(query: ListQuery) -> Select:
    statement = _published()
    if query.taxonomy_term_id:
        statement = statement.where(
            exists().where(
                Attribute.service_id == Service.id,
                Attribute.taxonomy_term_id == query.taxonomy_term_id,
            )
        )
    if query.taxonomy_id:
        statement = statement.where(
            exists().where(
                Attribute.service_id == Service.id,
                Attribute.taxonomy_term_id == TaxonomyTerm.id,
                TaxonomyTerm.taxonomy_id == query.taxonomy_id,
            )
        )
    if query.organization_id:
        statement = statement.where(Service.organization_id == query.organization_id)
    if query.modified_after is not None:
        statement = statement.where(Service.last_modified >= query.modified_after)
    if query.minimum_age is not None:  # no minimum age is a minimum of 0
        statement = statement.where(func.coalesce(Service.minimum_age, 0) >= query.minimum_age)
    if query.maximum_age is not None:  # no maximum age is no limit: never at or below
        statement = statement.where(
            Service.maximum_age.is_not(None), Service.maximum_age <= query.maximum_age
        )
    if query.day or query.start_time or query.end_time:
        statement = statement.where(exists().where(*_opening_conditions(query)))
    return statement


def _opening_conditions(query: ListQuery) -> list:
    conditions = [Schedule.service_id == Service.id]
    if query.day:
        conditions.append(Schedule.byday == query.day)
    if query.start_time is not None:
        conditions.append(Schedule.closes_at > query.start_time)
    if query.end_time is not None:
        conditions.append(Schedule.opens_at < query.end_time)
    return conditions


def services_page(query: ListQuery) -> Page:
    ranked = ranked_services(query)
    start = (query.page - 1) * query.per_page
    chosen = ranked[start : start + query.per_page]
    services = services_by_id([entry.service_id for entry in chosen])
    items = [(services[entry.service_id], entry.distance_metres) for entry in chosen]
    return Page(items, len(ranked), query.page, query.per_page)


def service_at_locations_page(query: ListQuery) -> Page:
    """Each published service's buildings: services in the /services order, nearest first."""
    ranked = ranked_services(query)
    groups: dict[str, list[tuple[ServiceAtLocation, float | None]]] = {}
    links = db.session.scalars(
        select(ServiceAtLocation)
        .where(ServiceAtLocation.service_id.in_([entry.service_id for entry in ranked]))
        .order_by(ServiceAtLocation.id)
        .options(selectinload(ServiceAtLocation.location))
    )
    for link in links:
        distance = location_distance_metres(link.location, query)
        if query.proximity is not None and (distance is None or distance > query.proximity):
            continue  # another of the service's buildings is near enough, not this one
        groups.setdefault(link.service_id, []).append((link, distance))
    for group in groups.values():
        group.sort(key=lambda pair: float("inf") if pair[1] is None else pair[1])
    rows = [pair for entry in ranked for pair in groups.get(entry.service_id, [])]
    start = (query.page - 1) * query.per_page
    return Page(rows[start : start + query.per_page], len(rows), query.page, query.per_page)


def published_service_at_location(link_id: str) -> ServiceAtLocation | None:
    return db.session.scalars(
        select(ServiceAtLocation)
        .join(Service)
        .where(ServiceAtLocation.id == link_id, Service.status == "active")
        .options(selectinload(ServiceAtLocation.location))
    ).one_or_none()


def location_distance_metres(location: Location, query: ListQuery) -> float | None:
    origin = query.postcode
    if origin is None or location.latitude is None or location.longitude is None:
        return None
    miles = distance_miles(
        (origin.latitude, origin.longitude), (location.latitude, location.longitude)
    )
    return miles * METRES_PER_MILE


def _paged(statement: Select, query: ListQuery) -> Page:
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = db.session.scalars(
        statement.offset((query.page - 1) * query.per_page).limit(query.per_page)
    ).all()
    return Page(list(rows), total or 0, query.page, query.per_page)


def _name_search(statement: Select, column, words: str) -> Select:
    if words:
        statement = statement.where(column.ilike(f"%{_escape_like(words)}%", escape="\\"))
    return statement


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def taxonomies_page(query: ListQuery) -> Page:
    statement = _name_search(select(Taxonomy), Taxonomy.name, query.search)
    return _paged(statement.order_by(Taxonomy.name, Taxonomy.id), query)


def taxonomy(taxonomy_id: str) -> Taxonomy | None:
    return db.session.get(Taxonomy, taxonomy_id)


def taxonomy_terms_page(query: ListQuery) -> Page:
    statement = _name_search(
        select(TaxonomyTerm).options(selectinload(TaxonomyTerm.taxonomy)),
        TaxonomyTerm.name,
        query.search,
    )
    if query.taxonomy_id:
        statement = statement.where(TaxonomyTerm.taxonomy_id == query.taxonomy_id)
    if query.parent_id:
        statement = statement.where(TaxonomyTerm.parent_id == query.parent_id)
    return _paged(statement.order_by(TaxonomyTerm.name, TaxonomyTerm.id), query)


def taxonomy_term(term_id: str) -> TaxonomyTerm | None:
    return db.session.get(TaxonomyTerm, term_id)


def _publishing_organizations() -> Select:
    """Organisations with at least one published service: the others are not public."""
    return select(Organization).where(
        exists().where(Service.organization_id == Organization.id, Service.status == "active")
    )


def organizations_page(query: ListQuery) -> Page:
    statement = _name_search(_publishing_organizations(), Organization.name, query.search)
    return _paged(statement.order_by(Organization.name, Organization.id), query)


def organization(organization_id: str) -> Organization | None:
    return db.session.scalars(
        _publishing_organizations().where(Organization.id == organization_id)
    ).one_or_none()


def organization_services(organization_id: str) -> list[Service]:
    return list(
        db.session.scalars(
            select(Service)
            .where(Service.organization_id == organization_id, Service.status == "active")
            .order_by(Service.name, Service.id)
        )
    )
