"""Structured filters in SQL, and distances from the searcher's postcode.

``find_candidates`` returns every published service that passes the filters, each with
its nearest building's distance. A postcode narrows the SQL to a bounding box around it
before distances are computed with numpy: one query starts from the buildings inside the
box (by the latitude index), another finds the services with no building at all, which
are kept whatever the distance. One query joining every service to its buildings with
"no building OR inside the box" cannot use an index and read all 100,000 listings.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, exists, null, or_, select
from sqlalchemy.orm import aliased

from signpost.directory.models import (
    Attribute,
    Language,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from signpost.extensions import db
from signpost.geo.distance import bounding_box, distances_miles
from signpost.geo.postcodes import LocatedPostcode
from signpost.listings.freshness_models import ListingFreshness
from signpost.search.contract import SearchRequest
from signpost.search.places import service_places
from signpost.search.ranking import Candidate

UK_TIME = ZoneInfo("Europe/London")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MODE_COLUMNS = {
    "in_person": Service.offers_in_person,
    "online": Service.offers_online,
    "telephone": Service.offers_telephone,
    "home_visit": Service.offers_home_visit,
}


def has_filters(request: SearchRequest) -> bool:
    return bool(
        request.categories
        or request.free_only
        or request.delivery_mode
        or request.day
        or request.age is not None
        or request.language
        or request.wheelchair
        or request.self_referral
    )


def find_candidates(
    request: SearchRequest,
    origin: LocatedPostcode | None,
    *,
    stale_after_days: int,
    only_ids: Iterable[str] | None = None,
    now: datetime | None = None,
) -> dict[str, Candidate]:
    """Published services passing the request's filters, keyed by id, with distances."""
    now = now or datetime.now(UK_TIME)
    if origin is not None and request.radius_miles is not None and only_ids is None:
        rows = _located_in_box(request, now, origin) + _without_building(request, now)
    else:  # every service, or a few by id (each with all its buildings, nearest kept)
        rows = db.session.execute(_restricted(_filtered(request, now), only_ids)).all()
    stale_before = date.today() - timedelta(days=stale_after_days)
    return _nearest_per_service(rows, origin, request.radius_miles, stale_before)


def _located_in_box(request, now, origin: LocatedPostcode) -> list:
    box = bounding_box(origin.latitude, origin.longitude, request.radius_miles)
    statement = _filtered(request, now, buildings="located").where(
        Location.latitude.between(box.min_latitude, box.max_latitude),
        Location.longitude.between(box.min_longitude, box.max_longitude),
    )
    return db.session.execute(statement).all()


def _without_building(request, now) -> list:
    return db.session.execute(_filtered(request, now, buildings="none")).all()


def nearby_services(
    request: SearchRequest, origin: LocatedPostcode, *, now: datetime | None = None
) -> set[str]:
    """Ids of the services passing the filters with a building within the radius, or none.

    What a text search lets the engine choose from. With no filters the answer comes from
    the index's own table of places (``places``: the index holds only published
    services); with filters, SQL reads ids and coordinates of the services passing them.
    ``find_candidates`` then reads the details of the few the engine picks.
    """
    if not has_filters(request):
        return service_places().within(origin.latitude, origin.longitude, request.radius_miles)
    now = now or datetime.now(UK_TIME)
    box = bounding_box(origin.latitude, origin.longitude, request.radius_miles)
    located = _filtered(request, now, buildings="located").with_only_columns(
        Service.id, Location.latitude, Location.longitude
    )
    bare = _filtered(request, now, buildings="none").with_only_columns(Service.id)
    rows = db.session.execute(
        located.where(
            Location.latitude.between(box.min_latitude, box.max_latitude),
            Location.longitude.between(box.min_longitude, box.max_longitude),
        )
    ).all()
    nearby = set(db.session.scalars(bare))
    if rows:
        service_ids, latitudes, longitudes = zip(*rows, strict=True)
        miles = distances_miles(origin.latitude, origin.longitude, latitudes, longitudes)
        within = miles <= request.radius_miles
        nearby.update(sid for sid, inside in zip(service_ids, within, strict=True) if inside)
    return nearby


def _restricted(statement: Select, only_ids: Iterable[str] | None) -> Select:
    return statement if only_ids is None else statement.where(Service.id.in_(list(only_ids)))


