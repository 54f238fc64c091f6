"""Every indexed service's facts as numpy columns: filters, distance, ranking and paging.

An engine keeps one ``FactsTable`` per immutable piece of its index (a whoosh segment)
and joins them (``FactsTable.joined``) when the index changes; an edit therefore loads
only the few documents it wrote. A search is then a handful of vector operations over
the table, whatever the number of matches: exact counts and any page, with no list of
ids going to or from SQL.

Values that lists hold (categories, term ids, languages, organisation) are kept as
(document, label) pairs, the labels interned as integers (``LABELS``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, fields
from functools import cached_property

import numpy as np

from signpost.directory.models import CAPACITY_STATUSES, DELIVERY_MODES
from signpost.geo.distance import bounding_box, distances_miles
from signpost.search.engine import EngineHit, EnginePage, EngineSearch, Filters, ServiceFacts
from signpost.search.ranking import CAPACITY_ORDER, rank_scores

NO_AGE = -1
NEVER = 10**6  # an opening time that is missing never matches a clock comparison


class Labels:
    """Strings as small integers, the same for every table in this process."""

    def __init__(self) -> None:
        self._codes: dict[str, int] = {}
        self._lock = threading.Lock()

    def code(self, label: str) -> int:
        with self._lock:
            return self._codes.setdefault(label, len(self._codes))

    def known(self, label: str) -> int:
        """The label's code, or -1 if no table holds it (so nothing matches)."""
        return self._codes.get(label, -1)


LABELS = Labels()


@dataclass
class FactsTable:
    service_ids: np.ndarray  # object: the service id, None for a document that is not one
    capacity: np.ndarray  # int8 index into CAPACITY_ORDER
    verified_on: np.ndarray  # int32 proleptic ordinal, 0 for never
    last_modified: np.ndarray  # float64 epoch seconds
    is_free: np.ndarray
    modes: np.ndarray  # uint8 bit per DELIVERY_MODES
    self_referral: np.ndarray
    minimum_age: np.ndarray  # int16, NO_AGE when none
    maximum_age: np.ndarray
    name_keys: np.ndarray  # uint64: the folded name's first 8 bytes, for alphabetical ties
    name_keys_next: np.ndarray  # and its next 8
    label_docs: np.ndarray  # int32 (document, label) pairs
    label_codes: np.ndarray
    opening_docs: np.ndarray
    opening_days: np.ndarray
    opening_opens: np.ndarray  # seconds, NEVER when missing
    opening_closes: np.ndarray  # seconds, -1 when missing
    building_docs: np.ndarray
    building_latitudes: np.ndarray  # nan when not located
    building_longitudes: np.ndarray
    building_step_free: np.ndarray

    def __len__(self) -> int:
        return len(self.service_ids)

    @cached_property
    def has_building(self) -> np.ndarray:
        return _documents_of(self, self.building_docs)

    @cached_property
    def has_step_free_building(self) -> np.ndarray:
        return _documents_of(self, self.building_docs[self.building_step_free])

    @classmethod
    def from_facts(cls, rows: list[tuple[int, str, ServiceFacts] | None], size: int) -> FactsTable:
        """A table of ``size`` documents from (docnum, service id, facts) rows."""
        return _TableBuilder(size).add_all(rows).table()

    @classmethod
    def joined(cls, tables: list[FactsTable]) -> FactsTable:
        """One table of several, documents numbered on from each other."""
        offsets = np.cumsum([0] + [len(t) for t in tables[:-1]])
        columns = {}
        for column in fields(cls):
            parts = [getattr(t, column.name) for t in tables]
            if column.name.endswith("_docs"):
                parts = [part + offset for part, offset in zip(parts, offsets, strict=True)]
            columns[column.name] = np.concatenate(parts) if parts else np.zeros(0)
        return cls(**columns)


