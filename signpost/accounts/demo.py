"""One demo account per role, for development only (SIGNPOST_DEMO_ACCOUNTS=1, set by make run)."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from signpost.accounts.actions import create_user
from signpost.accounts.models import User
from signpost.accounts.roles import ADMIN, LINK_WORKER, ORG_EDITOR, PRACTICE_ADMIN, SUPERVISOR
from signpost.extensions import db

DEMO_PASSWORD = "signpost-demo"
DEMO_ACCOUNTS = {
    SUPERVISOR: ("supervisor@example.org", "Sam Supervisor"),
    LINK_WORKER: ("linkworker@example.org", "Lee Linkworker"),
    ADMIN: ("admin@example.org", "Alex Administrator"),
    ORG_EDITOR: ("editor@example.org", "Eden Editor"),
    PRACTICE_ADMIN: ("practice@example.org", "Pat Practice"),
}


def ensure_demo_accounts() -> int:
    """Create any missing demo account; returns how many were created. Dev mode only."""
    if not current_app.config["SIGNPOST_DEMO_ACCOUNTS"]:
        return 0
    created = 0
    for role, (email, name) in DEMO_ACCOUNTS.items():
        if db.session.scalar(select(User).where(User.email == email)) is None:
            create_user(email, role, name, DEMO_PASSWORD)
            created += 1
    supervisor = db.session.scalar(select(User).where(User.email == "supervisor@example.org"))
    link_worker = db.session.scalar(select(User).where(User.email == "linkworker@example.org"))
    if link_worker.supervisor_id is None:
        link_worker.supervisor_id = supervisor.id
        db.session.commit()
    _tie_demo_editor_to_an_organisation()
    _give_demo_practice_admin_a_practice()
    return created


def _tie_demo_editor_to_an_organisation() -> None:
    """The demo editor edits the first organisation by name, so "Your listings" has content."""
    from signpost.directory.models import Organization
    from signpost.listings.ownership import add_editor, editable_organization_ids

    editor = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[ORG_EDITOR][0]))
    first = db.session.scalar(select(Organization).order_by(Organization.name).limit(1))
    if editor is None or first is None or editable_organization_ids(editor):
        return
    add_editor(editor, first.id)
    db.session.commit()


DEMO_PRACTICE = {
    "slug": "stratford-village-surgery",
    "name": "Stratford Village Surgery",
    "home_postcode": "E15 4HT",
    "ods_code": "F84003",
}
DEMO_PRACTICE_ORIGIN = "http://localhost:8000"  # `python3 -m http.server 8000` to try embedding


def _give_demo_practice_admin_a_practice() -> None:
    """The demo practice administrator runs a Newham practice; localhost:8000 may embed it."""
    from signpost.geo.errors import PostcodeError
    from signpost.widget import actions, queries

    admin = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[PRACTICE_ADMIN][0]))
    if admin is None or queries.practice_by_slug(DEMO_PRACTICE["slug"]) is not None:
        return
    try:
        practice = actions.create_practice(**DEMO_PRACTICE)
    except PostcodeError:  # no postcode table yet: the practice comes on a later start
        current_app.logger.warning("Demo practice not created: the postcode is not locatable.")
        return
    settings = actions.WidgetSettings(
        heading="Find local support",
        home_postcode=practice.home_postcode,
        radius_miles=practice.radius_miles,
        accent_colour=practice.accent_colour,
        featured_categories=["loneliness", "mental-wellbeing", "physical-activity", "debt-money"],
        allowed_origins=[DEMO_PRACTICE_ORIGIN],
    )
    actions.update_widget(practice, settings)
    actions.add_administrator(practice, admin)
