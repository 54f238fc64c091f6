"""Synthetic directories for the search benchmark, generated once per size and kept.

    .venv/bin/python bench/generate.py --size 10000 [--regenerate]

Listings look like real ones to a search engine: text drawn from a large vocabulary with
Zipf-like word frequencies (the sample listings' words first, then a long tail of rarer
made-up words), one to three categories, and buildings at real English postcodes drawn
uniformly from Code-Point Open (so they cluster where people live). Like a real
directory, some services have no building (telephone, online), some have two, a few are
full or on a waiting list, and many have not been confirmed for a long time. The sample
directory (~356 services) is seeded first, for its categories.

The database is the one DATABASE_URL names. On SQLite the dataset is a file under
bench/out/data/; on PostgreSQL a database ``<name>_bench_<size>`` (created if missing).
Either is reused while its ``bench_dataset`` row matches this generator's version; a run
works on a copy (``working_copy``), so the edits it publishes never touch the kept one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections import Counter
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import entry_points as signpost
import numpy as np
import psycopg
from entry_points import POSTCODE_DB, ROOT, db
from sqlalchemy import make_url, text
from sqlalchemy.engine import URL

GENERATOR_VERSION = 2  # bump when the generated data changes, to invalidate kept datasets
SEED = 20261125
BATCH = 10_000
TABLES = ("service", "location", "service_at_location", "attribute")
DATA_DIR = ROOT / "bench" / "out" / "data"
# Postcode areas wholly or mostly in Scotland or Wales (Code-Point Open covers Great Britain).
NOT_ENGLAND = frozenset(
    ["AB", "DD", "DG", "EH", "FK", "G", "HS", "IV", "KA", "KW", "KY", "ML", "PA", "PH", "TD", "ZE"]
    + ["CF", "LD", "LL", "NP", "SA"]
)
SHARE_WITHOUT_BUILDING = 0.06
SHARE_WITH_TWO_BUILDINGS = 0.10
CAPACITIES = ["accepting"] * 16 + ["waiting_list"] * 3 + ["full"]
CONFIRMED_WITHIN_DAYS = 400  # assured dates spread over this: about half are stale at 183


def server_url() -> URL | None:
    """DATABASE_URL (PostgreSQL URLs as psycopg 3, as the app reads them), or None."""
    raw = os.environ.get("DATABASE_URL", "").strip()
    if not raw:
        return None
    url = make_url(raw)
    if url.drivername in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def kept_location(size: int) -> str:
    """Where the kept dataset of this size lives: a file path or a database URL."""
    server = server_url()
    if server is None:
        return str(DATA_DIR / f"services-{size}.sqlite")
    if not server.drivername.startswith("postgresql"):
        raise SystemExit(f"bench: SQLite or PostgreSQL only, not {server.drivername}")
    kept = server.set(database=f"{server.database}_bench_{size}")
    return kept.render_as_string(hide_password=False)


def database_kind() -> str:
    return "SQLite" if server_url() is None else "PostgreSQL"


def ensure_dataset(size: int, regenerate: bool = False) -> dict:
    """Generate the dataset of this size unless a matching one is kept; says which."""
    location = kept_location(size)
    kept_seconds = None if regenerate else _kept_dataset(location, size)
    if kept_seconds is not None:
        return {"generated": False, "generate_s": kept_seconds}
    _drop(location)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="signpost-gen-") as index_dir:
        seconds = _generate_into(location, size, Path(index_dir), started)
    return {"generated": True, "generate_s": seconds}


def _generate_into(location: str, size: int, index_dir: Path, started: float) -> float:
    app = signpost.make_app(_uri(location), index_dir)
    with app.app_context():
        signpost.upgrade_schema()
        signpost.seed_sample_directory()
        _generate(size)
        signpost.analyze()
        seconds = time.perf_counter() - started
        db.session.execute(
            text("CREATE TABLE bench_dataset (services INTEGER, version INTEGER, seconds REAL)")
        )
        db.session.execute(
            text("INSERT INTO bench_dataset VALUES (:n, :v, :s)"),
            {"n": size, "v": GENERATOR_VERSION, "s": seconds},
        )
        db.session.commit()
    signpost.close_app(app)
    return seconds


def working_copy(size: int, workdir: Path) -> str:
    """A throwaway copy of the kept dataset (a file copy, or CREATE DATABASE ... TEMPLATE)."""
    location = kept_location(size)
    if server_url() is None:
        copy = workdir / "bench.sqlite"
        shutil.copyfile(location, copy)
        return _uri(str(copy))
    copy = make_url(location).set(database=f"{make_url(location).database}_run")
    with _admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{copy.database}"')
        connection.execute(
            f'CREATE DATABASE "{copy.database}" TEMPLATE "{make_url(location).database}"'
        )
    return copy.render_as_string(hide_password=False)


def drop_working_copy(uri: str) -> None:
    if server_url() is not None:
        with _admin_connection() as connection:
            database = make_url(uri).database
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def sample_database(workdir: Path) -> str:
    """An empty database for a fresh instance of the app (the throughput run's)."""
    if server_url() is None:
        return _uri(str(workdir / "sample.sqlite"))
    location = server_url().set(database=f"{server_url().database}_bench_sample")
    _drop(location.render_as_string(hide_password=False))
    return location.render_as_string(hide_password=False)


def sample_postcodes() -> list[str]:
    """The postcodes of the sample directory's buildings (east London and Cornwall)."""
    listings = json.loads((ROOT / "seeds" / "services.json").read_text())
    return sorted({s["location"]["postal_code"] for s in listings if s.get("location")})


def _uri(location: str) -> str:
    return location if "://" in location else f"sqlite:///{location}"


def _admin_connection():
    server = server_url()
    return psycopg.connect(
        host=server.host,
        port=server.port,
        user=server.username,
        password=server.password,
        dbname=server.database,
        autocommit=True,
    )


def _kept_dataset(location: str, size: int) -> float | None:
    """The kept dataset's generation time, if it exists and matches; else None."""
    query = "SELECT seconds FROM bench_dataset WHERE services = %s AND version = %s"
    try:
        if server_url() is None:
            if not Path(location).exists():
                return None
            with closing(sqlite3.connect(location)) as connection:
                row = connection.execute(
                    query.replace("%s", "?"), (size, GENERATOR_VERSION)
                ).fetchone()
        else:
            url = make_url(location)
            with psycopg.connect(
                host=url.host, port=url.port, user=url.username, password=url.password,
                dbname=url.database,
            ) as connection:  # fmt: skip
                row = connection.execute(query, (size, GENERATOR_VERSION)).fetchone()
    except (sqlite3.Error, psycopg.Error):
        return None
    return row[0] if row else None


def _drop(location: str) -> None:
    if server_url() is None:
        Path(location).parent.mkdir(parents=True, exist_ok=True)
        Path(location).unlink(missing_ok=True)
        return
    database = make_url(location).database
    with _admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
        connection.execute(f'CREATE DATABASE "{database}"')


def _generate(size: int) -> None:
    """Insert ``size`` services, their buildings and categories, in batches."""
    rng = random.Random(SEED)
    nrng = np.random.default_rng(SEED)
    words = vocabulary(rng)
    terms = [row[0] for row in db.session.execute(text("SELECT id FROM taxonomy_term"))]
    places = england_postcodes(size + int(size * SHARE_WITH_TWO_BUILDINGS) + 1, rng)
    organizations = [_organization(nrng, words) for _ in range(max(1, size // 10))]
    _insert("organization", organizations)
    for start in range(0, size, BATCH):
        count = min(BATCH, size - start)
        rows = _listings(count, organizations, terms, places, rng, nrng, words)
        for name in TABLES:
            _insert(name, rows[name])
    db.session.commit()


def _organization(nrng, words) -> dict:
    return {"id": str(uuid.uuid4()), "name": zipf_text(nrng, words, 3).title(), "description": ""}


def _listings(count, organizations, terms, places, rng, nrng, words) -> dict[str, list]:
    rows: dict[str, list] = {name: [] for name in TABLES}
    today, now = date.today(), datetime.now(UTC).replace(tzinfo=None)
    for _ in range(count):
        service_id = str(uuid.uuid4())
        rows["service"].append(
            {
                "id": service_id, "organization_id": rng.choice(organizations)["id"],
                "name": zipf_text(nrng, words, rng.randint(2, 4)).title(),
                "description": zipf_text(nrng, words, rng.randint(40, 90)),
                "status": "active", "is_free": True, "access_route": "either",
                "offers_in_person": True, "offers_online": False, "offers_telephone": False,
                "offers_home_visit": False, "capacity_status": rng.choice(CAPACITIES),
                "assured_date": today - timedelta(days=rng.randrange(CONFIRMED_WITHIN_DAYS)),
                "last_modified": now, "version": 1,
            }
        )  # fmt: skip
        buildings = rng.random()
        if buildings < SHARE_WITHOUT_BUILDING:
            rows["service"][-1].update(offers_in_person=False, offers_telephone=True)
            buildings = 0
        else:
            buildings = 2 if buildings < SHARE_WITHOUT_BUILDING + SHARE_WITH_TWO_BUILDINGS else 1
        for _ in range(buildings):
            postcode, latitude, longitude = places.pop()
            location_id = str(uuid.uuid4())
            rows["location"].append(
                {
                    "id": location_id, "address_1": "", "city": "", "postal_code": postcode,
                    "latitude": latitude, "longitude": longitude, "wheelchair_accessible": True,
                }
            )  # fmt: skip
            rows["service_at_location"].append(
                {"id": str(uuid.uuid4()), "service_id": service_id, "location_id": location_id}
            )
        for term in rng.sample(terms, rng.randint(1, 3)):
            rows["attribute"].append(
                {"id": str(uuid.uuid4()), "service_id": service_id, "taxonomy_term_id": term}
            )
    return rows


def _insert(table_name: str, rows: list[dict]) -> None:
    """executemany on SQLite, COPY on PostgreSQL."""
    if not rows:
        return
    columns = list(rows[0])
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(signpost.table(table_name).insert(), rows)
        return
    with connection.connection.driver_connection.cursor() as cursor:
        statement = f"COPY {table_name} ({', '.join(columns)}) FROM STDIN"
        with cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([row[column] for column in columns])


def vocabulary(rng: random.Random) -> list[str]:
    """Common listing words first (from the sample directory), then a long tail."""
    listings = json.loads((ROOT / "seeds" / "services.json").read_text())
    counts: Counter[str] = Counter()
    for listing in listings:
        words = (listing["name"] + " " + listing["description"]).lower()
        counts.update(re.findall(r"[a-z]+", words))
    common = [word for word, _ in counts.most_common()]
    syllables = ["ba", "ri", "lo", "ten", "mar", "sol", "ving", "der", "ca", "pel", "tor", "nis"]
    tail = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(30000)}
    return common + sorted(tail - set(common))


def zipf_text(nrng: np.random.Generator, words: list[str], length: int) -> str:
    ranks = nrng.zipf(1.15, size=length)
    return " ".join(words[min(rank, len(words)) - 1] for rank in ranks)


def in_england(postcode: str) -> bool:
    area = postcode[:2] if postcode[1].isalpha() else postcode[:1]
    return area not in NOT_ENGLAND


def england_postcodes(n: int, rng: random.Random) -> list[tuple[str, float, float]]:
    """n real English postcodes, each equally likely, in one pass over the table."""
    connection = sqlite3.connect(POSTCODE_DB)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    outcome = ensure_dataset(args.size, args.regenerate)
    print(json.dumps(outcome))
    if outcome["generated"]:
        print(f"generated {args.size:,} services in {outcome['generate_s']:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
