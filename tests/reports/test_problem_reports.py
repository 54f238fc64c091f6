"""Anyone reports a problem with a listing; editors and administrators are e-mailed, and
the report stays listed until someone resolves it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from signpost.accounts.roles import ADMIN, LINK_WORKER, ORG_EDITOR
from signpost.audit.models import AuditEvent
from signpost.extensions import db
from signpost.listings.ownership import add_editor
from signpost.reports.models import ProblemReport
from tests.directory_factories import make_organization, make_service
from tests.factories import csrf_token, login, make_user
from tests.pages import parse_fragment, parse_page

HX = {"HX-Request": "true"}


@pytest.fixture
def directory(app):
    ours = make_organization(db.session, "Stratford Friends")
    theirs = make_organization(db.session, "Canning Town Circle")
    service = make_service(db.session, "Friendship Cafe", organization=ours)
    their_service = make_service(db.session, "Knit and Natter", organization=theirs)
    editor = make_user(ORG_EDITOR, email="editor@stratford.example.org")
    other_editor = make_user(ORG_EDITOR, email="editor@canning.example.org")
    add_editor(editor, ours.id)
    add_editor(other_editor, theirs.id)
    admin = make_user(ADMIN, email="admin@signpost.example.org")
    db.session.commit()
    return service, their_service, editor, other_editor, admin


def _signed_in(app, user):
    client = app.test_client()
    login(client, user)
    return client


def _report(client, service, **data):
    path = f"/services/{service.id}/report-a-problem"
    return client.post(path, data={"csrf_token": csrf_token(client, path), **data})


def test_service_page_links_to_the_report_form(client, directory):
    service = directory[0]
    page = parse_page(client.get(f"/services/{service.id}"))
    link = page.select_one("#report-problem-link")
    assert link["href"] == f"/services/{service.id}/report-a-problem"
    form = parse_page(client.get(link["href"]))
    kinds = [radio["value"] for radio in form.select("input[name=kind]")]
    assert kinds == ["closed", "wrong_contact", "wrong_times", "other"]


def test_report_is_emailed_to_editors_and_administrators(client, directory, mailbox):
    service, _theirs, editor, other_editor, admin = directory
    response = _report(client, service, kind="wrong_times", note="Now Tuesdays, not Mondays.")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/services/{service.id}"
    thanks = parse_page(client.get(response.headers["Location"])).select_one(".signpost-flash")
    assert "Thank you" in thanks.get_text()

    assert sorted(m["To"] for m in mailbox.messages) == [admin.email, editor.email]
    message = mailbox.to(editor.email)[0]
    assert message["Subject"] == "Problem reported with the listing Friendship Cafe"
    body = mailbox.body(message)
    assert "The opening times are wrong" in body and "Now Tuesdays, not Mondays." in body
    assert not mailbox.to(other_editor.email)
    report = db.session.scalar(select(ProblemReport))
    assert (report.kind, report.organization_id) == ("wrong_times", service.organization_id)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose what is wrong with the listing."),
        ({"kind": "vanished"}, "Not a valid choice"),
        ({"kind": "other", "note": " "}, "Tell us in a few words what is wrong."),
        ({"kind": "closed", "note": "x" * 1001}, "Keep the note under 1000 characters."),
        ({"kind": "closed", "note": "gone\x00"}, "Remove the unusual characters from the note."),
    ],
)
def test_form_errors_are_shown_in_words(client, directory, mailbox, data, message):
    response = _report(client, directory[0], **data)
    assert response.status_code == 400
    page = parse_page(response)
    assert message in page.select_one(".nhsuk-error-summary").get_text()
    assert page.title.get_text().startswith("Error:")
    assert db.session.scalar(select(ProblemReport)) is None
    assert mailbox.messages == []


def test_reports_need_a_csrf_token(client, directory):
    response = client.post(f"/services/{directory[0].id}/report-a-problem", data={"kind": "closed"})
    assert response.status_code == 400
    assert db.session.scalar(select(ProblemReport)) is None


def test_reports_are_rate_limited(app, client, directory, mailbox):
    app.config["SIGNPOST_PROBLEM_REPORT_RATE_LIMIT"] = "2 per hour"
    statuses = [_report(client, directory[0], kind="closed").status_code for _ in range(3)]
    assert statuses == [303, 303, 429]
    assert len(db.session.scalars(select(ProblemReport)).all()) == 2


def test_reports_are_listed_until_resolved(app, client, directory, mailbox):
    service, their_service, editor, other_editor, admin = directory
    _report(client, service, kind="wrong_contact", note="The phone number is dead.")
    _report(client, their_service, kind="closed")
    ours, theirs = db.session.scalars(select(ProblemReport).order_by(ProblemReport.id)).all()

    admin_page = parse_page(_signed_in(app, admin).get("/reports"))
    assert {row["id"] for row in admin_page.select("#open-reports tbody tr")} == {
        f"report-{ours.id}",
        f"report-{theirs.id}",
    }
    editor_client = _signed_in(app, editor)
    editor_page = parse_page(editor_client.get("/reports"))
    rows = editor_page.select("#open-reports tbody tr")
    assert [row["id"] for row in rows] == [f"report-{ours.id}"]
    assert "The phone number is dead." in rows[0].get_text()

    form = rows[0].select_one("form")
    token = csrf_token(editor_client, "/reports")
    response = editor_client.post(form["action"], data={"csrf_token": token}, headers=HX)
    assert response.status_code == 200
    assert "Resolved" in parse_fragment(response).select_one(f"#report-{ours.id}").get_text()
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "problem_report.resolve")
    )
    assert (event.user_id, event.detail) == (editor.id, {"report_id": ours.id})
    assert parse_page(editor_client.get("/reports")).select_one("#no-open-reports") is not None

    # Someone else's report: 403, and it stays open. Without JavaScript: 303 back.
    response = editor_client.post(f"/reports/{theirs.id}/resolve", data={"csrf_token": token})
    assert response.status_code == 403
    admin_client = _signed_in(app, admin)
    response = admin_client.post(
        f"/reports/{theirs.id}/resolve", data={"csrf_token": csrf_token(admin_client, "/reports")}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/reports"
    assert db.session.get(ProblemReport, theirs.id).resolved_by_id == admin.id


def test_link_workers_cannot_see_reports(app, directory):
    assert _signed_in(app, make_user(LINK_WORKER)).get("/reports").status_code == 403
