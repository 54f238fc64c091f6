"""Search benchmark: synthetic directories of 10,000 and 100,000 services over England.

    make bench                                                   # 10,000 and 100,000
    .venv/bin/python bench/search.py --sizes 10000 --queries 100

For each size: generate listings whose text looks like real ones (a large vocabulary with
Zipf-like word frequencies, built from the sample listings plus a long tail of rarer
words), place them at real postcodes drawn uniformly from Code-Point Open's English
postcodes (so they cluster where people live), build the whoosh index, and time mixed
link-worker queries, each from a different postcode with the default 25-mile radius:
through ``search_services`` (SQL filters and distances, engine, ranking, the page's rows)
and through the Flask test client (the whole page). The same queries run against a plain
SQLite FTS5 table on the same data, ranked by bm25 and the same distance blend, as the
reference, three ways: as one plain SQL query joining bm25 to the box (``fts_join``), as the
engine inside Signpost's pipeline with the SQL box (``fts``), and with Signpost's in-memory
places instead of the box (``fts_places``, the fairest); the ratio is to the fastest.
The synonym expansion is worked out before their clocks start.

Each size runs in a process of its own, so its peak memory is its own. The figures are
printed as a table and written to bench/out/ (git-ignored) as JSON and markdown.
Nothing here is a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from signpost import create_app  # noqa: E402
from signpost.directory.seed import seed_directory  # noqa: E402
from signpost.extensions import db  # noqa: E402
from signpost.geo.distance import bounding_box, distances_miles  # noqa: E402
from signpost.search.contract import SearchRequest  # noqa: E402
from signpost.search.indexer import (  # noqa: E402
    rebuild_index,
    refresh_planner_statistics,
    search_engine,
)
from signpost.search.places import service_places  # noqa: E402
from signpost.search.query_text import build_engine_query  # noqa: E402
from signpost.search.ranking import Candidate, rank_results  # noqa: E402
from signpost.search.service_search import TEXT_MATCH_LIMIT, search_services  # noqa: E402

QUERIES = [
    "lonely", "feeling isolated since moving", "dept advice", "help with debts",
    "sad since husband died", "exercise for bad back", "memory problems", "carer for mum",
    "breathing problems copd", "drinking too much", "computer help", "english classes",
    "food bank", "housing advice eviction", "diabetes support", "walking group",
    "anxiety and stress", "young people mental health", "choir singing", "allotment garden",
]  # fmt: skip
# Postcode areas wholly or mostly in Scotland or Wales (Code-Point Open covers Great Britain).
NOT_ENGLAND = frozenset(
    ["AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "TD", "ZE"]
    + ["CF", "LD", "LL", "NP", "SA"]
)
RADIUS_MILES = 25
SEED = 20261125
INSERT_BATCH = 10_000
OUT_DIR = ROOT / "bench" / "out"
TARGETS = {"search_p95_ms": "<= 50", "p95_ratio_vs_fts": "<= 2.0", "index_build_s": "<= 60"}


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


def in_england(postcode: str) -> bool:
    area = postcode[:2] if postcode[1].isalpha() else postcode[:1]
    return area not in NOT_ENGLAND


def england_places(n: int, rng: random.Random, postcode_db: str) -> list[tuple[str, float, float]]:
    """n real English postcodes, each equally likely, in one pass over the table."""
    connection = sqlite3.connect(postcode_db)
    districts = connection.execute("SELECT outcode, postcodes FROM outcode").fetchall()
    total = sum(count for outcode, count in districts if in_england(outcode))
    wanted = Counter(rng.randrange(total) for _ in range(n))
    places, position = [], 0
    for row in connection.execute("SELECT postcode, latitude, longitude FROM postcode"):
        if in_england(row[0]):
            places.extend([row] * wanted.get(position, 0))
            position += 1
    connection.close()
    rng.shuffle(places)
    return places


def generate(app, n: int) -> None:
    """Insert n services with one location each, straight through SQL, in batches."""
    rng = random.Random(SEED)
    nrng = np.random.default_rng(SEED)
    words = vocabulary(rng)
    seed_directory(db.session, postcode_db=app.config["SIGNPOST_POSTCODE_DB"])  # categories
    terms = [row[0] for row in db.session.execute(db.text("SELECT id FROM taxonomy_term"))]
    places = england_places(n, rng, app.config["SIGNPOST_POSTCODE_DB"])
    organization = str(uuid.uuid4())
    db.session.execute(
        db.text("INSERT INTO organization (id, name, description) VALUES (:i, 'Bench org', '')"),
        {"i": organization},
    )
    for start in range(0, n, INSERT_BATCH):
        batch = places[start : start + INSERT_BATCH]
        _insert_services(organization, batch, terms, rng, nrng, words)
    db.session.commit()


def _insert_services(organization, places, terms, rng, nrng, words) -> None:
    services, locations, links, attributes = [], [], [], []
    for postcode, latitude, longitude in places:
        service_id, location_id = str(uuid.uuid4()), str(uuid.uuid4())
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
    execute = db.session.execute
    execute(
        db.text(
            "INSERT INTO service (id, organization_id, name, description, status, is_free,"
            " access_route, offers_in_person, offers_online, offers_telephone,"
            " offers_home_visit, capacity_status, last_modified, version, assured_date)"
            " VALUES (:id, :org, :name, :description, 'active', 1, 'either', 1, 0, 0, 0,"
            " :capacity, CURRENT_TIMESTAMP, 1, CURRENT_DATE)"
        ),
        services,
    )
    execute(
        db.text(
            "INSERT INTO location (id, address_1, city, postal_code, latitude, longitude,"
            " wheelchair_accessible) VALUES (:id, '', '', :pc, :lat, :lon, 1)"
        ),
        locations,
    )
    execute(
        db.text(
            "INSERT INTO service_at_location (id, service_id, location_id) VALUES (:id, :s, :l)"
        ),
        links,
    )
    execute(
        db.text("INSERT INTO attribute (id, service_id, taxonomy_term_id) VALUES (:id, :s, :t)"),
        attributes,
    )


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


def fts_words(text: str) -> str:
    """The same words the engine looks for (typed, corrected, synonyms), as an FTS5 query."""
    query = build_engine_query(text, search_engine())
    return " OR ".join(f'"{term.word}"' for term in query.terms)


def fts_join_search(connection, words: str, latitude: float, longitude: float) -> list:
    """The plain reference: one SQL query, FTS5 bm25 joined to the box, best 300 re-ranked."""
    box = bounding_box(latitude, longitude, RADIUS_MILES)
    rows = connection.execute(
        "SELECT f.id, -bm25(service_fts, 0, 3.0, 1.0, 2.0) AS relevance, l.latitude,"
        " l.longitude, s.name, s.capacity_status FROM service_fts f"
        " JOIN service s ON s.id = f.id JOIN service_at_location sl ON sl.service_id = s.id"
        " JOIN location l ON l.id = sl.location_id"
        " WHERE service_fts MATCH ? AND l.latitude BETWEEN ? AND ? AND l.longitude BETWEEN ? AND ?"
        " ORDER BY relevance DESC LIMIT ?",
        (words, *box, TEXT_MATCH_LIMIT),
    ).fetchall()
    miles = distances_miles(latitude, longitude, [r[2] for r in rows], [r[3] for r in rows])
    by_id = {r[0]: float(d) for r, d in zip(rows, miles, strict=True)}
    return _fts_ranked({r[0]: r[1] for r in rows}, by_id, rows)


def fts_pipeline_search(connection, words: str, latitude: float, longitude: float) -> list:
    """FTS5 as the engine in Signpost's own pipeline: box ids and coordinates from SQL, bm25
    for every match, intersected, the best 300 read in detail and re-ranked."""
    box = bounding_box(latitude, longitude, RADIUS_MILES)
    located = connection.execute(
        "SELECT sl.service_id, l.latitude, l.longitude FROM location l"
        " JOIN service_at_location sl ON sl.location_id = l.id"
        " WHERE l.latitude BETWEEN ? AND ? AND l.longitude BETWEEN ? AND ?",
        box,
    ).fetchall()
    if not located:
        return []
    miles = distances_miles(latitude, longitude, [r[1] for r in located], [r[2] for r in located])
    nearby = {r[0]: float(d) for r, d in zip(located, miles, strict=True) if d <= RADIUS_MILES}
    return _fts_best(connection, words, nearby)


def fts_places_search(connection, words: str, latitude: float, longitude: float) -> list:
    """FTS5 as the engine with Signpost's in-memory places (``search.places``) instead of
    the SQL box: what FTS5 would do in exactly our pipeline, the fairest reference."""
    service_ids, miles = service_places().buildings_within(latitude, longitude, RADIUS_MILES)
    nearby = dict(zip(service_ids.tolist(), miles.tolist(), strict=True))
    return _fts_best(connection, words, nearby)


def _fts_best(connection, words: str, nearby: dict[str, float]) -> list:
    """bm25 for every match, kept if nearby, the best 300 read in detail and re-ranked."""
    matches = connection.execute(
        "SELECT id, -bm25(service_fts, 0, 3.0, 1.0, 2.0) FROM service_fts"
        " WHERE service_fts MATCH ?",
        (words,),
    ).fetchall()
    scores = {sid: score for sid, score in matches if sid in nearby}
    best = sorted(scores, key=scores.get, reverse=True)[:TEXT_MATCH_LIMIT]
    rows = connection.execute(
        "SELECT id, NULL, NULL, NULL, name, capacity_status FROM service"
        f" WHERE status = 'active' AND id IN ({','.join('?' * len(best))})",
        best,
    ).fetchall()
    return _fts_ranked({sid: scores[sid] for sid in best}, nearby, rows)


def _fts_ranked(scores: dict, miles: dict, rows: list) -> list:
    candidates = {
        r[0]: Candidate(r[0], r[4], r[5], float(miles[r[0]]), False)
        for r in rows
        if miles[r[0]] <= RADIUS_MILES
    }
    return rank_results(scores, candidates, True)[:20]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def run(n: int, queries: int, repeats: int) -> dict:
    """Generate, index and time one directory size (called in a fresh process)."""
    workdir = Path(tempfile.mkdtemp(prefix=f"signpost-bench-{n}-"))
    database = workdir / "bench.sqlite"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "SIGNPOST_INDEX_DIR": str(workdir / "index"),
            "TESTING": True,
        }
    )
    report: dict = {"services": n, "load_average_at_start": os.getloadavg()[0]}
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        generate(app, n)
        report["generate_s"] = time.perf_counter() - started
        started = time.perf_counter()
        rebuild_index()
        report["index_build_s"] = time.perf_counter() - started
        refresh_planner_statistics()  # what `flask reindex` does after a bulk load
        report["index_mb"] = sum(f.stat().st_size for f in (workdir / "index").iterdir()) / 2**20
        report["fts_build_s"] = build_fts(database)
        origins = england_places(
            queries, random.Random(SEED + 1), app.config["SIGNPOST_POSTCODE_DB"]
        )
        cases = [(QUERIES[i % len(QUERIES)], origin) for i, origin in enumerate(origins)]
        report.update(time_searches(app, database, cases, repeats))
    report["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    report["load_average_at_end"] = os.getloadavg()[0]
    shutil.rmtree(workdir, ignore_errors=True)
    return report


def time_searches(app, database: Path, cases: list, repeats: int) -> dict:
    client = app.test_client()
    fts = sqlite3.connect(database)
    words = {text: fts_words(text) for text in QUERIES}
    for text, (postcode, latitude, longitude) in cases[: len(QUERIES)]:  # warm caches once
        search_services(SearchRequest(text=text, postcode=postcode, radius_miles=RADIUS_MILES))
        fts_pipeline_search(fts, words[text], latitude, longitude)
        fts_join_search(fts, words[text], latitude, longitude)
        fts_places_search(fts, words[text], latitude, longitude)
    times: dict[str, list[float]] = {
        "search": [],
        "search_cpu": [],
        "page": [],
        "fts": [],
        "fts_join": [],
        "fts_places": [],
    }
    for _ in range(repeats):
        for text, (postcode, latitude, longitude) in cases:
            request = SearchRequest(text=text, postcode=postcode, radius_miles=RADIUS_MILES)
            started, cpu_started = time.perf_counter(), time.process_time()
            search_services(request)
            times["search"].append(time.perf_counter() - started)
            times["search_cpu"].append(time.process_time() - cpu_started)
            started = time.perf_counter()
            response = client.get(
                "/search", query_string={"q": text, "postcode": postcode, "radius": "25"}
            )
            times["page"].append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
            started = time.perf_counter()
            fts_pipeline_search(fts, words[text], latitude, longitude)
            times["fts"].append(time.perf_counter() - started)
            started = time.perf_counter()
            fts_join_search(fts, words[text], latitude, longitude)
            times["fts_join"].append(time.perf_counter() - started)
            started = time.perf_counter()
            fts_places_search(fts, words[text], latitude, longitude)
            times["fts_places"].append(time.perf_counter() - started)
    figures = {"searches_timed": len(times["search"])}
    for name, samples in times.items():
        figures[f"{name}_p50_ms"], figures[f"{name}_p95_ms"] = percentiles(samples)
    fastest_reference = min(
        figures["fts_p95_ms"], figures["fts_join_p95_ms"], figures["fts_places_p95_ms"]
    )
    figures["p95_ratio_vs_fts"] = figures["search_p95_ms"] / fastest_reference
    return figures


def markdown_table(reports: list[dict]) -> str:
    sizes = [f"{report['services']:,}" for report in reports]
    lines = [
        "| figure | " + " | ".join(sizes) + " | target |",
        "|---|" + "---:|" * len(sizes) + "---|",
    ]
    for key in reports[0]:
        if key == "services":
            continue
        cells = [_cell(report.get(key)) for report in reports]
        lines.append(f"| {key} | " + " | ".join(cells) + f" | {TARGETS.get(key, '')} |")
    return "\n".join(lines)


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 10 else f"{value:,.1f}"
    return "" if value is None else f"{value:,}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--queries", type=int, default=100, help="searches, each from its own postcode"
    )
    parser.add_argument("--repeats", type=int, default=2, help="times each search is timed")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process's size
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run(args.one, args.queries, args.repeats)))
        return
    reports = []
    for size in args.sizes:  # each in a fresh process, so that peak memory is its own
        child = [sys.executable, __file__, "--one", str(size), "--queries", str(args.queries)]
        child += ["--repeats", str(args.repeats)]
        output = subprocess.run(child, check=True, stdout=subprocess.PIPE, text=True).stdout
        reports.append(json.loads(output.splitlines()[-1]))
        print(f"{size:,} services done", file=sys.stderr)
    table = markdown_table(reports)
    print(table)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stem = OUT_DIR / ("search-" + "-".join(str(size) for size in args.sizes))
    stem.with_suffix(".json").write_text(json.dumps(reports, indent=2) + "\n")
    stem.with_suffix(".md").write_text(
        f"Search benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {args.queries} queries x"
        f" {args.repeats}\n\n{table}\n"
    )
    print(f"written: {stem}.json, {stem}.md", file=sys.stderr)


if __name__ == "__main__":
    main()
