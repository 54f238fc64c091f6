"""The benchmark's figures as markdown: one column per size, then the targets beside them."""

from __future__ import annotations

FIGURES = [
    ("services published (incl. the ~356 sample ones)", "services"),
    ("generation, s (kept datasets: when first made)", "generate_s"),
    ("migrations on the kept dataset (the PostgreSQL engine's fill), s", "migrations_s"),
    ("full index build (`rebuild_index`), s", "index_build_s"),
    ("reference build (FTS5 + box, optimize), s", "reference_build_s"),
    ("searches timed", "searches_timed"),
    ("`search_services` p50, ms", "search_p50_ms"),
    ("`search_services` p95, ms", "search_p95_ms"),
    ("engine alone (same inputs as the reference) p50, ms", "engine_p50_ms"),
    ("engine alone p95, ms", "engine_p95_ms"),
    ("whole page p50, ms", "page_p50_ms"),
    ("whole page p95, ms", "page_p95_ms"),
    ("API page p50, ms", "api_p50_ms"),
    ("API page p95, ms", "api_p95_ms"),
    ("reference p50, ms", "reference_p50_ms"),
    ("reference p95, ms", "reference_p95_ms"),
    ("reference box (faster of btree / R*Tree)", "reference_box"),
    ("search p95 / reference p95", "search_p95_vs_reference"),
    ("engine alone p95 / reference p95", "engine_p95_vs_reference"),
    ("API p95 / page p95", "api_p95_vs_page"),
    ("top-20 overlap with the reference (sanity)", "top20_overlap_with_reference"),
    ("searches with the same total as the reference", "same_total_as_reference"),
    ("edits published", "edits"),
    ("first search after an edit p50, ms", "first_search_after_edit_p50_ms"),
    ("first search after an edit max, ms", "first_search_after_edit_max_ms"),
    ("the same search again (warm) p50, ms", "warm_search_p50_ms"),
    ("first after edit p50 / warm p50", "first_after_edit_vs_warm"),
    ("edit found by another server (its own app) p50, ms", "visible_on_another_server_p50_ms"),
    ("edit found by another server max, ms", "visible_on_another_server_max_ms"),
    ("stale edits (not found right after)", "stale_edits"),
    ("lost edits (not found at the end)", "lost_edits"),
    ("peak RSS after the index build, MB", "peak_rss_after_build_mb"),
    ("RSS after the timed searches, MB", "rss_after_searches_mb"),
    ("peak RSS (the reference's build included), MB", "peak_rss_mb"),
    ("load average (1 min) at start / end", "load_average"),
]
THROUGHPUT = [
    ("load generator", "load_generator"),
    ("search page, requests/s", "page_requests_per_s"),
    ("search page p50 / p95, ms", "page_latency"),
    ("search page failed requests", "page_failed"),
    ("load average during the page run (start / end)", "page_load_average"),
    ("API page, requests/s", "api_requests_per_s"),
    ("API page p50 / p95, ms", "api_latency"),
    ("API failed requests", "api_failed"),
    ("load average during the API run (start / end)", "api_load_average"),
]


def markdown(run: dict) -> str:
    sizes = run["sizes"]
    parts = [
        f"Search benchmark, {run['date']}: {run['database']}, {run['cpu_count']} CPUs,"
        f" load average {run['load_average_before']:.2f} before, {run['load_average_after']:.2f}"
        f" after; {run['queries']} searches x {run['repeats']} repeats a size, each from its"
        " own postcode, 25-mile radius.",
    ]
    if sizes:
        parts.append(_figures_table(sizes))
    for key in ("throughput", "throughput_largest"):
        if run.get(key):
            parts.append(_throughput_table(run[key]))
    parts.append(_targets_table(run))
    return "\n\n".join(parts) + "\n"


