"""The fair reference: the same search written as directly as SQLite allows.

A separate SQLite file holds the published services under integer rowids: an FTS5 table
(porter stemming; columns name, categories, description weighted 3, 2, 1 in ``bm25``, as
the engine weighs its fields), merged into one segment (``optimize``), and the buildings
for the distance box. A search then does only what the result needs:

1. Box first: the buildings inside the bounding box of the radius, their exact
   great-circle distance (haversine, the app's Earth radius), nearest building per
   service, kept within the radius; services with no building are always kept (as
   Signpost keeps them). These go in a temporary table keyed by rowid.
2. Text: FTS5 ``MATCH`` of the engine's own weighted words (``build_engine_query``: typed,
   corrected, synonyms), joined to the nearby services, so ``bm25`` is computed only for
   matches within the radius. Per-word weights are exact, not approximated: FTS5's bm25
   is a sum over the query's phrases, so the search runs one MATCH per distinct weight
   (an OR of those words) and adds weight x bm25. Rowids are numbered in order of
   latitude (services with no building last), so a box is a rowid range that FTS5 seeks
   to instead of merging the whole country's postings.
3. Rank in SQL with the same formula (``signpost.search.ranking``): relevance = bm25 over
   the best bm25 in the radius, x (0.6 + 0.4 x proximity) x capacity x freshness
   (capacity x freshness is worked out once per service when the file is built). The
   exact number of matches within the radius and the top 20: page 1, as Signpost's page.

Formulations tried on 10,000 services, in one session (p50 / p95, ms), the fastest kept:
distances in numpy and a temporary table filled from Python, 4.4 / 10.2; everything in
one SQL statement with the box as a CTE, 9.6 / 15.9; bm25 for every match in the
country and the box after (the old reference), 9.6 / 15.4; the nearby rowids passed as
``rowid IN (SELECT value FROM json_each(?))``, 134 / 468; the nearby services driving
the join (FTS5 re-run per rowid), ~126 median. Kept: the box into a temporary table in
SQL, then one ranking statement, 3.5 / 7.9 with rowids in any order, 3.3 / 7.1 with
rowids in latitude order (likely more at larger sizes, where the country's postings are
longer; not yet measured there). A larger page cache and mmap made no difference. For
the box: a plain table with a (latitude, longitude, service) index, 3.3 / 7.1, or an
R*Tree, 3.7 / 8.5; the faster of the two on each directory is used (``choose_box``) and
reported. The R*Tree keeps exact coordinates beside its 32-bit box: rounded ones moved
a service across the radius.

Checked against a plain computation (bm25 of each word alone for every match in the
country, numpy distances, ``ranking.rank_results``): the same totals and the same top 20
on 60 searches. The synonym expansion is worked out before the clock starts, and the
reference is given the postcode's coordinates (a 17 us lookup in Signpost).
"""

from __future__ import annotations

import math
import sqlite3
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

import entry_points as signpost
from entry_points import EARTH_RADIUS_MILES, bounding_box

