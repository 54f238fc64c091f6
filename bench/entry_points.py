"""Every call the benchmark makes into Signpost, in one place.

The search internals are being rewritten, so the bench leans only on stable public entry
points: ``create_app``, ``search_services(SearchRequest)``, ``build_engine_query``,
``rebuild_index``, the ranking's constants, the web page and the API by URL, and the real
edit path (``listings.actions.publish`` of a changed ``snapshot_of``). When one of these
changes, adapt the small function here that wraps it and nothing else.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from signpost import create_app  # noqa: E402
from signpost.extensions import db  # noqa: E402
from signpost.geo.distance import EARTH_RADIUS_MILES, bounding_box  # noqa: E402, F401
from signpost.search import ranking  # noqa: E402

RADIUS_MILES = 25
METRES_PER_MILE = 1609.344
POSTCODE_DB = ROOT / "instance" / "postcodes.sqlite"
# Generous enough never to throttle the bench's own requests (the limiter still runs).
UNLIMITED = "1000000 per minute"
RATE_LIMIT_SETTINGS = (
    "SIGNPOST_API_RATE_LIMIT",
    "SIGNPOST_SEARCH_RATE_LIMIT",
    "SIGNPOST_WIDGET_RATE_LIMIT",
)
# The engine's field weights (name 3, categories 2, description 1), as the issue states them.
FIELD_WEIGHTS = {"name": 3.0, "categories": 2.0, "description": 1.0}


def make_app(database_uri: str, index_dir: Path, **overrides):
    """The real app on the given database and index, as tests build it."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench-secret",
            "SQLALCHEMY_DATABASE_URI": database_uri,
            "SIGNPOST_INDEX_DIR": str(index_dir),
            "SIGNPOST_POSTCODE_DB": str(POSTCODE_DB),
            "SIGNPOST_AUTO_SEED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "SIGNPOST_ARGON2_FAST": True,
            **dict.fromkeys(RATE_LIMIT_SETTINGS, UNLIMITED),
            **overrides,
        }
    )


