"""What callers (web page, widget, API) pass to ``search_services`` and get back.

Kept apart from the engine so the callers never import whoosh, and a PostgreSQL
full-text engine can replace it without touching them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from signpost.directory.models import Location, Service


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    postcode: str = ""
    categories: tuple[str, ...] = ()  # taxonomy term codes
    free_only: bool = False
    delivery_mode: str | None = None  # one of DELIVERY_MODES
    day: str | None = None  # "MO".."SU", or "now"
    age: int | None = None
    language: str | None = None  # ISO 639-1 code
    wheelchair: bool = False
    self_referral: bool = False
    radius_miles: float | None = None
    page: int = 1
    per_page: int = 20


@dataclass
class ResultItem:
    service: Service
    score: float  # the blended rank score (see signpost.search.ranking)
    relevance: float  # text relevance alone, 0..1
    distance_miles: float | None  # None with no postcode or for services with no building
    nearest_location: Location | None
    is_remote: bool  # no building: telephone, online or area-wide


@dataclass
class SearchResults:
    request: SearchRequest
    items: list[ResultItem]
    total: int
    origin_postcode: str | None = None  # the normalised postcode searched from, if located
    postcode_message: str | None = None  # why the postcode was not used, in words
    did_you_mean: str | None = None
    widen_options: list[dict] = field(default_factory=list)  # for zero results
    buildings_total: int = 0  # the matching services' buildings (within the radius)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))