def _filtered(request: SearchRequest, now: datetime, *, buildings: str = "any") -> Select:
    """Published services passing the filters, one row per building.

    ``buildings``: "any" (every service, a row with no building for those without one),
    "located" (starting from the buildings, for a box on their coordinates to drive the
    query) or "none" (only services without a building).
    """
    service_columns = (Service.id, Service.name, Service.capacity_status, Service.assured_date)
    feedback_on = _feedback_confirmed_on()
    if buildings == "none":
        # Listed through the id index alone: a scan of the service rows reads every description.
        bare = aliased(Service)
        without_building = select(bare.id).where(
            bare.id.not_in(select(ServiceAtLocation.service_id))
        )
        statement = select(*service_columns, null(), null(), null(), feedback_on).where(
            Service.id.in_(without_building)
        )
    elif buildings == "located":
        statement = (
            select(
                *service_columns, Location.id, Location.latitude, Location.longitude, feedback_on
            )
            .select_from(Location)
            .join(ServiceAtLocation, ServiceAtLocation.location_id == Location.id)
            .join(Service, Service.id == ServiceAtLocation.service_id)
        )
    else:
        statement = (
            select(
                *service_columns, Location.id, Location.latitude, Location.longitude, feedback_on
            )
            .outerjoin(ServiceAtLocation, ServiceAtLocation.service_id == Service.id)
            .outerjoin(Location, Location.id == ServiceAtLocation.location_id)
        )
    statement = statement.where(Service.status == "active")
    if request.categories:
        statement = statement.where(_in_categories(request.categories))
    if request.free_only:
        statement = statement.where(Service.is_free.is_(True))
    if request.delivery_mode in MODE_COLUMNS:
        statement = statement.where(MODE_COLUMNS[request.delivery_mode].is_(True))
    if request.day:
        statement = statement.where(_open_on(request.day, now))
    if request.age is not None:
        statement = statement.where(
            or_(Service.minimum_age.is_(None), Service.minimum_age <= request.age),
            or_(Service.maximum_age.is_(None), Service.maximum_age >= request.age),
        )
    if request.language:
        statement = statement.where(
            exists().where(Language.service_id == Service.id, Language.code == request.language)
        )
    if request.wheelchair and buildings != "none":
        # A building with step-free access, or no building to get into at all.
        statement = statement.where(
            or_(Location.id.is_(None), Location.wheelchair_accessible.is_(True))
        )
    if request.self_referral:
        statement = statement.where(Service.access_route.in_(("self", "either")))
    return statement


def _feedback_confirmed_on():
    """When an organisation last answered a referral link: a sign of life, like a check."""
    return (
        select(ListingFreshness.feedback_confirmed_on)
        .where(ListingFreshness.service_id == Service.id)
        .scalar_subquery()
    )


def _in_categories(codes: tuple[str, ...]):
    """A service in any of the categories, or in a narrower category beneath one."""
    parent = aliased(TaxonomyTerm)
    matching_terms = (
        select(TaxonomyTerm.id)
        .outerjoin(parent, parent.id == TaxonomyTerm.parent_id)
        .where(or_(TaxonomyTerm.code.in_(codes), parent.code.in_(codes)))
    )
    return exists().where(
        Attribute.service_id == Service.id, Attribute.taxonomy_term_id.in_(matching_terms)
    )


def _open_on(day: str, now: datetime):
    if day != "now":
        return exists().where(Schedule.service_id == Service.id, Schedule.byday == day)
    current = now.astimezone(UK_TIME)
    clock = current.time().replace(microsecond=0)
    return exists().where(
        Schedule.service_id == Service.id,
        Schedule.byday == WEEKDAY_CODES[current.weekday()],
        Schedule.opens_at <= clock,
        Schedule.closes_at > clock,
    )


def _nearest_per_service(rows, origin, radius_miles, stale_before) -> dict[str, Candidate]:
    located = [row for row in rows if row[5] is not None and row[6] is not None]
    miles = {}
    if origin is not None and located:
        distances = distances_miles(
            origin.latitude, origin.longitude, [r[5] for r in located], [r[6] for r in located]
        )
        for row, distance in zip(located, distances.tolist(), strict=True):
            if row[0] not in miles or distance < miles[row[0]]:
                miles[row[0]] = distance
    candidates: dict[str, Candidate] = {}
    for service_id, name, capacity, assured, location_id, _lat, _lon, feedback_on in rows:
        is_remote = location_id is None
        distance = miles.get(service_id)
        outside_radius = distance is None or (radius_miles is not None and distance > radius_miles)
        if radius_miles is not None and origin is not None and not is_remote and outside_radius:
            continue
        if service_id in candidates:  # one row per building; the distance is the nearest
            continue
        candidates[service_id] = Candidate(
            service_id=service_id,
            name=name,
            capacity_status=capacity,
            distance_miles=None if is_remote else distance,
            is_remote=is_remote,
            is_stale=_is_stale(assured, feedback_on, stale_before),
        )
    return candidates


def _is_stale(assured: date | None, feedback_on: date | None, stale_before: date) -> bool:
    """Neither a person's check nor a referral answer since ``stale_before``
    (the same rule as ``signpost.listings.freshness.is_possibly_out_of_date``)."""
    latest = max((d for d in (assured, feedback_on) if d is not None), default=None)
    return latest is None or latest < stale_before
