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
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path, name),
            "SIGNPOST_INDEX_DIR": str(tmp_path / f"index-{name}"),
            "SIGNPOST_AUTO_SEED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            **overrides,
        }
    )


@pytest.fixture
def app(tmp_path):
    app = make_test_app(tmp_path)
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def seeded_app(tmp_path_factory):
    app = make_test_app(tmp_path_factory.mktemp("seeded"), "seeded")
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
def seeded(seeded_app):
    """An app context on the seeded directory."""
    with seeded_app.app_context():
        yield seeded_app
        db.session.remove()


@pytest.fixture
def seeded_client(seeded):
    return seeded.test_client()
