"""Listings fixtures: an organisation with a service and a signed-in editor (editing and
moderation); two organisations with their editors and a real local SMTP server (freshness,
reminders, referral feedback)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup

from signpost.accounts.roles import ADMIN, LINK_WORKER, ORG_EDITOR
from signpost.directory.models import Organization, Service
from signpost.extensions import db
from signpost.listings.ownership import add_editor, policy_for
from signpost.search.indexer import rebuild_index
from tests.directory_factories import make_organization, make_service
from tests.factories import login, make_user
from tests.mailbox import running_mailbox
from tests.pages import parse_page


@dataclass
class Listing:
    organization: Organization
    service: Service
    editor: object  # a signed-in test client, ``.user`` is the editor


@pytest.fixture
def listing(app, client_as):
    """An untrusted organisation with one indexed service and a signed-in editor."""
    return make_listing(client_as)


def make_listing(client_as, *, trusted: bool = False, name: str = "Stratford Walking Group"):
    organization = make_organization(db.session, f"{name} Trust")
    service = make_service(
        db.session,
        name,
        "Gentle walks in the park every week.",
        organization=organization,
        categories=["physical-activity"],
        exclusions="Not suitable for wheelchair users",
    )
    policy_for(organization.id).trusted = trusted
    editor = client_as(ORG_EDITOR)
    add_editor(editor.user, organization.id)
    db.session.commit()
    rebuild_index()
    return Listing(organization, service, editor)


@pytest.fixture
def admin(client_as):
    return client_as(ADMIN)


def edit_path(service_id: str) -> str:
    return f"/your-listings/services/{service_id}/edit"


def form_values(response, form_id: str = "listing-form") -> dict[str, list[str]]:
    """What the browser would send for the form as shown: every field, as typed or ticked."""
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    form = soup.find("form", id=form_id)
    assert form is not None, f"no form #{form_id}"
    values: dict[str, list[str]] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name:
            continue
        if field.name == "textarea":
            value = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            value = chosen.get("value", "") if chosen else ""
        elif field.get("type") == "checkbox":
            if not field.has_attr("checked"):
                continue
            value = field.get("value", "y")
        else:
            value = field.get("value", "")
        values.setdefault(name, []).append(value)
    return values


def save(client, path: str, values: dict, **changes):
    """Post the form with some fields changed (``field=value``; a list for several values)."""
    data = dict(values)
    for name, value in changes.items():
        data[name.replace("__", "-")] = value if isinstance(value, list) else [value]
    return client.post(path, data=data)


def open_form(client, service_id: str):
    response = client.get(edit_path(service_id))
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    parse_page(response)
    return form_values(response)


LONG_AGO = date.today() - timedelta(days=400)


@pytest.fixture
def mailbox(app):
    with running_mailbox(app) as received:
        yield received


@dataclass
class Listings:
    ours: object  # organisation
    theirs: object
    service: object  # ours, last checked long ago
    their_service: object
    editor: object
    other_editor: object
    admin: object
    link_worker: object


@pytest.fixture
def listings(app) -> Listings:
    ours = make_organization(db.session, "Stratford Friends")
    theirs = make_organization(db.session, "Canning Town Circle")
    service = make_service(db.session, "Friendship Cafe", organization=ours, assured_date=LONG_AGO)
    their_service = make_service(db.session, "Knit and Natter", organization=theirs)
    editor = make_user(ORG_EDITOR, email="editor@stratford.example.org", name="Priya")
    other_editor = make_user(ORG_EDITOR, email="editor@canning.example.org")
    add_editor(editor, ours.id)
    add_editor(other_editor, theirs.id)
    db.session.commit()
    rebuild_index()
    return Listings(
        ours,
        theirs,
        service,
        their_service,
        editor,
        other_editor,
        make_user(ADMIN, email="admin@signpost.example.org"),
        make_user(LINK_WORKER),
    )


def signed_in(app, user):
    client = app.test_client()
    login(client, user)
    return client
