"""Search benchmark: synthetic directories of 10,000 and 100,000 services over England.

    .venv/bin/python bench/search.py            # both sizes
    .venv/bin/python bench/search.py 10000      # one size

For each size: generate listings whose text looks like real ones (a large vocabulary with
Zipf-like word frequencies, built from the sample listings plus a long tail of rarer
words), place them at real postcodes drawn at random from Code-Point Open (so they cluster
where people live), build the whoosh index, and time mixed link-worker queries with a
postcode and the default 25-mile radius: through ``search_services`` (engine, SQL filters,
distances, ranking) and through the Flask test client (the whole page). The same queries
run against a plain SQLite FTS5 table ranked by bm25 and the same distance blend, as the
reference. Prints a table; nothing here is a pass/fail test.
"""

from __future__ import annotations

import json
import random
import re
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from signpost import create_app  # noqa: E402
from signpost.directory.seed import seed_directory  # noqa: E402
from signpost.extensions import db  # noqa: E402
from signpost.geo.distance import bounding_box, distances_miles  # noqa: E402
from signpost.search.contract import SearchRequest  # noqa: E402
from signpost.search.indexer import rebuild_index, search_engine  # noqa: E402
from signpost.search.query_text import build_engine_query  # noqa: E402
from signpost.search.ranking import Candidate, rank_results  # noqa: E402
from signpost.search.service_search import search_services  # noqa: E402

QUERIES = [
    "lonely", "feeling isolated since moving", "dept advice", "help with debts",
    "sad since husband died", "exercise for bad back", "memory problems", "carer for mum",
    "breathing problems copd", "drinking too much", "computer help", "english classes",
    "food bank", "housing advice eviction", "diabetes support", "walking group",
    "anxiety and stress", "young people mental health", "choir singing", "allotment garden",
]  # fmt: skip
RADIUS_MILES = 25
REPEATS = 3
SEED = 20261125


def vocabulary(rng: random.Random) -> list[str]:
    """Common listing words first (from the sample directory), then a long tail."""
    listings = json.loads((ROOT / "seeds" / "services.json").read_text())
    counts: dict[str, int] = {}
    for listing in listings:
        for word in re.findall(r"[a-z]+", (listing["name"] + " " + listing["description"]).lower()):
            counts[word] = counts.get(word, 0) + 1
    common = sorted(counts, key=counts.get, reverse=True)
    syllables = ["ba", "ri", "lo", "ten", "mar", "sol", "ving", "der", "ca", "pel", "tor", "nis"]
    tail = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(30000)}
    return common + sorted(tail)


def zipf_text(rng: np.random.Generator, words: list[str], length: int) -> str:
    ranks = rng.zipf(1.15, size=length)
    return " ".join(words[min(r, len(words)) - 1] for r in ranks)


def random_places(n: int, rng: random.Random, postcode_db: str) -> list[tuple[str, float, float]]:
    """Real postcodes, drawn district by district in proportion to how many each has."""
    connection = sqlite3.connect(postcode_db)
    districts = connection.execute("SELECT outcode, postcodes FROM outcode").fetchall()
    chosen = rng.choices([d[0] for d in districts], weights=[d[1] for d in districts], k=n)
    places = []
    for district in chosen:
        count = dict(districts)[district]
        places.append(
            connection.execute(
                "SELECT postcode, latitude, longitude FROM postcode WHERE postcode >= ?"
                " ORDER BY postcode LIMIT 1 OFFSET ?",
                (district + " ", rng.randrange(count)),
            ).fetchone()
        )
    return places


def generate(app, n: int) -> None:
    """Insert n services with one location each, straight through SQL for speed."""
    rng = random.Random(SEED)
    nrng = np.random.default_rng(SEED)
    words = vocabulary(rng)
    seed_directory(db.session, postcode_db=app.config["SIGNPOST_POSTCODE_DB"])  # categories
    terms = [row[0] for row in db.session.execute(db.text("SELECT id FROM taxonomy_term"))]
    places = random_places(n, rng, app.config["SIGNPOST_POSTCODE_DB"])
    organization = str(uuid.uuid4())
    connection = db.session.connection()
    connection.execute(
        db.text("INSERT INTO organization (id, name, description) VALUES (:i, 'Bench org', '')"),
        {"i": organization},
    )
    services, locations, links, attributes = [], [], [], []
    for index in range(n):
        service_id, location_id = str(uuid.uuid4()), str(uuid.uuid4())
        postcode, latitude, longitude = places[index]
        services.append(
            {
                "id": service_id, "org": organization,
                "name": zipf_text(nrng, words, rng.randint(2, 4)).title(),
                "description": zipf_text(nrng, words, rng.randint(40, 90)),
                "capacity": rng.choice(["accepting"] * 8 + ["waiting_list", "full"]),
            }
        )  # fmt: skip
        locations.append({"id": location_id, "pc": postcode, "lat": latitude, "lon": longitude})
        links.append({"id": str(uuid.uuid4()), "s": service_id, "l": location_id})
        for term in rng.sample(terms, rng.randint(1, 3)):
            attributes.append({"id": str(uuid.uuid4()), "s": service_id, "t": term})
    connection.execute(
        db.text(
            "INSERT INTO service (id, organization_id, name, description, status, is_free,"
            " access_route, offers_in_person, offers_online, offers_telephone,"
            " offers_home_visit, capacity_status, last_modified, version, assured_date)"
            " VALUES (:id, :org, :name, :description, 'active', 1, 'either', 1, 0, 0, 0,"
            " :capacity, CURRENT_TIMESTAMP, 1, CURRENT_DATE)"
        ),
        services,
    )
    connection.execute(
        db.text(
            "INSERT INTO location (id, address_1, city, postal_code, latitude, longitude,"
            " wheelchair_accessible) VALUES (:id, '', '', :pc, :lat, :lon, 1)"
        ),
        locations,
    )
    connection.execute(
        db.text(
            "INSERT INTO service_at_location (id, service_id, location_id) VALUES (:id, :s, :l)"
        ),
        links,
    )
    connection.execute(
        db.text("INSERT INTO attribute (id, service_id, taxonomy_term_id) VALUES (:id, :s, :t)"),
        attributes,
    )
    db.session.commit()


