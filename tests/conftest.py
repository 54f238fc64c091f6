"""Shared fixtures: an app on a fresh database (temp SQLite, or PostgreSQL when
DATABASE_URL is set, as CI's second run does) and a search index in a temp dir.

``seeded_app`` is one app per test session holding the whole sample directory and its
index, for tests that only read (search quality, pages); it gets its own database so the
per-test ``app`` fixture, which empties its database, cannot disturb it.
"""

from __future__ import annotations

import os

import psycopg
import pytest
from flask import g
from sqlalchemy.engine import make_url

from signpost import create_app
from signpost.directory.seed import seed_directory
from signpost.extensions import db
from signpost.search.indexer import rebuild_index


def _database_url(tmp_path, name: str = "test") -> str:
    server = os.environ.get("DATABASE_URL")
    if not server:
        return f"sqlite:///{tmp_path / (name + '.sqlite')}"
    if name == "test":
        return server
    return str(_ensure_postgres_database(server, f"{make_url(server).database}_{name}"))


def _ensure_postgres_database(server: str, database: str):
    url = make_url(server)
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname=url.database, autocommit=True
    ) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
        if exists.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{database}"')
    return url.set(database=database).render_as_string(hide_password=False)


def make_test_app(tmp_path, name: str = "test", **overrides):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path, name),
            "SIGNPOST_INDEX_DIR": str(tmp_path / f"index-{name}"),
            "SIGNPOST_AUTO_SEED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "SIGNPOST_ARGON2_FAST": True,
            **overrides,
        }
    )
    # The fixtures below keep one app context open for a whole test, and Flask reuses an
    # open app context for each request, so ``g`` (where Flask-Login keeps the current user
    # and Flask-WTF the CSRF token) would leak between requests and between clients.
    # Start every request with an empty ``g``, as it is in production.
    app.before_request_funcs.setdefault(None, []).insert(0, _empty_g)
    return app


def _empty_g() -> None:
    g.__dict__.clear()


def on_postgres() -> bool:
    return bool(os.environ.get("DATABASE_URL"))


def engines_to_test() -> list[str]:
    """Both engines when the tests run on PostgreSQL, whoosh alone on SQLite."""
    return ["whoosh", "postgres"] if on_postgres() else ["whoosh"]


def fresh_app(tmp_path, **overrides):
    """An app on an empty database with an empty index, inside its app context."""
    app = make_test_app(tmp_path, **overrides)
    with app.app_context():
        db.drop_all()
        db.create_all()
        rebuild_index()  # empty: every commit that changes a listing then indexes it
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def seeded_directory_app(tmp_path, name: str, **overrides):
    app = make_test_app(tmp_path, name, **overrides)
    with app.app_context():
        db.drop_all()
        db.create_all()
        seed_directory(db.session, postcode_db=app.config["SIGNPOST_POSTCODE_DB"])
        rebuild_index()
        db.session.remove()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(tmp_path):
    yield from fresh_app(tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def seeded_app(tmp_path_factory):
    yield from seeded_directory_app(tmp_path_factory.mktemp("seeded"), "seeded")


@pytest.fixture
def seeded(seeded_app):
    """An app context on the seeded directory."""
    with seeded_app.app_context():
        yield seeded_app
        db.session.remove()


@pytest.fixture
def seeded_client(seeded):
    return seeded.test_client()


@pytest.fixture
def client_as(app):
    """``client_as(role)``: a test client signed in as a new user with that role."""
    from tests.factories import login, make_user

    def signed_in(role: str, **fields):
        user = make_user(role, **fields)
        client = app.test_client()
        login(client, user)
        client.user = user
        return client

    return signed_in
