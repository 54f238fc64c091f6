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
from datetime import UTC, time

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import selectinload

from signpost.api.params import ListQuery
from signpost.directory.models import (
    WEEKDAYS,
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
from signpost.search.engine import Filters
from signpost.search.service_search import search_services

METRES_PER_MILE = 1609.344


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


def services_page(query: ListQuery) -> Page:
    """With ``search`` or ``postcode``, one page of the web search's ranking (the engine
    filters, counts and pages); otherwise services by name, paged in SQL."""
    if _is_search(query):
        ranked, total = _ranked_page(query, query.page, query.per_page)
        services = services_by_id([entry.service_id for entry in ranked])
        items = [
            (services[e.service_id], e.distance_metres) for e in ranked if e.service_id in services
        ]
        return Page(items, total, query.page, query.per_page)
    statement = _filtered(select(Service), query).order_by(Service.name, Service.id)
    page = _paged(statement.options(*_service_loading()), query)
    page.items = [(service, None) for service in page.items]
    return page


def service_at_locations_page(query: ListQuery) -> Page:
    """Each published service's buildings: services in the /services order, nearest first.

    With a search, the engine's ranking is walked a few services at a time up to the page
    asked for (work grows with the page number, as OFFSET does, not with the directory);
    the total is the engine's count of the matching services' buildings."""
    if not _is_search(query):
        statement = (
            _filtered(select(ServiceAtLocation).join(Service), query)
            .order_by(Service.name, Service.id, ServiceAtLocation.id)
            .options(selectinload(ServiceAtLocation.location))
        )
        page = _paged(statement, query)
        page.items = [(link, None) for link in page.items]
        return page
    start = (query.page - 1) * query.per_page
    rows: list[tuple[ServiceAtLocation, float | None]] = []
    batch, total = 1, None
    while len(rows) < start + query.per_page:
        ranked, results = _ranked_page(query, batch, LINK_BATCH, buildings=True)
        total = results if total is None else total
        rows.extend(_links_of(ranked, query))
        if len(ranked) < LINK_BATCH:
            break
        batch += 1
    return Page(rows[start : start + query.per_page], total or 0, query.page, query.per_page)


LINK_BATCH = 50


def _is_search(query: ListQuery) -> bool:
    return bool(query.search) or query.postcode is not None


def _ranked_page(query: ListQuery, page: int, per_page: int, *, buildings: bool = False):
    """(ranked services of that page, the total: services, or their buildings)."""
    request = SearchRequest(
        text=query.search,
        postcode=query.postcode.postcode if query.postcode else "",
        radius_miles=query.proximity / METRES_PER_MILE if query.proximity else None,
        page=page,
        per_page=per_page,
    )
    results = search_services(
        request, source="api", filters=_engine_filters(query), count_buildings=buildings
    )
    ranked = [
        RankedService(
            item.service.id,
            None if item.distance_miles is None else item.distance_miles * METRES_PER_MILE,
        )
        for item in results.items
    ]
    return ranked, results.buildings_total if buildings else results.total


def _links_of(ranked: list[RankedService], query: ListQuery):
    links = db.session.scalars(
        select(ServiceAtLocation)
        .where(ServiceAtLocation.service_id.in_([entry.service_id for entry in ranked]))
        .order_by(ServiceAtLocation.id)
        .options(selectinload(ServiceAtLocation.location))
    )
    groups: dict[str, list[tuple[ServiceAtLocation, float | None]]] = {}
    for link in links:
        distance = location_distance_metres(link.location, query)
        if query.proximity is not None and (distance is None or distance > query.proximity):
            continue  # another of the service's buildings is near enough, not this one
        groups.setdefault(link.service_id, []).append((link, distance))
    for group in groups.values():
        group.sort(key=lambda pair: float("inf") if pair[1] is None else pair[1])
    return [pair for entry in ranked for pair in groups.get(entry.service_id, [])]


def _engine_filters(query: ListQuery) -> Filters:
    """The UK profile's parameters, as the engine applies them (see the module's doc)."""
    modified_after = None
    if query.modified_after is not None:
        moment = query.modified_after
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        modified_after = moment.timestamp()
    return Filters(
        taxonomy_term_id=query.taxonomy_term_id,
        taxonomy_id=query.taxonomy_id,
        organization_id=query.organization_id,
        modified_after=modified_after,
        minimum_age_at_least=query.minimum_age,
        maximum_age_at_most=query.maximum_age,
        opening_weekday=WEEKDAYS.index(query.day) if query.day in WEEKDAYS else None,
        opening_after=_seconds(query.start_time),
        opening_before=_seconds(query.end_time),
        building_required=query.proximity is not None,
    )


def _seconds(moment: time | None) -> int | None:
    return None if moment is None else moment.hour * 3600 + moment.minute * 60 + moment.second


def _filtered(statement: Select, query: ListQuery) -> Select:
    statement = statement.where(Service.status == "active")
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
