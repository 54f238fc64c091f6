"""Who may edit which organisation: editors only their own, administrators all, refusals logged."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.exceptions import Forbidden

from signpost.accounts.demo import DEMO_ACCOUNTS, ensure_demo_accounts
from signpost.accounts.models import User
from signpost.accounts.roles import ADMIN, LINK_WORKER, ORG_EDITOR
from signpost.audit.models import AuditEvent
from signpost.extensions import db
from signpost.listings.ownership import (
    add_editor,
    editable_organization_ids,
    editors_of,
    may_edit_organization,
    policy_for,
    require_organization_editor,
)
from tests.directory_factories import make_organization
from tests.factories import make_user


def test_editor_may_edit_only_their_organisations(app):
    ours = make_organization(db.session, "Ours")
    theirs = make_organization(db.session, "Theirs")
    editor = make_user(ORG_EDITOR)
    add_editor(editor, ours.id)
    add_editor(editor, ours.id)  # idempotent
    db.session.commit()

    assert editable_organization_ids(editor) == {ours.id}
    assert may_edit_organization(editor, ours.id)
    assert not may_edit_organization(editor, theirs.id)
    assert editors_of(ours.id) == [editor]
    assert editors_of(theirs.id) == []


def test_admin_may_edit_everything_and_link_workers_nothing(app):
    organization = make_organization(db.session)
    assert may_edit_organization(make_user(ADMIN), organization.id)
    assert not may_edit_organization(make_user(LINK_WORKER), organization.id)


def test_refusal_is_403_and_audited(app):
    theirs = make_organization(db.session, "Theirs")
    editor = make_user(ORG_EDITOR)
    with app.test_request_context(), pytest.raises(Forbidden):
        require_organization_editor(editor, theirs.id)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "listing.edit_refused"))
    assert event.user_id == editor.id and event.subject_id == theirs.id


def test_policy_defaults_to_untrusted_and_not_opted_in(app):
    organization = make_organization(db.session)
    policy = policy_for(organization.id)
    assert policy.trusted is False and policy.referral_feedback_email is None


def test_demo_editor_is_tied_to_an_organisation(app):
    make_organization(db.session, "Alpha Group")
    db.session.commit()
    app.config["SIGNPOST_DEMO_ACCOUNTS"] = True
    ensure_demo_accounts()
    editor = db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[ORG_EDITOR][0]))
    assert len(editable_organization_ids(editor)) == 1
