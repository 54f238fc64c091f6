"""A practice with a widget over a small indexed directory around Stratford (E15)."""

from __future__ import annotations

import pytest

from signpost.extensions import db
from signpost.search.indexer import rebuild_index
from signpost.widget import actions
from tests.directory_factories import make_service, make_term

PRACTICE_ORIGIN = "https://www.stratford-surgery.example"


def widget_settings(practice, **changes) -> actions.WidgetSettings:
    values = {
        "heading": practice.heading,
        "home_postcode": practice.home_postcode,
        "radius_miles": practice.radius_miles,
        "accent_colour": practice.accent_colour,
        "featured_categories": list(practice.featured_categories),
        "allowed_origins": list(practice.allowed_origins),
    }
    values.update(changes)
    return actions.WidgetSettings(**values)


@pytest.fixture
def directory(app):
    make_term(db.session, "loneliness", "Loneliness and befriending")
    make_term(db.session, "debt-money", "Debt and money")
    make_term(db.session, "housing", "Housing")
    services = {
        "befriending": make_service(
            db.session,
            "Stratford Befriending",
            "Weekly visits and phone calls for people who feel lonely.",
            categories=["loneliness"],
            postcode="E15 4HT",
        ),
        "debt": make_service(
            db.session,
            "Newham Debt Advice",
            "Free, confidential debt advice and help with bills.",
            categories=["debt-money"],
            postcode="E13 9PJ",
        ),
        "far": make_service(
            db.session,
            "Penzance Lunch Club",
            "A friendly lunch club for lonely older people.",
            categories=["loneliness"],
            postcode="TR18 2AB",
        ),
    }
    rebuild_index()
    return services


@pytest.fixture
def practice(app, directory):
    practice = actions.create_practice(
        "stratford-village", "Stratford Village Surgery", "E15 4HT", "F84003"
    )
    actions.update_widget(
        practice,
        widget_settings(
            practice,
            featured_categories=["loneliness", "debt-money"],
            allowed_origins=[PRACTICE_ORIGIN],
            accent_colour="#7c2855",
        ),
    )
    return practice
