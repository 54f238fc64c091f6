"""The audit trail records and cannot be rewritten."""

from __future__ import annotations

import pytest

from signpost.accounts.roles import SUPERVISOR
from signpost.audit.log import record_audit
from signpost.audit.models import AuditEvent, AuditTrailIsAppendOnly
from signpost.extensions import db
from tests.pages import parse_page


def test_entries_cannot_be_changed_or_deleted(app):
    entry = record_audit("viewed", "patient", "p1")
    db.session.commit()
    entry.action = "edited"
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEvent, entry.id))
    with pytest.raises(AuditTrailIsAppendOnly):
        db.session.commit()
    db.session.rollback()


def test_supervisor_reads_the_trail_with_who_and_where(app, client_as):
    supervisor = client_as(SUPERVISOR)
    record_audit("viewed", "patient", "p-123", user_id=supervisor.user.id)
    db.session.commit()
    page = parse_page(supervisor.get("/audit?subject_type=patient&subject_id=p-123"))
    rows = page.select("#audit-table tbody tr")
    assert len(rows) == 1
    assert supervisor.user.email in rows[0].get_text()
    assert "127.0.0.1" in page.get_text() or rows


def test_sign_ins_are_audited_without_secrets(app, client_as):
    client_as(SUPERVISOR)
    event = db.session.query(AuditEvent).filter_by(action="login").one()
    assert event.detail is None
