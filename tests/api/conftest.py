"""A small published directory for the API tests, indexed so text search works."""

from __future__ import annotations

import pytest

from signpost.search.indexer import rebuild_index
from tests.directory_factories import make_service


@pytest.fixture
def directory(app):
    """Three published services near Stratford (E15) and one unpublished one."""
    services = {
        "walk": make_service(
            app.extensions["sqlalchemy"].session,
            name="Walking for health",
            description="Gentle group walks in the park for people feeling lonely.",
            categories=["physical-activity", "loneliness"],
            postcode="E15 4HT",
            opening_days=("TU", "TH"),
            minimum_age=18,
        ),
        "choir": make_service(
            app.extensions["sqlalchemy"].session,
            name="Community choir",
            description="Sing with others every week, no experience needed; good for loneliness.",
            categories=["arts-music", "loneliness"],
            postcode="E1 6AN",
            opening_days=("WE",),
        ),
        "phone": make_service(
            app.extensions["sqlalchemy"].session,
            name="Telephone befriending",
            description="A weekly friendly call for people who are lonely at home.",
            categories=["loneliness"],
            postcode=None,
            opening_days=("MO",),
            maximum_age=25,
        ),
        "draft": make_service(
            app.extensions["sqlalchemy"].session,
            name="Closed lunch club",
            description="Lonely? This one is not published.",
            categories=["loneliness"],
            status="inactive",
        ),
    }
    rebuild_index()
    return services
