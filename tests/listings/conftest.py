"""Listings tests: a real local SMTP server, and two organisations with their editors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from signpost.accounts.roles import ADMIN, LINK_WORKER, ORG_EDITOR
from signpost.extensions import db
from signpost.listings.ownership import add_editor
from signpost.search.indexer import rebuild_index
from tests.directory_factories import make_organization, make_service
from tests.factories import login, make_user
from tests.mailbox import running_mailbox

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
