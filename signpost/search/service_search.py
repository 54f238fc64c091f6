"""``search_services``: the one search every caller uses (web page, widget, API).

1. Locate the postcode (a problem becomes a sentence, and the search goes on without it).
2. Turn the words into weighted terms (synonyms, spelling, life stages).
3. The engine does the rest in one pass over its own tables: the filters, the distance
   from the postcode, the words' scores, the ranking formula (``ranking``), the exact
   number of matches and the one page asked for. SQL then reads that page's services.
4. Zero results are logged (district only) and answered with ways to widen the search.

A broken index raises ``SearchUnavailable``: callers say so, and no unmet need is logged.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from signpost.directory.freshness import stale_before
from signpost.directory.models import Attribute, Location, Service, ServiceAtLocation
from signpost.extensions import db
from signpost.geo.distance import distance_miles
from signpost.geo.errors import PostcodeError
from signpost.geo.postcodes import LocatedPostcode, locate_postcode
from signpost.search.contract import ResultItem, SearchRequest, SearchResults
from signpost.search.engine import EngineHit, EngineSearch, Filters
from signpost.search.filters import engine_filters
from signpost.search.indexer import search_engine_caught_up
from signpost.search.query_text import build_engine_query, corrected_text, typed_words
from signpost.search.search_log import UnmetNeedSearch
from signpost.search.widening import widen_options


def search_services(
    request: SearchRequest,
    *,
    source: str = "web",
    filters: Filters | None = None,
    count_buildings: bool = False,
) -> SearchResults:
    """``filters``, when given, replace the ones ``request`` implies (the API's);
    ``count_buildings`` fills ``SearchResults.buildings_total``."""
    origin, postcode_message = _locate(request.postcode)
    engine = search_engine_caught_up()
    query = build_engine_query(request.text, engine) if typed_words(request.text) else None
    page = engine.search(
        EngineSearch(
            query=query,
            filters=engine_filters(request) if filters is None else filters,
            origin=(origin.latitude, origin.longitude) if origin else None,
            radius_miles=request.radius_miles if origin else None,
            stale_before=stale_before(),
            offset=(request.page - 1) * request.per_page,
            limit=request.per_page,
            count_buildings=count_buildings,
        )
    )
    results = SearchResults(
        request=request,
        items=_result_items(page.hits, origin),
        total=page.total,
        buildings_total=page.buildings_total,
        origin_postcode=origin.postcode if origin else None,
        postcode_message=postcode_message,
        did_you_mean=corrected_text(request.text, query.corrections) if query else None,
    )
    if page.total == 0:
        results.widen_options = widen_options(request)
        _record_unmet_need(request, origin, source)
    return results


def _locate(postcode: str) -> tuple[LocatedPostcode | None, str | None]:
    if not postcode.strip():
        return None, None
    try:
        return locate_postcode(postcode), None
    except PostcodeError as error:
        return None, error.message


def _result_items(hits: list[EngineHit], origin: LocatedPostcode | None) -> list[ResultItem]:
    ids = [hit.service_id for hit in hits]
    services = {
        service.id: service
        for service in db.session.scalars(
            select(Service)
            .where(Service.id.in_(ids))
            .options(  # what a result shows, and no more: each is another query
                joinedload(Service.organization),
                selectinload(Service.attributes).joinedload(Attribute.taxonomy_term),
                selectinload(Service.service_at_locations).joinedload(ServiceAtLocation.location),
                selectinload(Service.schedules),
            )
        )
    }
    return [
        ResultItem(
            service=services[hit.service_id],
            score=hit.score,
            relevance=hit.relevance,
            distance_miles=hit.distance_miles,
            nearest_location=_nearest_location(services[hit.service_id], origin),
            is_remote=hit.is_remote,
        )
        for hit in hits
        if hit.service_id in services  # withdrawn since the index was read: gone now
    ]


def _nearest_location(service: Service, origin: LocatedPostcode | None) -> Location | None:
    locations = [link.location for link in service.service_at_locations]
    if origin is None or len(locations) < 2:
        return locations[0] if locations else None
    here = (origin.latitude, origin.longitude)
    located = [loc for loc in locations if loc.latitude is not None] or locations
    return min(located, key=lambda loc: distance_miles(here, (loc.latitude, loc.longitude)))


def _record_unmet_need(request: SearchRequest, origin: LocatedPostcode | None, source: str):
    filters = {
        key: value
        for key, value in vars(replace(request, text="", postcode="", page=1)).items()
        if value not in (None, False, (), "") and key not in ("page", "per_page")
    }
    if isinstance(filters.get("categories"), tuple):
        filters["categories"] = list(filters["categories"])
    db.session.add(
        UnmetNeedSearch(
            words=" ".join(typed_words(request.text)),
            filters=filters,
            postcode_district=origin.district if origin else None,
            source=source,
        )
    )
    db.session.commit()
