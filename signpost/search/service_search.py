"""``search_services``: the one search every caller uses (web page, widget, API).

1. Locate the postcode (a problem becomes a sentence, and the search goes on without it).
2. The services within the radius: from the index's table of places when there are no
   other filters (``places``), else from SQL with the filters (ids and coordinates).
3. The engine scores the typed words, restricted to those services; SQL then reads the
   details and distances of the best few hundred.
4. ``ranking.rank_results`` blends relevance, distance, capacity and freshness.
5. Zero results are logged (district only) and answered with ways to widen the search.
   An index that cannot be read is not zero results: the engine's ``SearchUnavailable``
   propagates to the caller, and nothing is logged as an unmet need.
"""

from __future__ import annotations

from dataclasses import replace

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from signpost.directory.models import Attribute, Location, Service, ServiceAtLocation
from signpost.extensions import db
from signpost.geo.distance import distance_miles
from signpost.geo.errors import PostcodeError
from signpost.geo.postcodes import LocatedPostcode, locate_postcode
from signpost.search.contract import ResultItem, SearchRequest, SearchResults
from signpost.search.filters import find_candidates, has_filters, nearby_services
from signpost.search.indexer import search_engine
from signpost.search.query_text import build_engine_query, corrected_text, typed_words
from signpost.search.ranking import Ranked, rank_results
from signpost.search.search_log import UnmetNeedSearch
from signpost.search.widening import widen_options

# Text matches re-ranked by distance: relevance dominates the formula, so the best few
# hundred by text always hold the best results overall.
TEXT_MATCH_LIMIT = 300


def search_services(request: SearchRequest, *, source: str = "web") -> SearchResults:
    origin, postcode_message = _locate(request.postcode)
    ranked, did_you_mean = _ranked(request, origin)
    start = (request.page - 1) * request.per_page
    page = ranked[start : start + request.per_page]
    results = SearchResults(
        request=request,
        items=_result_items(page, origin),
        total=len(ranked),
        origin_postcode=origin.postcode if origin else None,
        postcode_message=postcode_message,
        did_you_mean=did_you_mean,
    )
    if not ranked:
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


def _ranked(request: SearchRequest, origin: LocatedPostcode | None):
    stale_days = current_app.config.get("SIGNPOST_STALE_AFTER_DAYS", 183)
    words = typed_words(request.text)
    if not words:
        candidates = find_candidates(request, origin, stale_after_days=stale_days)
        return rank_results(dict.fromkeys(candidates, 1.0), candidates, origin is not None), None
    engine = search_engine()
    query = build_engine_query(request.text, engine)
    allowed = None
    if origin is not None and request.radius_miles:
        allowed = nearby_services(request, origin)
    elif has_filters(request):
        allowed = set(find_candidates(request, origin, stale_after_days=stale_days))
    hits = dict(engine.search(query, allowed, TEXT_MATCH_LIMIT))
    candidates = find_candidates(request, origin, stale_after_days=stale_days, only_ids=list(hits))
    did_you_mean = corrected_text(request.text, query.corrections)
    return rank_results(hits, candidates, origin is not None), did_you_mean


def _result_items(page: list[Ranked], origin: LocatedPostcode | None) -> list[ResultItem]:
    ids = [entry.candidate.service_id for entry in page]
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
            service=services[entry.candidate.service_id],
            score=entry.score,
            relevance=entry.relevance,
            distance_miles=entry.candidate.distance_miles,
            nearest_location=_nearest_location(services[entry.candidate.service_id], origin),
            is_remote=entry.candidate.is_remote,
        )
        for entry in page
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
