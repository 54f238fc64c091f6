"""Search benchmark: Signpost's search against a fair FTS5 reference on the same data.

    make bench                                       # 10,000 and 100,000 services
    .venv/bin/python bench/search.py --sizes 10000 100000 300000
    .venv/bin/python bench/search.py --sizes 10000 --queries 50 --skip-throughput
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/search.py

For each size, in a process of its own (so its peak memory is its own): take the kept
synthetic directory (``generate.py``; made on the first run, ``--regenerate`` to remake)
on a throwaway copy, build the search index (``rebuild_index``) and the FTS5 reference
(``reference.py``), then time mixed link-worker searches, each from its own postcode
with a 25-mile radius, interleaved: ``search_services``, the whole web page and the API
page (Flask test client), and the reference. Then publish edits through the real edit
path and time the very next search after each, checking every edit is found. Lastly,
unless ``--skip-throughput``, gunicorn with 4 workers serves the sample directory under
load (``throughput.py``). The figures, the targets they are judged against (pass or
miss; nothing here is a test) and the load average go to stdout and to bench/out/
(git-ignored) as markdown and JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import entry_points as signpost
import generate
import reference
import report
import throughput
from entry_points import RADIUS_MILES, ROOT

# What link workers type: needs in their own words, some misspelt.
NEEDS = [
    "debt advice", "lonely since my wife died", "exercise for bad back", "carer support",
    "food bank", "mental health", "dept advice", "feeling isolated since moving",
    "help with debts", "memory problems", "carer for mum", "breathing problems copd",
    "drinking too much", "computer help", "english classes", "housing advice eviction",
    "diabetes support", "walking group", "anxiety and stress", "young people mental health",
    "choir singing", "allotment garden", "sad since husband died", "lonley",
    "bereavment support", "stop smoking", "weight loss", "benefits form help",
]  # fmt: skip
SEED = 20261126
OUT_DIR = ROOT / "bench" / "out"
DEFAULT_SIZES = [10_000, 100_000]


def measure(
    size: int, queries: int, repeats: int, edits: int, engine: str, keep: bool = False
) -> dict:
    """Everything for one size and engine (called in a fresh process). ``keep`` leaves
    the database copy and its index in place for a throughput run, and says where."""
    workdir = Path(tempfile.mkdtemp(prefix=f"signpost-bench-{size}-"))
    uri = generate.working_copy(size, workdir)
    app = signpost.make_app(uri, workdir / "index", SIGNPOST_SEARCH_ENGINE=engine)
    report: dict = {"size": size, "engine": engine, "load_average_at_start": os.getloadavg()[0]}
    try:
        with app.app_context():
            started = time.perf_counter()
            signpost.upgrade_schema()  # a kept dataset follows the current migrations
            report["migrations_s"] = time.perf_counter() - started
            signpost.analyze()
            report["services"] = len(signpost.published_listings_ids())
            started = time.perf_counter()
            signpost.build_index()
            report["index_build_s"] = time.perf_counter() - started
            report["peak_rss_after_build_mb"] = _peak_rss_mb()
            report.update(reference.build_reference(workdir / "reference.sqlite"))
            constants = signpost.ranking_constants()
            cases = _cases(queries)
            words = {text: signpost.engine_words(text) for text in NEEDS}
        report.update(_time_searches(app, workdir, cases, words, constants, repeats))
        report["rss_after_searches_mb"] = _current_rss_mb()
        report.update(_time_edits(app, workdir, uri, cases, edits))
    finally:
        signpost.close_app(app)
        if keep:
            report["kept"] = {"workdir": str(workdir), "uri": uri}
        else:
            generate.drop_working_copy(uri)
            shutil.rmtree(workdir, ignore_errors=True)
    report["peak_rss_mb"] = _peak_rss_mb()
    report["load_average_at_end"] = os.getloadavg()[0]
    return report


def _cases(queries: int) -> list[tuple[str, str, float, float]]:
    """(need, postcode, latitude, longitude): each search from its own real postcode."""
    origins = generate.england_postcodes(queries, random.Random(SEED))
    return [(NEEDS[i % len(NEEDS)], *origin) for i, origin in enumerate(origins)]


def _time_searches(app, workdir: Path, cases, words, constants, repeats: int) -> dict:
    client = app.test_client()
    sample = [(words[text], lat, lon) for text, _, lat, lon in cases[: len(NEEDS)]]
    choice = reference.choose_box(workdir / "reference.sqlite", RADIUS_MILES, constants, sample)
    fts = reference.Reference(
        workdir / "reference.sqlite", RADIUS_MILES, constants, choice["reference_box"]
    )
    times: dict[str, list[float]] = {
        "search": [],
        "engine": [],
        "page": [],
        "api": [],
        "reference": [],
    }
    overlaps, equal_totals = [], 0
    for repeat in range(repeats + 1):  # the first round warms caches and is not timed
        for text, postcode, latitude, longitude in cases:
            with app.app_context():
                started = time.perf_counter()
                ids, total = signpost.search(text, postcode)
                elapsed = {"search": time.perf_counter() - started}
                started = time.perf_counter()
                signpost.engine_search(words[text], latitude, longitude)
                elapsed["engine"] = time.perf_counter() - started
            for name, path in (("page", signpost.page_path), ("api", signpost.api_path)):
                started = time.perf_counter()
                response = client.get(path(text, postcode))
                elapsed[name] = time.perf_counter() - started
                assert response.status_code == 200, (name, response.status_code, text)
            started = time.perf_counter()
            reference_ids, reference_total = fts.search(words[text], latitude, longitude)
            elapsed["reference"] = time.perf_counter() - started
            if repeat == 0:
                overlaps.append(len(set(ids) & set(reference_ids)) / max(1, len(reference_ids)))
                equal_totals += total == reference_total
                continue
            for name, seconds in elapsed.items():
                times[name].append(seconds)
    figures = {"searches_timed": len(times["search"]), **choice}
    for name, samples in times.items():
        figures[f"{name}_p50_ms"], figures[f"{name}_p95_ms"] = _percentiles(samples)
    figures["search_p95_vs_reference"] = figures["search_p95_ms"] / figures["reference_p95_ms"]
    figures["engine_p95_vs_reference"] = figures["engine_p95_ms"] / figures["reference_p95_ms"]
    figures["api_p95_vs_page"] = figures["api_p95_ms"] / figures["page_p95_ms"]
    figures["top20_overlap_with_reference"] = statistics.mean(overlaps)
    figures["same_total_as_reference"] = equal_totals / len(cases)
    return figures


def _time_edits(app, workdir: Path, uri: str, cases, edits: int) -> dict:
    """Publish an edit, time the very next search, then the same search again (warm);
    each edit adds a made-up word to a listing's name, which a search must then find.
    With the PostgreSQL engine, also how long until a second app (another server, its
    own working directory) finds the edit."""
    rng = random.Random(SEED + 1)
    with app.app_context():
        admin_id = signpost.create_directory_admin()
        listings = signpost.published_listings_ids()
    other = None
    if app.config["SIGNPOST_SEARCH_ENGINE"] == "postgres":
        other = signpost.make_app(uri, workdir / "other-server", SIGNPOST_SEARCH_ENGINE="postgres")
    first, warm, elsewhere, stale, markers = [], [], [], 0, {}
    for i in range(edits):
        service_id, marker = rng.choice(listings), _made_up_word(rng)
        with app.app_context():
            signpost.publish_edit(service_id, admin_id, marker)
        published = time.perf_counter()
        if other is not None:
            elsewhere.append(_seconds_until_found(other, marker, service_id, published))
        text, postcode, _, _ = cases[i % len(cases)]
        for samples in (first, warm):
            with app.app_context():
                started = time.perf_counter()
                signpost.search(text, postcode)
                samples.append(time.perf_counter() - started)
        with app.app_context():
            stale += service_id not in signpost.search(marker, "")[0]
        markers[marker] = service_id
    with app.app_context():  # after all of them: is every edit still there?
        lost = sum(
            service_id not in signpost.search(marker, "")[0]
            or marker not in signpost.service_name(service_id)
            for marker, service_id in markers.items()
        )
    if other is not None:
        signpost.close_app(other)
    if not edits:
        return {}
    visible = {}
    if elsewhere:
        visible = {
            "visible_on_another_server_p50_ms": statistics.median(elsewhere) * 1000,
            "visible_on_another_server_max_ms": max(elsewhere) * 1000,
        }
    return {
        **visible,
        "edits": edits,
        "first_search_after_edit_p50_ms": statistics.median(first) * 1000,
        "first_search_after_edit_max_ms": max(first) * 1000,
        "warm_search_p50_ms": statistics.median(warm) * 1000,
        "first_after_edit_vs_warm": statistics.median(first) / statistics.median(warm),
        "stale_edits": stale,
        "lost_edits": lost,
    }


def _seconds_until_found(other_app, marker: str, service_id: str, published: float) -> float:
    """Search for the edit on the other server until it is found (at most 10 s)."""
    while True:
        with other_app.app_context():
            if service_id in signpost.search(marker, "")[0]:
                return time.perf_counter() - published
        if time.perf_counter() - published > 10:
            return float("inf")


def _current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _made_up_word(rng: random.Random) -> str:
    """Letters only (the search drops digits), in no dictionary and in no listing."""
    return "zq" + "".join(rng.choice(string.ascii_lowercase) for _ in range(8))


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_throughput(seconds: int, kept: dict | None = None) -> dict:
    """gunicorn on a fresh instance of the sample directory (~356 services), or on a
    measured directory ``kept`` with its index, searched from all over England."""
    if kept is not None:
        workdir, uri = Path(kept["workdir"]), kept["uri"]
        environment = {**throughput.served_environment(workdir, uri), "SIGNPOST_AUTO_SEED": "0"}
        searches = [(text, postcode) for text, postcode, _, _ in _cases(200)]
    else:
        workdir = Path(tempfile.mkdtemp(prefix="signpost-throughput-"))
        uri = generate.sample_database(workdir)
        environment = throughput.served_environment(workdir, uri)
        postcodes = generate.sample_postcodes()
        searches = [(NEEDS[i % len(NEEDS)], pc) for i, pc in enumerate(postcodes)]
    try:
        if kept is None:
            throughput.prepare_sample_instance(environment)
        return throughput.measure_throughput(
            environment,
            [signpost.page_path(text, postcode) for text, postcode in searches],
            [signpost.api_path(text, postcode) for text, postcode in searches],
            seconds,
        )
    finally:
        generate.drop_working_copy(uri)
        shutil.rmtree(workdir, ignore_errors=True)


def _child(arguments: list[str]) -> dict:
    """Run this script (or generate.py) in a fresh process; its last line is JSON."""
    output = subprocess.run(
        [sys.executable, *arguments], check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT
    ).stdout
    return json.loads(output.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=DEFAULT_SIZES)
    parser.add_argument(
        "--queries", type=int, default=100, help="searches, each from its own postcode"
    )
    parser.add_argument("--repeats", type=int, default=2, help="times each search is timed")
    parser.add_argument("--edits", type=int, default=20, help="edits published, each then searched")
    parser.add_argument("--regenerate", action="store_true", help="remake the kept datasets")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--throughput-seconds", type=int, default=10)
    parser.add_argument(
        "--throughput-largest", action="store_true", help="also load the largest size's directory"
    )
    parser.add_argument(
        "--engines",
        nargs="*",
        choices=["whoosh", "postgres"],
        help="search engines to measure on each size (default: whoosh on SQLite, both on"
        " PostgreSQL)",
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process's size
    parser.add_argument("--engine", default="whoosh", help=argparse.SUPPRESS)  # and engine
    parser.add_argument("--keep", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        figures = measure(args.one, args.queries, args.repeats, args.edits, args.engine, args.keep)
        print(json.dumps(figures))
        return
    engines = args.engines or (
        ["whoosh"] if generate.database_kind() == "SQLite" else ["whoosh", "postgres"]
    )
    if "postgres" in engines and generate.database_kind() != "PostgreSQL":
        raise SystemExit("bench: the postgres engine needs DATABASE_URL=postgresql://...")
    run = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "database": generate.database_kind(),
        "cpu_count": os.cpu_count(),
        "load_average_before": os.getloadavg()[0],
        "queries": args.queries,
        "repeats": args.repeats,
        "sizes": [],
    }
    largest = max(args.sizes) if args.throughput_largest and args.sizes else None
    for size in args.sizes:
        generation = ["bench/generate.py", "--size", str(size)]
        dataset = _child(generation + (["--regenerate"] if args.regenerate else []))
        for engine in engines:
            measured = _child(
                ["bench/search.py", "--one", str(size), "--queries", str(args.queries)]
                + ["--repeats", str(args.repeats), "--edits", str(args.edits)]
                + ["--engine", engine]
                + (["--keep"] if size == largest and engine == engines[-1] else [])
            )
            run["sizes"].append({**dataset, **measured})
            print(f"{size:,} services measured ({engine})", file=sys.stderr)
    if not args.skip_throughput:
        run["throughput"] = {
            "directory": "sample data (~356 services)",
            **run_throughput(args.throughput_seconds),
        }
    if largest is not None:
        kept = next(size.pop("kept") for size in run["sizes"] if size["size"] == largest)
        run["throughput_largest"] = {
            "directory": f"{largest:,} services",
            **run_throughput(args.throughput_seconds, kept),
        }
    run["load_average_after"] = os.getloadavg()[0]
    _write(run)


def _write(run: dict) -> None:
    table = report.markdown(run)
    print(table)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    sizes = "-".join(dict.fromkeys(str(size["size"]) for size in run["sizes"])) or "throughput"
    stem = OUT_DIR / f"search-{run['database'].lower()}-{sizes}"
    stem.with_suffix(".json").write_text(json.dumps(run, indent=2) + "\n")
    stem.with_suffix(".md").write_text(table)
    print(f"written: {stem}.json, {stem}.md", file=sys.stderr)


if __name__ == "__main__":
    main()