class _TableBuilder:
    def __init__(self, size: int) -> None:
        self.size = size
        self.columns = {
            "service_ids": np.full(size, None, dtype=object),
            "capacity": np.zeros(size, dtype=np.int8),
            "verified_on": np.zeros(size, dtype=np.int32),
            "last_modified": np.zeros(size, dtype=np.float64),
            "is_free": np.zeros(size, dtype=bool),
            "modes": np.zeros(size, dtype=np.uint8),
            "self_referral": np.zeros(size, dtype=bool),
            "minimum_age": np.full(size, NO_AGE, dtype=np.int16),
            "maximum_age": np.full(size, NO_AGE, dtype=np.int16),
            "name_keys": np.zeros(size, dtype=np.uint64),
            "name_keys_next": np.zeros(size, dtype=np.uint64),
        }
        self.labels: list[tuple[int, int]] = []
        self.openings: list[tuple[int, int, int, int]] = []
        self.buildings: list[tuple[int, float, float, bool]] = []

    def add_all(self, rows) -> _TableBuilder:
        for docnum, service_id, facts in rows:
            self.add(docnum, service_id, facts)
        return self

    def add(self, docnum: int, service_id: str, facts: ServiceFacts) -> None:
        c = self.columns
        c["service_ids"][docnum] = service_id
        c["capacity"][docnum] = _capacity_code(facts.capacity_status)
        c["verified_on"][docnum] = facts.verified_on.toordinal() if facts.verified_on else 0
        c["last_modified"][docnum] = facts.last_modified
        c["is_free"][docnum] = facts.is_free
        c["modes"][docnum] = sum(
            1 << DELIVERY_MODES.index(m) for m in facts.delivery_modes if m in DELIVERY_MODES
        )
        c["self_referral"][docnum] = facts.access_route in ("self", "either")
        c["minimum_age"][docnum] = _age(facts.minimum_age)
        c["maximum_age"][docnum] = _age(facts.maximum_age)
        c["name_keys"][docnum], c["name_keys_next"][docnum] = name_keys(facts.name)
        labels = (
            [f"c:{code}" for code in facts.category_codes]
            + [f"t:{term}" for term in facts.term_ids]
            + [f"x:{taxonomy}" for taxonomy in facts.taxonomy_ids]
            + [f"l:{language}" for language in facts.languages]
            + [f"o:{facts.organization_id}"]
        )
        self.labels.extend((docnum, LABELS.code(label)) for label in labels)
        for opening in facts.openings:
            opens = NEVER if opening.opens_at is None else opening.opens_at
            closes = -1 if opening.closes_at is None else opening.closes_at
            self.openings.append((docnum, opening.weekday, opens, closes))
        for building in facts.buildings:
            latitude = np.nan if building.latitude is None else building.latitude
            longitude = np.nan if building.longitude is None else building.longitude
            self.buildings.append((docnum, latitude, longitude, building.wheelchair_accessible))

    def table(self) -> FactsTable:
        labels = np.array(self.labels, dtype=np.int64).reshape(-1, 2)
        openings = np.array(self.openings, dtype=np.int64).reshape(-1, 4)
        buildings = np.array(self.buildings, dtype=np.float64).reshape(-1, 4)
        return FactsTable(
            **self.columns,
            label_docs=labels[:, 0].astype(np.int32),
            label_codes=labels[:, 1].astype(np.int32),
            opening_docs=openings[:, 0].astype(np.int32),
            opening_days=openings[:, 1].astype(np.int8),
            opening_opens=openings[:, 2].astype(np.int32),
            opening_closes=openings[:, 3].astype(np.int32),
            building_docs=buildings[:, 0].astype(np.int32),
            building_latitudes=buildings[:, 1].copy(),
            building_longitudes=buildings[:, 2].copy(),
            building_step_free=buildings[:, 3].astype(bool),
        )


def _capacity_code(status: str) -> int:
    return CAPACITY_ORDER.index(status) if status in CAPACITY_ORDER else 0


def _age(age: int | None) -> int:
    return NO_AGE if age is None else max(0, min(int(age), 32000))


def name_keys(name: str) -> tuple[int, int]:
    """The folded name's first 16 bytes as two numbers: alphabetical order (names alike
    that far are ordered by when they were indexed)."""
    folded = name.casefold().encode("utf-8")[:16].ljust(16, b"\0")
    return int.from_bytes(folded[:8], "big"), int.from_bytes(folded[8:], "big")


assert CAPACITY_ORDER == CAPACITY_STATUSES  # the codes an index stores mean the same


# --- searching a table -------------------------------------------------------------------


@dataclass
class Chunk:
    """Part of an index searched as one table: documents ``offset`` onwards."""

    table: FactsTable
    live: np.ndarray  # documents that are current services
    offset: int


