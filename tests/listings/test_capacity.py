"""Capacity in one click: published at once, counted as a check, shown and ranked in search."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from signpost.audit.models import AuditEvent
from signpost.directory.models import Service
from signpost.extensions import db
from tests.factories import csrf_token
from tests.listings.conftest import LONG_AGO, signed_in
from tests.pages import parse_fragment, parse_page

HX = {"HX-Request": "true"}


def _post(client, service, data, **kwargs):
    token = csrf_token(client, f"/services/{service.id}")
    return client.post(
        f"/services/{service.id}/capacity", data={"csrf_token": token, **data}, **kwargs
    )


def _capacity_in_results(client, query, service_id) -> str:
    soup = parse_page(client.get(f"/search?q={query}"))
    item = soup.select_one(f'#result-list > li[data-service-id="{service_id}"]')
    return item.select_one(".nhsuk-tag").get_text(strip=True)


def test_editor_marks_a_service_full_by_htmx(app, client, listings):
    editor = signed_in(app, listings.editor)
    page = parse_page(editor.get(f"/services/{listings.service.id}"))
    control = page.select_one(f"form#capacity-{listings.service.id}")
    assert control["hx-target"] == "this" and control["hx-swap"] == "outerHTML"
    labels = [b.get_text(strip=True) for b in control.select("button[name=capacity_status]")]
    assert labels == ["Accepting referrals", "Waiting list", "Full", "Paused"]

    response = _post(editor, listings.service, {"capacity_status": "full"}, headers=HX)
    assert response.status_code == 200
    fragment = parse_fragment(response)
    assert fragment.select_one("[data-capacity]").get_text() == "Full"
    assert "Link workers see this now" in fragment.get_text()

    service = db.session.get(Service, listings.service.id)
    assert service.capacity_status == "full"
    assert service.assured_date == date.today()  # a capacity change counts as a check
    assert _capacity_in_results(client, "friendship", service.id) == "Full"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "listing.capacity"))
    assert event.detail == {"from": "accepting", "to": "full", "waiting_list_weeks": None}


def test_waiting_list_needs_weeks_and_shows_them(app, client, listings):
    editor = signed_in(app, listings.editor)
    response = _post(editor, listings.service, {"capacity_status": "waiting_list"}, headers=HX)
    assert response.status_code == 200
    assert "Give the waiting time in weeks" in parse_fragment(response).get_text()
    assert db.session.get(Service, listings.service.id).capacity_status == "accepting"

    response = _post(editor, listings.service, {"capacity_status": "waiting_list"})
    assert response.status_code == 400
    assert "Give the waiting time in weeks" in parse_page(response).get_text()

    response = _post(
        editor, listings.service, {"capacity_status": "waiting_list", "waiting_list_weeks": "6"}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/services/{listings.service.id}"
    assert _capacity_in_results(client, "friendship", listings.service.id) == (
        "Waiting list: about 6 weeks"
    )


def test_full_services_rank_below_accepting_ones(app, client, listings):
    twin = listings.their_service
    twin.name, twin.description = "Friendship Circle", listings.service.description
    listings.service.assured_date = date.today()
    db.session.commit()
    soup = parse_page(client.get("/search?q=friendship"))
    before = [li["data-service-id"] for li in soup.select("#result-list > li")]
    assert before == [listings.service.id, twin.id]  # equal scores: by name

    _post(signed_in(app, listings.editor), listings.service, {"capacity_status": "paused"})
    soup = parse_page(client.get("/search?q=friendship"))
    assert [li["data-service-id"] for li in soup.select("#result-list > li")] == [
        twin.id,
        listings.service.id,
    ]


def test_saving_the_same_capacity_is_not_a_check(app, listings):
    editor = signed_in(app, listings.editor)
    response = _post(editor, listings.service, {"capacity_status": "accepting"}, headers=HX)
    assert "No change" in parse_fragment(response).get_text()
    assert db.session.get(Service, listings.service.id).assured_date == LONG_AGO
    audited = select(AuditEvent).where(AuditEvent.action == "listing.capacity")
    assert db.session.scalar(audited) is None


def test_editor_of_another_organisation_gets_403(app, listings):
    other = signed_in(app, listings.other_editor)
    response = _post(other, listings.service, {"capacity_status": "full"}, headers=HX)
    assert response.status_code == 403
    assert db.session.get(Service, listings.service.id).capacity_status == "accepting"
    refused = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "listing.edit_refused")
    )
    assert refused.user_id == listings.other_editor.id


def test_unknown_capacity_is_refused(app, listings):
    response = _post(signed_in(app, listings.admin), listings.service, {"capacity_status": "gone"})
    assert response.status_code == 400
    assert "Not a valid choice" in parse_page(response).get_text()