def build_fts(database: Path) -> float:
    started = time.perf_counter()
    connection = sqlite3.connect(database)
    connection.executescript(
        """
        CREATE VIRTUAL TABLE service_fts USING fts5(id UNINDEXED, name, description, categories,
            tokenize = 'porter unicode61');
        INSERT INTO service_fts (id, name, description, categories)
        SELECT s.id, s.name, s.description,
               coalesce(group_concat(t.name || ' ' || t.description, ' '), '')
        FROM service s LEFT JOIN attribute a ON a.service_id = s.id
        LEFT JOIN taxonomy_term t ON t.id = a.taxonomy_term_id GROUP BY s.id;
        """
    )
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def fts_search(connection, text: str, latitude: float, longitude: float) -> list:
    """The reference: same expanded words, FTS5 bm25, same box, same ranking formula."""
    query = build_engine_query(text, search_engine())
    words = " OR ".join(f'"{t.word}"' for t in query.terms)
    box = bounding_box(latitude, longitude, RADIUS_MILES)
    rows = connection.execute(
        "SELECT f.id, -bm25(service_fts, 0, 3.0, 1.0, 2.0), l.latitude, l.longitude, s.name,"
        " s.capacity_status FROM service_fts f JOIN service s ON s.id = f.id"
        " JOIN service_at_location sl ON sl.service_id = s.id"
        " JOIN location l ON l.id = sl.location_id"
        " WHERE service_fts MATCH ? AND l.latitude BETWEEN ? AND ? AND l.longitude BETWEEN ? AND ?"
        " LIMIT 1000",
        (words, *box),
    ).fetchall()
    if not rows:
        return []
    miles = distances_miles(latitude, longitude, [r[2] for r in rows], [r[3] for r in rows])
    candidates = {
        r[0]: Candidate(r[0], r[4], r[5], float(d), False)
        for r, d in zip(rows, miles, strict=True)
        if d <= RADIUS_MILES
    }
    return rank_results({r[0]: r[1] for r in rows}, candidates, True)[:20]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def run(n: int) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"signpost-bench-{n}-"))
    database = workdir / "bench.sqlite"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SIGNPOST_INDEX_DIR": str(workdir / "index"),
            "TESTING": True,
        }
    )
    report = {"services": n}
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        generate(app, n)
        report["generate_s"] = time.perf_counter() - started
        started = time.perf_counter()
        rebuild_index()
        report["index_build_s"] = time.perf_counter() - started
        report["fts_build_s"] = build_fts(database)

        rng = random.Random(SEED + 1)
        origins = random_places(len(QUERIES), rng, app.config["SIGNPOST_POSTCODE_DB"])
        cases = list(zip(QUERIES, origins, strict=True))
        engine_times, page_times, fts_times = [], [], []
        client = app.test_client()
        fts = sqlite3.connect(database)
        for text, (postcode, latitude, longitude) in cases:  # warm caches once
            search_services(SearchRequest(text=text, postcode=postcode, radius_miles=RADIUS_MILES))
            fts_search(fts, text, latitude, longitude)
        for _ in range(REPEATS):
            for text, (postcode, latitude, longitude) in cases:
                request = SearchRequest(text=text, postcode=postcode, radius_miles=RADIUS_MILES)
                started = time.perf_counter()
                search_services(request)
                engine_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                client.get(
                    "/search", query_string={"q": text, "postcode": postcode, "radius": "25"}
                )
                page_times.append(time.perf_counter() - started)
                started = time.perf_counter()
                fts_search(fts, text, latitude, longitude)
                fts_times.append(time.perf_counter() - started)
        report["search_p50_ms"], report["search_p95_ms"] = percentiles(engine_times)
        report["page_p50_ms"], report["page_p95_ms"] = percentiles(page_times)
        report["fts_p50_ms"], report["fts_p95_ms"] = percentiles(fts_times)
        report["p95_ratio_vs_fts"] = report["search_p95_ms"] / report["fts_p95_ms"]
    report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return report


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]
    for size in sizes:
        report = run(size)
        print(f"\n== {size:,} services ==")
        for key, value in report.items():
            print(
                f"  {key:20} {value:,.1f}" if isinstance(value, float) else f"  {key:20} {value:,}"
            )


if __name__ == "__main__":
    main()
