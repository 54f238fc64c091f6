"""One search as one SQL statement over ``search_document``.

Near a postcode the statement reads two sets of rows, each through its own index: the
services with a building in the box around the postcode (GiST on ``extent``, and GIN on
the words, which PostgreSQL combines), and the services with no building at all (a
partial GIN index), which match from anywhere as the ranking formula wants. The exact
distance to each service's nearest building is then worked out for those rows only.

The text score is a sum over the query's word stems: each stem's weight (typed word,
phrase, synonym) times its rarity (BM25's idf over ``search_term``'s counts) times
``ts_rank`` of that stem alone, with the fields weighted name 3, categories 2,
description 1, eligibility 0.5 (the whoosh engine's weights). The ranking formula comes
from ``ranking.rank_score_sql``, so both engines order results the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import log

from signpost.directory.models import DELIVERY_MODES
from signpost.geo.distance import EARTH_RADIUS_MILES, bounding_box
from signpost.search.engine import EngineSearch, Filters
from signpost.search.ranking import rank_score_sql

# ts_rank's weights are for the fields D (eligibility), C (description), B (categories) and
# A (name), each at most 1. The engine's field weights (whoosh's): name 3, categories 2,
# description 1, eligibility 0.5; one field at a time for the exact score.
ALL_FIELDS = "{0.1666667, 0.3333333, 0.6666667, 1.0}"
FIELD_MASKS = (
    ("{0, 0, 0, 1}", 3.0),
    ("{0, 0, 1, 0}", 2.0),
    ("{0, 1, 0, 0}", 1.0),
    ("{1, 0, 0, 0}", 0.5),
)
# Every match gets a cheap estimate of its score; the best this many by it get the exact
# score and are ordered by it, then the next this many, and so on as far as the page asked
# for: so pages never overlap, and when no more than this many match (any one town's
# directory) the order is exactly the ranking formula's.
CANDIDATES = 200


@dataclass(frozen=True)
class StemTerm:
    lexeme: str
    weight: float  # how sure we are it names the need (``WeightedTerm.weight``)
    documents: int  # services whose text holds it


def idf(documents: int, total: int) -> float:
    """BM25's inverse document frequency (as whoosh computes it)."""
    return log(1.0 + (total - documents + 0.5) / (documents + 0.5))


