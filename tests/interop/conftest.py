"""Helpers for import and export tests: a directory with every kind of child row."""

from __future__ import annotations

import json
from datetime import time

import pytest

from signpost.directory.models import Contact, CostOption, Phone
from signpost.extensions import db
from tests.directory_factories import make_service


@pytest.fixture
def rich_directory(app):
    """Two published services with phones, contacts, costs, a shared organisation; one draft."""
    walk = make_service(
        db.session,
        name="Walking for health",
        categories=["physical-activity", "loneliness"],
        opening_days=("TU", "TH"),
        opens_at=time(9, 30),
        minimum_age=18,
        wheelchair=True,
        commit=False,
        url="https://example.org/walks",
        capacity_status="waiting_list",
        waiting_list_weeks=3,
        offers_online=True,
        exclusions="Not a crisis service.",
    )
    walk.phones.append(Phone(number="020 7946 0000", description="Main line"))
    walk.contacts.append(Contact(name="Sam", title="Coordinator", phone="020 7946 0001"))
    walk.cost_options.append(CostOption(option="Per session", amount=2.5))
    walk.is_free = False
    walk.organization.phone = "020 7946 0999"
    walk.service_at_locations[0].location.accessibility_description = "Step-free route"
    make_service(
        db.session,
        name="Telephone befriending",
        categories=["loneliness", "older-people"],
        postcode=None,
        organization=walk.organization,
        commit=False,
    )
    make_service(db.session, name="Draft club", status="inactive", commit=False)
    db.session.commit()
    return walk


def write_json(path, data) -> str:
    path.write_text(json.dumps(data))
    return str(path)