@dataclass
class _Matches:
    """One chunk's matching documents and what ranks them."""

    chunk: Chunk
    docs: np.ndarray  # local docnums
    raw: np.ndarray  # text scores (1 with no words)
    distances: np.ndarray
    is_remote: np.ndarray
    buildings: int


def search_chunks(
    chunks: list[Chunk], search: EngineSearch, text_scores: np.ndarray | None
) -> EnginePage:
    """The page ``search`` asks for, and the exact number of services that match.

    ``text_scores``: the engine's raw text score per document of the whole index (0 = no
    match), or None when no words were typed. Each chunk is filtered on its own; only
    the best score (relevance is a share of it), the count and the page are shared.
    """
    found = [_matches(chunk, search, text_scores) for chunk in chunks]
    found = [matches for matches in found if len(matches.docs)]
    total = sum(len(matches.docs) for matches in found)
    buildings_total = sum(matches.buildings for matches in found)
    if not total:
        return EnginePage([], 0, 0)
    best = max(float(matches.raw.max()) for matches in found)
    end = search.offset + search.limit
    rows = [_best_of(matches, best, search, end) for matches in found]
    keys = {name: np.concatenate([row[name] for row in rows]) for name in rows[0]}
    order = np.lexsort(
        (keys["global"], keys["name_next"], keys["name"], keys["distance"], -keys["rounded"])
    )[search.offset : end]
    hits = [
        EngineHit(
            service_id=keys["service_id"][i],
            score=float(keys["score"][i]),
            relevance=float(keys["relevance"][i]),
            distance_miles=_miles(keys["distance"][i], keys["remote"][i]),
            is_remote=bool(keys["remote"][i]),
        )
        for i in order
    ]
    return EnginePage(hits, total, buildings_total)


def _matches(chunk: Chunk, search: EngineSearch, text_scores) -> _Matches:
    table = chunk.table
    mask = chunk.live & filter_mask(table, search.filters)
    raw = None
    if text_scores is not None:
        raw = text_scores[chunk.offset : chunk.offset + len(table)]
        mask &= raw > 0
    distances, has_building, building_miles = _distances(table, search, mask)
    within_radius = search.origin is not None and search.radius_miles is not None
    if within_radius:
        mask &= ~has_building | (distances <= search.radius_miles)
    if search.filters.building_required:
        mask &= np.isfinite(distances)
    docs = np.flatnonzero(mask)
    buildings = 0
    if search.count_buildings and len(docs):
        counted = mask[table.building_docs]
        if within_radius:
            counted &= building_miles <= search.radius_miles
        buildings = int(np.count_nonzero(counted))
    return _Matches(
        chunk,
        docs,
        np.ones(len(docs)) if raw is None else raw[docs],
        distances[docs],
        ~has_building[docs],
        buildings,
    )


def _best_of(matches: _Matches, best: float, search: EngineSearch, end: int) -> dict:
    """The chunk's candidates for the page: those scoring at least its ``end``-th best
    (any page's rows are among them), with their sort keys."""
    table, docs = matches.chunk.table, matches.docs
    relevance = matches.raw / best
    stale_before = search.stale_before.toordinal() if search.stale_before else 0
    scores = rank_scores(
        relevance,
        matches.distances,
        matches.is_remote,
        table.capacity[docs],
        table.verified_on[docs] < stale_before,
        search.origin is not None,
    )
    rounded = np.round(scores, 9)
    kept = slice(None)
    if end < len(docs):
        threshold = -np.partition(-rounded, end - 1)[end - 1]
        kept = np.flatnonzero(rounded >= threshold)
    chosen = docs[kept]
    return {
        "rounded": rounded[kept],
        "score": scores[kept],
        "relevance": relevance[kept],
        "distance": matches.distances[kept],
        "remote": matches.is_remote[kept],
        "name": table.name_keys[chosen],
        "name_next": table.name_keys_next[chosen],
        "global": chosen + matches.chunk.offset,
        "service_id": table.service_ids[chosen],
    }


def _miles(distance: float, is_remote: bool) -> float | None:
    return None if is_remote or not np.isfinite(distance) else float(distance)


