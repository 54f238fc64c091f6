"""One formula orders every result list: the web page, the practice widget and the API.

    score = relevance x (0.6 + 0.4 x proximity) x capacity x freshness

relevance  the engine's text score divided by the best score in this search (0..1];
           1 for every service when no words were typed (then distance alone orders).
proximity  1 / (1 + miles / 5): 1 on the doorstep, 0.5 at 5 miles, 0.2 at 20 miles.
           A service with no building (telephone, online) gets 0.35, as if ~9 miles
           away: it is kept and labelled, never dropped. With no postcode: 1 for all.
capacity   accepting 1, waiting list 0.85, full or paused 0.5: they sink below open ones.
freshness  1, or 0.8 for a listing nobody has confirmed for a long time.

Because relevance multiplies, distance can at most move a score by 40%: a service half
as relevant never overtakes a fully relevant one however close it is, while among
similarly relevant services (within ~40% of each other) the nearer one wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HALF_PROXIMITY_MILES = 5.0
REMOTE_PROXIMITY = 0.35
DISTANCE_SHARE = 0.4
CAPACITY_FACTORS = {"accepting": 1.0, "waiting_list": 0.85, "full": 0.5, "paused": 0.5}
STALE_FACTOR = 0.8


@dataclass(frozen=True)
class Candidate:
    service_id: str
    name: str
    capacity_status: str
    distance_miles: float | None
    is_remote: bool
    is_stale: bool = False


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    score: float
    relevance: float


def proximity(candidate: Candidate, has_origin: bool) -> float:
    if not has_origin:
        return 1.0
    if candidate.is_remote or candidate.distance_miles is None:
        return REMOTE_PROXIMITY
    return 1.0 / (1.0 + candidate.distance_miles / HALF_PROXIMITY_MILES)


def rank_score(relevance: float, candidate: Candidate, has_origin: bool) -> float:
    distance_part = (1 - DISTANCE_SHARE) + DISTANCE_SHARE * proximity(candidate, has_origin)
    capacity = CAPACITY_FACTORS.get(candidate.capacity_status, 1.0)
    freshness = STALE_FACTOR if candidate.is_stale else 1.0
    return relevance * distance_part * capacity * freshness


CAPACITY_ORDER = ("accepting", "waiting_list", "full", "paused")  # codes an engine stores
CAPACITY_FACTOR_BY_CODE = np.array([CAPACITY_FACTORS[status] for status in CAPACITY_ORDER])


def rank_scores(
    relevance: np.ndarray,
    distance_miles: np.ndarray,
    is_remote: np.ndarray,
    capacity_codes: np.ndarray,
    is_stale: np.ndarray,
    has_origin: bool,
) -> np.ndarray:
    """``rank_score`` for many candidates at once (an engine's arrays, same formula)."""
    if has_origin:
        near = 1.0 / (1.0 + distance_miles / HALF_PROXIMITY_MILES)
        unlocated = is_remote | ~np.isfinite(distance_miles)
        proximity_part = np.where(unlocated, REMOTE_PROXIMITY, near)
    else:
        proximity_part = np.ones(len(relevance))
    distance_part = (1 - DISTANCE_SHARE) + DISTANCE_SHARE * proximity_part
    freshness = np.where(is_stale, STALE_FACTOR, 1.0)
    return relevance * distance_part * CAPACITY_FACTOR_BY_CODE[capacity_codes] * freshness


def rank_score_sql(
    relevance: str, miles: str, remote: str, capacity: str, stale: str, has_origin: bool
) -> str:
    """``rank_score`` as a SQL expression over columns (a SQL engine's, same formula):
    ``miles`` NULL when unknown, ``capacity`` a code into ``CAPACITY_ORDER``."""
    if has_origin:
        near = f"1.0 / (1.0 + {miles} / {HALF_PROXIMITY_MILES})"
        proximity_part = (
            f"(CASE WHEN {remote} OR {miles} IS NULL THEN {REMOTE_PROXIMITY} ELSE {near} END)"
        )
    else:
        proximity_part = "1.0"
    distance_part = f"({1 - DISTANCE_SHARE} + {DISTANCE_SHARE} * {proximity_part})"
    factors = " ".join(
        f"WHEN {code} THEN {factor}" for code, factor in enumerate(CAPACITY_FACTOR_BY_CODE)
    )
    capacity_part = f"(CASE {capacity} {factors} ELSE 1.0 END)"
    freshness = f"(CASE WHEN {stale} THEN {STALE_FACTOR} ELSE 1.0 END)"
    return f"({relevance} * {distance_part} * {capacity_part} * {freshness})"


def rank_results(
    text_scores: dict[str, float], candidates: dict[str, Candidate], has_origin: bool
) -> list[Ranked]:
    """Order candidates that matched; ties go to the nearer, then by name."""
    best = max(text_scores.values(), default=0.0) or 1.0
    ranked = [
        Ranked(candidates[sid], rank_score(raw / best, candidates[sid], has_origin), raw / best)
        for sid, raw in text_scores.items()
        if sid in candidates
    ]
    ranked.sort(
        key=lambda r: (
            -round(r.score, 9),
            r.candidate.distance_miles if r.candidate.distance_miles is not None else 1e9,
            r.candidate.name.lower(),
        )
    )
    return ranked
