"""The search engine interface: what the rest of Signpost needs from a full-text engine.

Callers never import whoosh. An engine holds, for every published service, its text and
the facts a search filters and ranks by (``ServiceFacts``), so that filtering, distance,
counting, ranking and paging all happen inside it: a request does one page of work
whatever the size of the directory. A PostgreSQL full-text engine can implement the same
operations: ``postgres_engine`` does, and ``signpost.search.indexer.search_engine``
chooses between the two (``SIGNPOST_SEARCH_ENGINE``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

OUTBOX_DOCUMENT_ID = "__outbox__"  # the engine's record of the last outbox position applied


class SearchUnavailable(Exception):
    """The index cannot be read (missing, corrupt, unreadable).

    Raised by an engine's reading operations instead of answering "no matches", and left
    to propagate through ``search_services``: callers show "search is unavailable", never
    "nothing found" (which would send a person away believing no help exists).
    """

    # What every caller (web page, widget, API) tells the person, and when to ask again.
    message = "Search is unavailable at the moment, try again in a few minutes."
    retry_after_seconds = 60


class IndexBusy(Exception):
    """Another process holds the index's write lock; its changes stay queued."""


@dataclass(frozen=True)
class Building:
    latitude: float | None
    longitude: float | None
    wheelchair_accessible: bool


@dataclass(frozen=True)
class Opening:
    weekday: int  # 0 = Monday
    opens_at: int | None  # seconds after midnight
    closes_at: int | None


@dataclass(frozen=True)
class ServiceFacts:
    """What a search filters and ranks a published service by, besides its words."""

    name: str
    organization_id: str
    capacity_status: str
    verified_on: date | None  # the newer of a person's check and a referral answer
    last_modified: float  # epoch seconds
    is_free: bool
    delivery_modes: tuple[str, ...]
    access_route: str
    minimum_age: int | None
    maximum_age: int | None
    category_codes: tuple[str, ...]  # its terms' codes and their parents' codes
    term_ids: tuple[str, ...]
    taxonomy_ids: tuple[str, ...]
    languages: tuple[str, ...]
    openings: tuple[Opening, ...]
    buildings: tuple[Building, ...]


@dataclass(frozen=True)
class ServiceDocument:
    """The searchable text of one published service, and its facts."""

    id: str
    name: str
    description: str
    categories: str  # category names and descriptions
    facts: ServiceFacts


@dataclass(frozen=True)
class WeightedTerm:
    """One word to look for, with how much a match counts (typed words 1.0, synonyms less)."""

    word: str
    weight: float = 1.0


@dataclass
class EngineQuery:
    terms: list[WeightedTerm]
    corrections: dict[str, str] = field(default_factory=dict)  # typed -> corrected word


@dataclass(frozen=True)
class Filters:
    """Every filter a caller can ask for; the defaults filter nothing.

    The first group is the search page's; the second the Open Referral UK API's, whose
    parameters mean what the UK profile says (``minimum_age_at_least`` keeps services
    whose minimum age is at least the value, and so on).
    """

    categories: tuple[str, ...] = ()
    free_only: bool = False
    delivery_mode: str | None = None
    open_weekday: int | None = None
    open_at: int | None = None  # seconds after midnight, with ``open_weekday``: open now
    age: int | None = None
    language: str | None = None
    wheelchair: bool = False
    self_referral: bool = False
    # Open Referral UK API parameters
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: float | None = None  # epoch seconds, inclusive
    minimum_age_at_least: int | None = None
    maximum_age_at_most: int | None = None
    opening_weekday: int | None = None
    opening_after: int | None = None  # open at some time after this (seconds)
    opening_before: int | None = None
    building_required: bool = False


@dataclass(frozen=True)
class EngineSearch:
    query: EngineQuery | None  # None: no words, every service passing the filters
    filters: Filters = Filters()
    origin: tuple[float, float] | None = None  # latitude, longitude
    radius_miles: float | None = None
    stale_before: date | None = None  # verified before this day: "possibly out of date"
    offset: int = 0
    limit: int = 20
    count_buildings: bool = False  # also count the matching services' buildings


@dataclass(frozen=True)
class EngineHit:
    service_id: str
    score: float
    relevance: float
    distance_miles: float | None
    is_remote: bool


@dataclass(frozen=True)
class EnginePage:
    hits: list[EngineHit]
    total: int  # every service that matched, exactly
    buildings_total: int = 0  # their buildings (within the radius, if there is one)


class IndexWriter(Protocol):
    """Changes to the index under its write lock, made visible together by ``commit``."""

    position: int  # the last outbox position this index holds

    def refresh(self, session, service_ids: list[str]) -> None:
        """Re-read these services (``session``): published ones written, others removed."""
        ...

    def commit(self, position: int) -> None: ...


class IndexBuild(Protocol):
    """A whole new index, built beside the live one and swapped in by ``swap_in``."""

    def load(self, session, position: int, progress: bool = False) -> int:
        """Every published service, read at or after outbox ``position``; how many."""
        ...

    def discard(self) -> None: ...


class SearchEngine(Protocol):
    def exists(self) -> bool: ...

    def writer(self, timeout: float) -> AbstractContextManager[IndexWriter]:
        """The live index's writer; raises ``IndexBusy`` when the lock stays taken."""
        ...

    def build_lock(self) -> AbstractContextManager[None]:
        """Only one build at a time, across processes (others wait)."""
        ...

    def new_build(self) -> IndexBuild: ...

    def swap_in(self, build: IndexBuild, catch_up) -> None:
        """Hold the live index's lock, let ``catch_up(writer)`` bring the new index up to
        date, then make it the live one in one step."""
        ...

    def search(self, search: EngineSearch) -> EnginePage: ...

    def known_words(self, words: list[str]) -> set[str]:
        """Which of these (unstemmed) words occur anywhere in the index."""
        ...

    def correct(self, word: str) -> str | None:
        """The closest indexed word to a misspelt one, or None."""
        ...

    def document_count(self) -> int: ...

    def position(self) -> int | None:
        """The outbox position the live index holds (None with no index)."""
        ...


def batched(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