def tsquery_literal(lexemes: list[str]) -> str:
    """``'a' | 'b'``: lexemes quoted as tsquery text (never parsed as operators)."""
    quoted = ("'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes)
    return " | ".join(quoted)


class SearchStatement:
    """The SQL text and parameters for one ``EngineSearch``."""

    def __init__(self, search: EngineSearch, terms: list[StemTerm] | None, total: int) -> None:
        self.search = search
        self.terms = terms
        self.params: dict = {"limit": search.limit, "offset": search.offset}
        self._total_documents = max(total, 1)

    def sql(self) -> str:
        search = self.search
        filters = self._filters(search.filters)
        if search.origin is not None and search.radius_miles is not None:
            matched = (
                self._branch(filters + [self._in_box()], located=True)
                + " UNION ALL "
                + self._branch(filters + ["NOT d.has_building"], located=False)
            )
        else:
            matched = self._branch(filters, located=search.origin is not None)
        kept = ["true"]
        if search.origin is not None and search.radius_miles is not None:
            self.params["radius"] = search.radius_miles
            kept.append("(remote OR miles <= :radius)")
            # OFFSET 0 keeps the planner from working out each distance twice (once in
            # the radius test pushed into the scan, once for the result).
            matched = f"SELECT * FROM ({matched}) AS located OFFSET 0"
        if search.filters.building_required:
            kept.append("miles IS NOT NULL")
        chunks = -(-(search.offset + search.limit) // CANDIDATES)  # rounded up
        self.params.update(candidates=chunks * CANDIDATES, chunk_size=CANDIDATES)
        has_origin = search.origin is not None
        stale = self._stale("verified_on")
        estimate = rank_score_sql("estimate", "miles", "remote", "capacity", stale, has_origin)
        score = rank_score_sql("relevance", "miles", "remote", "capacity", stale, has_origin)
        return f"""
        WITH matched AS ({matched}),
        candidates AS MATERIALIZED (
            SELECT m.*, {estimate} AS estimated_score,
                   count(*) OVER () AS total, sum(m.buildings) OVER () AS buildings_total
            FROM matched m WHERE {" AND ".join(kept)}
            ORDER BY estimated_score DESC, m.service_id
            LIMIT :candidates),
        scored AS (
            SELECT c.*, {self._exact_text_score()} AS raw,
                   (row_number() OVER (ORDER BY c.estimated_score DESC, c.service_id) - 1)
                     / :chunk_size AS chunk
            FROM candidates c JOIN search_document d ON d.service_id = c.service_id),
        ranked AS (
            SELECT s.*, s.raw / max(s.raw) FILTER (WHERE s.chunk = 0) OVER () AS relevance
            FROM scored s),
        page AS (
            SELECT r.*, {score} AS score FROM ranked r)
        SELECT stats.total, stats.buildings_total, page.service_id, page.relevance,
               page.miles, page.remote, page.score
        FROM (SELECT max(total) AS total, max(buildings_total) AS buildings_total
              FROM candidates) AS stats
        LEFT JOIN LATERAL (
            SELECT * FROM page
            ORDER BY page.chunk, round(page.score::numeric, 9) DESC,
                     page.miles ASC NULLS LAST, page.name_key, page.service_id
            LIMIT :limit OFFSET :offset
        ) page ON true
        """

    # --- one set of rows ----------------------------------------------------------------
    def _branch(self, conditions: list[str], located: bool) -> str:
        if self.terms is not None:
            self.params["query"] = tsquery_literal([term.lexeme for term in self.terms])
            conditions = ["d.words @@ CAST(:query AS tsquery)", *conditions]
        miles = self._miles() if located else "NULL::double precision"
        remote = "NOT d.has_building" if located else "true"
        where = " AND ".join(conditions) or "true"
        return f"""
        SELECT d.service_id, d.capacity, d.verified_on, d.name_key,
               {miles} AS miles, {remote} AS remote, {self._estimated_text_score()} AS estimate,
               {self._buildings()} AS buildings
        FROM search_document d WHERE {where}"""

    def _estimated_text_score(self) -> str:
        """A cheap score for every match: one ``ts_rank`` per group of equally weighted
        stems, times the group's weight and its stems' mean rarity."""
        if self.terms is None:
            return "1.0::double precision"
        groups: dict[float, list[StemTerm]] = {}
        for term in self.terms:
            groups.setdefault(term.weight, []).append(term)
        parts = []
        for number, (weight, terms) in enumerate(sorted(groups.items(), reverse=True)):
            self.params[f"group{number}"] = tsquery_literal([term.lexeme for term in terms])
            rarity = sum(idf(term.documents, self._total_documents) for term in terms) / len(terms)
            parts.append(
                f"{weight * rarity!r} * ts_rank('{ALL_FIELDS}', d.words, "
                f"CAST(:group{number} AS tsquery), 0)"
            )
        return "(" + " + ".join(parts) + ")::double precision"

    def _exact_text_score(self) -> str:
        """BM25F's shape: for each stem, its weight x rarity x the sum over the fields it
        occurs in of the field's weight x its (saturating) frequency there."""
        if self.terms is None:
            return "1.0::double precision"
        parts = []
        for number, term in enumerate(self.terms):
            self.params[f"stem{number}"] = tsquery_literal([term.lexeme])
            factor = term.weight * idf(term.documents, self._total_documents)
            fields = " + ".join(
                f"{boost!r} * ts_rank('{mask}', d.words, CAST(:stem{number} AS tsquery), 0)"
                for mask, boost in FIELD_MASKS
            )
            parts.append(f"{factor!r} * ({fields})")
        return "(" + " + ".join(parts) + ")::double precision"

    # --- distance -----------------------------------------------------------------------
    def _miles(self) -> str:
        """Miles to the nearest usable building (step-free, with the wheelchair filter)."""
        latitude, longitude = self.search.origin
        self.params.update(origin_latitude=latitude, origin_longitude=longitude)
        step_free_only = self.search.filters.wheelchair
        single = _haversine("d.latitudes[1]", "d.longitudes[1]")
        if step_free_only:
            single = f"CASE WHEN d.step_free[1] THEN {single} END"
        usable = " AND b.free" if step_free_only else ""
        several = (
            f"(SELECT min({_haversine('b.lat', 'b.lon')}) "
            f"FROM unnest(d.latitudes, d.longitudes, d.step_free) AS b(lat, lon, free) "
            f"WHERE b.lat IS NOT NULL{usable})"
        )
        return f"(CASE WHEN cardinality(d.latitudes) = 1 THEN {single} ELSE {several} END)"

    def _buildings(self) -> str:
        """How many of the service's buildings count (``count_buildings``), else 0."""
        search = self.search
        if not search.count_buildings:
            return "0"
        if search.origin is None or search.radius_miles is None:
            return "cardinality(d.latitudes)"
        usable = " AND b.free" if search.filters.wheelchair else ""
        return (
            f"(SELECT count(*) FROM unnest(d.latitudes, d.longitudes, d.step_free) "
            f"AS b(lat, lon, free) WHERE b.lat IS NOT NULL{usable} "
            f"AND {_haversine('b.lat', 'b.lon')} <= :radius)"
        )

    def _in_box(self) -> str:
        latitude, longitude = self.search.origin
        box = bounding_box(latitude, longitude, self.search.radius_miles)
        self.params.update(
            box_west=box.min_longitude,
            box_south=box.min_latitude,
            box_east=box.max_longitude,
            box_north=box.max_latitude,
        )
        return "d.extent && box(point(:box_west, :box_south), point(:box_east, :box_north))"

    def _stale(self, column: str) -> str:
        if self.search.stale_before is None:
            return "false"
        self.params["stale_before"] = self.search.stale_before
        return f"({column} IS NULL OR {column} < :stale_before)"

    # --- filters ------------------------------------------------------------------------
    def _filters(self, filters: Filters) -> list[str]:
        conditions, params = [], self.params
        if filters.categories:
            params["categories"] = [f"c:{code}" for code in filters.categories]
            conditions.append("d.labels && CAST(:categories AS text[])")
        required = [
            f"{prefix}:{value}"
            for prefix, value in (
                ("l", filters.language),
                ("t", filters.taxonomy_term_id),
                ("x", filters.taxonomy_id),
                ("o", filters.organization_id),
            )
            if value
        ]
        if required:
            params["required_labels"] = required
            conditions.append("d.labels @> CAST(:required_labels AS text[])")
        if filters.free_only:
            conditions.append("d.is_free")
        if filters.delivery_mode in DELIVERY_MODES:
            bit = 1 << DELIVERY_MODES.index(filters.delivery_mode)
            conditions.append(f"(d.modes & {bit}) <> 0")
        if filters.self_referral:
            conditions.append("d.self_referral")
        if filters.age is not None:
            params["age"] = filters.age
            conditions.append(
                "(d.minimum_age IS NULL OR d.minimum_age <= :age)"
                " AND (d.maximum_age IS NULL OR d.maximum_age >= :age)"
            )
        if filters.minimum_age_at_least is not None:  # no minimum age is a minimum of 0
            params["minimum_age_at_least"] = filters.minimum_age_at_least
            conditions.append("greatest(coalesce(d.minimum_age, 0), 0) >= :minimum_age_at_least")
        if filters.maximum_age_at_most is not None:  # no maximum age is no limit
            params["maximum_age_at_most"] = filters.maximum_age_at_most
            conditions.append("d.maximum_age IS NOT NULL AND d.maximum_age <= :maximum_age_at_most")
        if filters.modified_after is not None:
            params["modified_after"] = filters.modified_after
            conditions.append("d.last_modified >= :modified_after")
        if filters.wheelchair:
            conditions.append("(NOT d.has_building OR d.has_step_free_building)")
        conditions += self._opening_conditions(filters)
        return conditions

    def _opening_conditions(self, filters: Filters) -> list[str]:
        """Open on the day (and at the time) the search page asks, and for the API's day
        and times: each "has an opening that ..."."""
        conditions = []
        if filters.open_weekday is not None:
            self.params["open_weekday"] = filters.open_weekday
            rows = ["o.day = :open_weekday"]
            if filters.open_at is not None:
                self.params["open_at"] = filters.open_at
                rows.append("o.opens <= :open_at AND o.closes > :open_at")
            conditions.append(_has_opening(rows))
        api_rows = []
        for name, value, condition in (
            ("opening_weekday", filters.opening_weekday, "o.day = :opening_weekday"),
            ("opening_after", filters.opening_after, "o.closes > :opening_after"),
            ("opening_before", filters.opening_before, "o.opens < :opening_before"),
        ):
            if value is not None:
                self.params[name] = value
                api_rows.append(condition)
        if api_rows:
            conditions.append(_has_opening(api_rows))
        return conditions


def _has_opening(conditions: list[str]) -> str:
    return (
        "EXISTS (SELECT 1 FROM unnest(d.opening_days, d.opening_opens, d.opening_closes) "
        f"AS o(day, opens, closes) WHERE {' AND '.join(conditions)})"
    )


def _haversine(latitude: str, longitude: str) -> str:
    """Great-circle miles from the origin (``geo.distance.distances_miles`` in SQL)."""
    return (
        f"(2 * {EARTH_RADIUS_MILES!r}::float8 * asin(sqrt(least(1::float8, greatest(0::float8, "
        f"sin(radians({latitude} - :origin_latitude) / 2) ^ 2 "
        f"+ cos(radians(:origin_latitude)) * cos(radians({latitude})) "
        f"* sin(radians({longitude} - :origin_longitude) / 2) ^ 2)))))"
    )
