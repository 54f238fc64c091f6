"""The audit trail records and cannot be rewritten."""

from __future__ import annotations

import pytest

from signpost.accounts.roles import LINK_WORKER, SUPERVISOR
from signpost.audit.log import record_audit
from signpost.audit.models import AuditEvent, AuditTrailIsAppendOnly
from signpost.extensions import db
from tests.factories import login, make_user
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
    worker = make_user(LINK_WORKER)
    from_elsewhere = app.test_client()
    from_elsewhere.environ_base["REMOTE_ADDR"] = "203.0.113.7"
    login(from_elsewhere, worker)  # the sign-in is audited with where it came from
    supervisor = client_as(SUPERVISOR)
    page = parse_page(supervisor.get(f"/audit?subject_type=user&subject_id={worker.id}"))
    rows = page.select("#audit-table tbody tr")
    assert len(rows) == 1
    when, who, what, record, where = (td.get_text(strip=True) for td in rows[0].select("td"))
    assert (who, what, record) == (worker.email, "login", f"user {worker.id}")
    assert where == "203.0.113.7"


@pytest.mark.parametrize(
    "query",
    [
        "page=%C2%B2",  # "²": str.isdigit() says yes, int() says no
        "page=99999999999999999999999",  # an OFFSET no database can hold
        "page=-1",
        "page=two",
        "subject_id=p%00",  # PostgreSQL text cannot hold NUL
        "subject_id=" + "x" * 65,  # longer than AuditEvent.subject_id
    ],
)
def test_bad_filters_and_page_numbers_are_a_400_in_words(app, client_as, query):
    response = client_as(SUPERVISOR).get(f"/audit?{query}")
    assert response.status_code == 400
    summary = parse_page(response).select_one(".nhsuk-error-summary")
    assert summary is not None and summary.select("li")


def test_a_page_past_the_end_is_empty_not_an_error(app, client_as):
    page = parse_page(client_as(SUPERVISOR).get("/audit?page=999999"))
    assert page.select("#audit-table tbody tr") == []


def test_sign_ins_are_audited_without_secrets(app, client_as):
    client_as(SUPERVISOR)
    event = db.session.query(AuditEvent).filter_by(action="login").one()
    assert event.detail is None