def _distances(table: FactsTable, search: EngineSearch, mask: np.ndarray):
    """Each document's nearest usable building in miles (inf: none, or no origin),
    whether it has a building at all (a step-free one, with the wheelchair filter), and
    each building's miles (inf where not worked out: outside the box, or no origin)."""
    usable = table.building_step_free if search.filters.wheelchair else None
    has_building = table.has_building if usable is None else table.has_step_free_building
    distances = np.full(len(table), np.inf)
    building_miles = np.full(len(table.building_docs), np.inf)
    if search.origin is None:
        return distances, has_building, building_miles
    latitude, longitude = search.origin
    latitudes, longitudes = table.building_latitudes, table.building_longitudes
    near = mask[table.building_docs]
    if usable is not None:
        near &= usable
    if search.radius_miles is not None:
        box = bounding_box(latitude, longitude, search.radius_miles)
        near &= (latitudes >= box.min_latitude) & (latitudes <= box.max_latitude)
        near &= (longitudes >= box.min_longitude) & (longitudes <= box.max_longitude)
    else:
        near &= ~np.isnan(latitudes)
    rows = np.flatnonzero(near)
    miles = distances_miles(latitude, longitude, latitudes[rows], longitudes[rows])
    np.minimum.at(distances, table.building_docs[rows], miles)
    building_miles[rows] = miles
    return distances, has_building, building_miles


def filter_mask(table: FactsTable, filters: Filters) -> np.ndarray:
    mask = np.ones(len(table), dtype=bool)
    if filters.categories:
        mask &= _having_labels(table, [f"c:{code}" for code in filters.categories])
    for prefix, value in (
        ("l", filters.language),
        ("t", filters.taxonomy_term_id),
        ("x", filters.taxonomy_id),
        ("o", filters.organization_id),
    ):
        if value:
            mask &= _having_labels(table, [f"{prefix}:{value}"])
    if filters.free_only:
        mask &= table.is_free
    if filters.delivery_mode in DELIVERY_MODES:
        mask &= (table.modes & (1 << DELIVERY_MODES.index(filters.delivery_mode))) != 0
    if filters.self_referral:
        mask &= table.self_referral
    if filters.age is not None:
        mask &= (table.minimum_age == NO_AGE) | (table.minimum_age <= filters.age)
        mask &= (table.maximum_age == NO_AGE) | (table.maximum_age >= filters.age)
    if filters.minimum_age_at_least is not None:  # no minimum age is a minimum of 0
        mask &= np.maximum(table.minimum_age, 0) >= filters.minimum_age_at_least
    if filters.maximum_age_at_most is not None:  # no maximum age is no limit
        mask &= (table.maximum_age != NO_AGE) & (table.maximum_age <= filters.maximum_age_at_most)
    if filters.modified_after is not None:
        mask &= table.last_modified >= filters.modified_after
    if filters.wheelchair:
        mask &= ~table.has_building | table.has_step_free_building
    mask &= _opening_mask(table, filters)
    return mask


def _opening_mask(table: FactsTable, filters: Filters) -> np.ndarray:
    """Open on the day (and at the time) the search page asks, and for the API's day and
    times: each is "has an opening that ...", as SQL's EXISTS was."""
    mask = np.ones(len(table), dtype=bool)
    days, opens, closes = table.opening_days, table.opening_opens, table.opening_closes
    if filters.open_weekday is not None:
        rows = days == filters.open_weekday
        if filters.open_at is not None:
            rows &= (opens <= filters.open_at) & (closes > filters.open_at)
        mask &= _documents_of(table, table.opening_docs[rows])
    api_conditions = [
        (filters.opening_weekday, lambda day: days == day),
        (filters.opening_after, lambda moment: closes > moment),
        (filters.opening_before, lambda moment: opens < moment),
    ]
    if any(value is not None for value, _ in api_conditions):
        rows = np.ones(len(days), dtype=bool)
        for value, condition in api_conditions:
            if value is not None:
                rows &= condition(value)
        mask &= _documents_of(table, table.opening_docs[rows])
    return mask


def _having_labels(table: FactsTable, labels: list[str]) -> np.ndarray:
    codes = [LABELS.known(label) for label in labels]
    return _documents_of(table, table.label_docs[np.isin(table.label_codes, codes)])


def _documents_of(table: FactsTable, docnums: np.ndarray) -> np.ndarray:
    mask = np.zeros(len(table), dtype=bool)
    mask[docnums] = True
    return mask