def _figures_table(sizes: list[dict]) -> str:
    lines = [
        "| figure | " + " | ".join(_column(s) for s in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for label, key in FIGURES:
        cells = []
        for size in sizes:
            if key == "load_average":
                value = f"{size['load_average_at_start']:.2f} / {size['load_average_at_end']:.2f}"
            elif key == "generate_s" and not size.get("generated", True):
                value = f"{_cell(size.get(key))} (kept)"
            else:
                value = _cell(size.get(key))
            cells.append(value)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _column(size: dict) -> str:
    return f"{size['size']:,} {size.get('engine', 'whoosh')}"


def _throughput_table(figures: dict) -> str:
    title = f"Throughput: gunicorn, 4 workers, {figures['directory']}"
    lines = [title, "", "| figure | value |", "|---|---:|"]
    for label, key in THROUGHPUT:
        if key.endswith("_latency"):
            name = key.removesuffix("_latency")
            value = (
                f"{_cell(figures.get(name + '_p50_ms'))} / {_cell(figures.get(name + '_p95_ms'))}"
            )
        elif key.endswith("_load_average"):
            value = " / ".join(f"{x:.2f}" for x in figures.get(key, ()))
        else:
            value = _cell(figures.get(key))
        lines.append(f"| {label} | {value} |")
    return "\n".join(lines)


def _targets_table(run: dict) -> str:
    """Each target beside what was measured, pass or miss (no target fails the run)."""
    lines = ["| target | where | measured | pass / miss |", "|---|---|---:|---|"]
    for size in run["sizes"]:
        lines += _per_size_targets(size)
    lines += _postgres_engine_targets(run["sizes"])
    pages = run.get("throughput") or {}
    if pages.get("directory", "").startswith("sample"):
        rate = pages.get("page_requests_per_s")
        lines.append(
            _target(">= 200 search pages/s, 4 workers", "sample data", rate, 200, at_least=True)
        )
    else:
        lines.append("| >= 200 search pages/s, 4 workers | sample data | not measured | |")
    return "\n".join(lines)


def _per_size_targets(figures: dict) -> list[str]:
    where, lines = _column(figures), []
    if figures["size"] in (10_000, 100_000):
        for what, key in (
            ("search_services (words parsed, page's listings read)", "search_p95_vs_reference"),
            ("engine alone, same inputs as the reference", "engine_p95_vs_reference"),
        ):
            name = f"search p95 <= 1.2x the fair reference: {what}"
            lines.append(_target(name, where, figures.get(key), 1.2, "x"))
    if figures["size"] == 100_000:
        page = figures.get("page_p95_ms")
        lines.append(_target("whole page p95 <= 60 ms", where, page, 60, " ms"))
    api = figures.get("api_p95_vs_page")
    lines.append(_target("API page p95 <= 1.5x the web page", where, api, 1.5, "x"))
    edit = figures.get("first_after_edit_vs_warm")
    lines.append(_target("first search after an edit <= 2x warm (p50)", where, edit, 2, "x"))
    if "stale_edits" in figures:
        bad = figures["stale_edits"] + figures["lost_edits"]
        lines.append(_target("zero stale or lost edits", where, bad, 0))
    return lines


def _postgres_engine_targets(sizes: list[dict]) -> list[str]:
    """Issue 11's targets for the PostgreSQL engine, beside whoosh on the same data."""
    found = {(s["size"], s.get("engine", "whoosh")): s for s in sizes}
    postgres_100k = found.get((100_000, "postgres"), {})
    whoosh_100k = found.get((100_000, "whoosh"), {})
    postgres_1m = found.get((1_000_000, "postgres"), {})
    p95 = postgres_100k.get("search_p95_ms")
    ratio = p95 / whoosh_100k["search_p95_ms"] if p95 and whoosh_100k.get("search_p95_ms") else None
    return [
        _target("postgres search p95 <= 50 ms", "100,000", p95, 50, " ms"),
        _target("postgres search p95 <= 1.5x whoosh's", "100,000", ratio, 1.5, "x"),
        _target(
            "postgres search p95 <= 150 ms",
            "1,000,000",
            postgres_1m.get("search_p95_ms"),
            150,
            " ms",
        ),
        _target(
            "postgres full index build <= 120 s",
            "1,000,000",
            postgres_1m.get("index_build_s"),
            120,
            " s",
        ),
        _target(
            "an edit found on another server <= 1 s (max)",
            "1,000,000",
            _seconds(postgres_1m.get("visible_on_another_server_max_ms")),
            1,
            " s",
        ),
        _target(
            "app process RSS <= 250 MB, whatever the size",
            "1,000,000",
            postgres_1m.get("rss_after_searches_mb"),
            250,
            " MB",
        ),
    ]


def _seconds(milliseconds: float | None) -> float | None:
    return None if milliseconds is None else milliseconds / 1000


def _target(name, where, value, limit, unit="", at_least=False) -> str:
    if value is None:
        return f"| {name} | {where} | not measured | |"
    met = value >= limit if at_least else value <= limit
    return f"| {name} | {where} | {_cell(value)}{unit} | {'pass' if met else 'miss'} |"


def _cell(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if value < 10 else f"{value:,.1f}"
    return "" if value is None else f"{value:,}" if isinstance(value, int) else str(value)