BOXES = ("btree", "rtree")
PAGE_SIZE = 20
SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
CREATE TABLE listing (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, factor REAL NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(
    name, categories, description, content = '', tokenize = 'porter unicode61');
CREATE TABLE building (latitude REAL NOT NULL, longitude REAL NOT NULL, service INTEGER);
CREATE VIRTUAL TABLE building_rtree USING rtree(
    id, min_lat, max_lat, min_lon, max_lon, +latitude REAL, +longitude REAL, +service INTEGER);
"""
AFTER_LOAD = """
CREATE INDEX building_box ON building (latitude, longitude, service);
INSERT INTO fts (fts) VALUES ('optimize');
ANALYZE;
"""
HAVERSINE = (
    "2 * :earth * asin(sqrt(pow(sin((radians(latitude) - :lat) / 2), 2)"
    " + :cos_lat * cos(radians(latitude)) * pow(sin((radians(longitude) - :lon) / 2), 2)))"
)
BOX_SOURCES = {
    "btree": "building WHERE latitude BETWEEN :south AND :north"
    " AND longitude BETWEEN :west AND :east",
    # Overlap, not containment: the R*Tree's 32-bit boxes are rounded outwards.
    "rtree": "building_rtree WHERE max_lat >= :south AND min_lat <= :north"
    " AND max_lon >= :west AND min_lon <= :east",
}


def build_reference(path: Path) -> dict:
    """Write the reference file from the app's database (inside an app context)."""
    started = time.perf_counter()
    path.unlink(missing_ok=True)
    constants = signpost.ranking_constants()
    stale_before = date.today() - timedelta(days=constants["stale_after_days"])
    listings = {row[0]: row for row in signpost.published_listings()}
    buildings = [row for row in signpost.published_buildings() if row[0] in listings]
    first_latitude: dict[str, float] = {}
    for service_id, latitude, _ in sorted(buildings, key=lambda row: row[1]):
        first_latitude.setdefault(service_id, latitude)
    # Numbered by latitude, services with no building last: a box is then a rowid range.
    order = sorted(listings, key=lambda sid: (sid not in first_latitude, first_latitude.get(sid)))
    rowid = {service_id: number for number, service_id in enumerate(order, 1)}
    connection = sqlite3.connect(path)
    connection.executescript(SCHEMA)
    connection.executemany(
        "INSERT INTO listing VALUES (?, ?, ?)",
        ((rowid[sid], sid, _factor(listings[sid], constants, stale_before)) for sid in order),
    )
    connection.executemany(
        "INSERT INTO fts (rowid, name, categories, description) VALUES (?, ?, ?, ?)",
        ((rowid[sid], row[1], row[3], row[2]) for sid, row in listings.items()),
    )
    located = [(lat, lon, rowid[sid]) for sid, lat, lon in buildings]
    connection.executemany("INSERT INTO building VALUES (?, ?, ?)", located)
    connection.executemany(
        "INSERT INTO building_rtree VALUES (NULL, ?, ?, ?, ?, ?, ?, ?)",
        ((lat, lat, lon, lon, lat, lon, sid) for lat, lon, sid in located),
    )
    connection.executescript(AFTER_LOAD)
    connection.commit()
    connection.close()
    return {"reference_build_s": time.perf_counter() - started}


def _factor(listing: tuple, constants: dict, stale_before: date) -> float:
    """capacity x freshness for one service (the same rule as Signpost's search)."""
    _, _, _, _, capacity, assured, feedback_on = listing
    dates = [_as_date(value) for value in (assured, feedback_on) if value is not None]
    stale = not dates or max(dates) < stale_before
    freshness = constants["stale_factor"] if stale else 1.0
    return constants["capacity_factors"].get(capacity, 1.0) * freshness


def _as_date(value) -> date:
    return date.fromisoformat(value[:10]) if isinstance(value, str) else value


class Reference:
    """An open reference file, ready to search from any point."""

    def __init__(self, path: Path, radius_miles: float, constants: dict, box: str = "btree"):
        self.connection = sqlite3.connect(path)
        self.radius_miles = radius_miles
        self.constants = constants
        self.box = box
        self.connection.executescript(
            "CREATE TEMP TABLE near (service INTEGER PRIMARY KEY, miles REAL);"
            "INSERT INTO temp.near SELECT rowid, NULL FROM listing"
            " WHERE rowid NOT IN (SELECT service FROM building);"
        )
        self.remote = self.connection.execute(
            "SELECT min(service), max(service) FROM temp.near"
        ).fetchone()
        (last_located,) = self.connection.execute("SELECT max(service) FROM building").fetchone()
        # The two rowid ranges searched must not overlap, or a match would count twice.
        assert self.remote[0] is None or last_located is None or last_located < self.remote[0]

    def search(self, terms: list[tuple[str, float]], latitude: float, longitude: float):
        """(top 20 service ids, exact total) within the radius, ranked by the formula."""
        located = self._fill_near(latitude, longitude)
        groups: dict[float, list[str]] = {}
        for word, weight in terms:
            groups.setdefault(weight, []).append('"' + word.replace('"', '""') + '"')
        ranges = [r for r in (located, self.remote) if r[0] is not None]
        if not groups or not ranges:
            return [], 0
        scans, parameters = [], []
        for weight, words in groups.items():
            for low, high in ranges:
                scans.append(
                    f"SELECT f.rowid AS service, n.miles AS miles, {weight!r} * -bm25(fts, 3.0,"
                    " 2.0, 1.0) AS s FROM fts f JOIN temp.near n ON n.service = f.rowid"
                    " WHERE fts MATCH ? AND f.rowid BETWEEN ? AND ?"
                )
                parameters += [" OR ".join(words), low, high]
        rows = self.connection.execute(self._ranking_sql(scans), parameters).fetchall()
        return [row[0] for row in rows], rows[0][2] if rows else 0

    def _fill_near(self, latitude: float, longitude: float) -> tuple:
        """The services with a building within the radius, into temp.near; their rowid range."""
        south, north, west, east = bounding_box(latitude, longitude, self.radius_miles)
        self.connection.execute("DELETE FROM temp.near WHERE miles IS NOT NULL")
        self.connection.execute(
            f"INSERT INTO temp.near SELECT service, min({HAVERSINE}) AS miles"
            f" FROM {BOX_SOURCES[self.box]} GROUP BY service HAVING miles <= :radius",
            {
                "earth": EARTH_RADIUS_MILES,
                "lat": math.radians(latitude),
                "lon": math.radians(longitude),
                "cos_lat": math.cos(math.radians(latitude)),
                "south": south,
                "north": north,
                "west": west,
                "east": east,
                "radius": self.radius_miles,
            },
        )
        return self.connection.execute(
            "SELECT min(service), max(service) FROM temp.near WHERE miles IS NOT NULL"
        ).fetchone()

    def _ranking_sql(self, scans: list[str]) -> str:
        k = self.constants
        proximity = (
            f"coalesce(1.0 / (1.0 + miles / {k['half_proximity_miles']!r}),"
            f" {k['remote_proximity']!r})"
        )
        distance_part = f"({1 - k['distance_share']!r} + {k['distance_share']!r} * {proximity})"
        # A lone scan would be flattened into the aggregate, where FTS5 refuses bm25.
        hits = " UNION ALL ".join(scans) + " UNION ALL SELECT NULL, NULL, NULL WHERE 0"
        return (
            f"WITH hits AS MATERIALIZED ({hits}),"
            " matched AS (SELECT service, miles, sum(s) AS s FROM hits GROUP BY service),"
            " best AS (SELECT max(s) AS s, count(*) AS total FROM matched)"
            f" SELECT l.id, m.s / best.s * {distance_part} * l.factor AS score, best.total"
            " FROM matched m JOIN listing l ON l.rowid = m.service, best"
            f" ORDER BY score DESC, coalesce(miles, 1e9) LIMIT {PAGE_SIZE}"
        )


def choose_box(path: Path, radius_miles: float, constants: dict, cases: list) -> dict:
    """Which box (indexed table or R*Tree) is faster on this directory: median of each
    over the same searches, twice, in alternation."""
    timings: dict[str, list[float]] = {box: [] for box in BOXES}
    for _ in range(2):
        for box in BOXES:
            reference = Reference(path, radius_miles, constants, box)
            for terms, latitude, longitude in cases:
                started = time.perf_counter()
                reference.search(terms, latitude, longitude)
                timings[box].append(time.perf_counter() - started)
    medians = {box: statistics.median(samples) * 1000 for box, samples in timings.items()}
    return {
        "reference_box": min(medians, key=medians.get),
        **{f"reference_{box}_p50_ms": value for box, value in medians.items()},
    }