def close_app(app) -> None:
    """Close the app's database connections (a PostgreSQL copy cannot be dropped in use)."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def upgrade_schema() -> None:
    """The migrations, as ``flask db upgrade`` applies them (a no-op when up to date)."""
    from flask_migrate import upgrade

    upgrade(directory=str(ROOT / "signpost" / "migrations"))


def seed_sample_directory() -> None:
    """The sample directory: its categories, organisations and ~356 real-looking services."""
    from flask import current_app

    from signpost.directory.seed import seed_directory

    seed_directory(db.session, postcode_db=current_app.config["SIGNPOST_POSTCODE_DB"])


def table(name: str):
    return db.metadata.tables[name]


def analyze() -> None:
    """Planner statistics, as ``flask reindex`` refreshes them after a bulk load."""
    db.session.execute(text("ANALYZE"))
    db.session.commit()


def build_index() -> int:
    from signpost.search.indexer import rebuild_index

    return rebuild_index()


def search(words: str, postcode: str) -> tuple[list[str], int]:
    """Page 1 of the search every caller uses: the top 20 ids and the exact total."""
    from signpost.search.contract import SearchRequest
    from signpost.search.service_search import search_services

    results = search_services(
        SearchRequest(text=words, postcode=postcode, radius_miles=RADIUS_MILES)
    )
    return [item.service.id for item in results.items], results.total


def engine_search(words: list[tuple[str, float]], latitude: float, longitude: float):
    """The engine alone on the same inputs as the reference (weighted words worked out
    beforehand, the origin's coordinates): the exact total and the top 20 ids."""
    from datetime import date, timedelta

    from signpost.search.engine import EngineQuery, EngineSearch, WeightedTerm
    from signpost.search.indexer import search_engine

    page = search_engine().search(
        EngineSearch(
            EngineQuery([WeightedTerm(word, weight) for word, weight in words]),
            origin=(latitude, longitude),
            radius_miles=RADIUS_MILES,
            stale_before=date.today() - timedelta(days=183),
        )
    )
    return [hit.service_id for hit in page.hits], page.total


def engine_words(words: str) -> list[tuple[str, float]]:
    """The weighted words the engine looks for: typed, corrected and synonyms."""
    from signpost.search.indexer import search_engine
    from signpost.search.query_text import build_engine_query

    return [(term.word, term.weight) for term in build_engine_query(words, search_engine()).terms]


def page_path(words: str, postcode: str) -> str:
    """The web search page, as the search form submits it."""
    return "/search?" + urlencode({"q": words, "postcode": postcode, "radius": RADIUS_MILES})


def api_path(words: str, postcode: str) -> str:
    """The same search through the API: the same radius, in metres, and a page of 20."""
    proximity = round(RADIUS_MILES * METRES_PER_MILE)
    query = {"search": words, "postcode": postcode, "proximity": proximity, "per_page": 20}
    return "/api/v1/services?" + urlencode(query)


def ranking_constants() -> dict:
    """The formula's constants (``signpost.search.ranking``), for the reference to share."""
    from flask import current_app

    return {
        "half_proximity_miles": ranking.HALF_PROXIMITY_MILES,
        "remote_proximity": ranking.REMOTE_PROXIMITY,
        "distance_share": ranking.DISTANCE_SHARE,
        "capacity_factors": dict(ranking.CAPACITY_FACTORS),
        "stale_factor": ranking.STALE_FACTOR,
        "stale_after_days": current_app.config.get("SIGNPOST_STALE_AFTER_DAYS", 183),
    }


def published_listings() -> Iterator[tuple]:
    """Each published service's searchable text and ranking inputs, for the reference:
    (id, name, description, categories, capacity, assured_date, feedback_on)."""
    category_text = {
        term_id: f"{name}. {description}"
        for term_id, name, description in db.session.execute(
            text("SELECT id, name, description FROM taxonomy_term")
        )
    }
    terms: dict[str, list[str]] = {}
    for service_id, term_id in db.session.execute(
        text("SELECT service_id, taxonomy_term_id FROM attribute ORDER BY service_id, id")
    ):
        terms.setdefault(service_id, []).append(term_id)
    rows = db.session.execute(
        text(
            "SELECT s.id, s.name, s.description, s.capacity_status, s.assured_date,"
            " f.feedback_confirmed_on FROM service s"
            " LEFT JOIN listing_freshness f ON f.service_id = s.id"
            " WHERE s.status = 'active' ORDER BY s.id"
        ).execution_options(yield_per=5000)
    )
    for service_id, name, description, capacity, assured, feedback_on in rows:
        categories = " ".join(category_text[t] for t in terms.get(service_id, []))
        yield service_id, name, description or "", categories, capacity, assured, feedback_on


def published_buildings() -> list[tuple[str, float, float]]:
    """(service id, latitude, longitude) for every building of a published service."""
    return db.session.execute(
        text(
            "SELECT sl.service_id, l.latitude, l.longitude FROM service_at_location sl"
            " JOIN location l ON l.id = sl.location_id JOIN service s ON s.id = sl.service_id"
            " WHERE s.status = 'active' AND l.latitude IS NOT NULL"
        )
    ).all()


def published_listings_ids() -> list[str]:
    return list(db.session.scalars(text("SELECT id FROM service WHERE status = 'active'")))


def create_directory_admin() -> int:
    """A directory administrator, whose edits publish at once (no moderation); its id."""
    from signpost.accounts.models import User
    from signpost.accounts.passwords import hash_password
    from signpost.accounts.roles import ADMIN

    user = User(
        email="bench-admin@example.org",
        role=ADMIN,
        name="Bench admin",
        password_hash=hash_password("bench admin password"),
    )
    db.session.add(user)
    db.session.commit()
    return user.id


def publish_edit(service_id: str, admin_id: int, extra_word: str) -> None:
    """Publish an edit of one listing through the real edit path: its name gains a word."""
    from signpost.accounts.models import User
    from signpost.directory.models import Service
    from signpost.listings.actions import publish
    from signpost.listings.snapshots import snapshot_of

    service = db.session.get(Service, service_id)
    snapshot = snapshot_of(service)
    snapshot["name"] = f"{snapshot['name']} {extra_word}"
    admin = db.session.get(User, admin_id)
    publish(service, snapshot, admin, organization_id=service.organization_id)
    db.session.remove()  # the next search starts from a fresh session, as a request does


def service_name(service_id: str) -> str:
    return db.session.execute(
        text("SELECT name FROM service WHERE id = :id"), {"id": service_id}
    ).scalar_one()
