"""Shared fixtures: an app on a fresh database (temp SQLite, or PostgreSQL when
DATABASE_URL is set, as CI's second run does) and a search index in a temp dir."""

from __future__ import annotations

import os

import pytest

from signpost import create_app
from signpost.extensions import db


def _database_url(tmp_path) -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_path / 'test.sqlite'}"


@pytest.fixture
def app(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret",
            "SQLALCHEMY_DATABASE_URI": _database_url(tmp_path),
            "SIGNPOST_INDEX_DIR": str(tmp_path / "index"),
            "SIGNPOST_AUTO_SEED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
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
