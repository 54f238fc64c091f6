"""Last verified vs last changed; "still accurate" in one click; stale listings sink."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from signpost.audit.models import AuditEvent
from signpost.directory.models import Service
from signpost.extensions import db
from signpost.listings import freshness_views
from signpost.listings.freshness_models import ListingFreshness
from signpost.search.indexer import rebuild_index
from tests.directory_factories import make_service
from tests.factories import csrf_token
from tests.listings.conftest import LONG_AGO, signed_in
from tests.pages import parse_fragment, parse_page

HX = {"HX-Request": "true"}


def _result_ids(client, query: str) -> list[str]:
    soup = parse_page(client.get(f"/search?q={query}"))
    return [item["data-service-id"] for item in soup.select("#result-list > li")]


def _result(client, query: str, service_id: str):
    soup = parse_page(client.get(f"/search?q={query}"))
    return soup.select_one(f'#result-list > li[data-service-id="{service_id}"]')


def test_page_and_results_mark_a_listing_not_verified_for_six_months(app, client, listings):
    page = parse_page(client.get(f"/services/{listings.service.id}"))
    freshness = page.select_one(f"#freshness-{listings.service.id}")
    assert f"last checked {LONG_AGO:%-d %B %Y}" in freshness.get_text(" ", strip=True)
    assert freshness.select_one("[data-possibly-out-of-date]").get_text() == "Possibly out of date"
    result = _result(client, "friendship", listings.service.id)
    assert result.select_one("[data-possibly-out-of-date]") is not None
    assert "Verified" in result.select_one("[data-last-verified]").get_text()

    fresh = _result(client, "knit", listings.their_service.id)
    assert fresh.select_one("[data-last-verified]").get_text() == "Verified today"
    assert fresh.select_one("[data-possibly-out-of-date]") is None


def test_stale_threshold_follows_the_setting(app, client, listings):
    listings.service.assured_date = date.today() - timedelta(days=20)
    db.session.commit()
    assert (
        _result(client, "friendship", listings.service.id).select_one("[data-possibly-out-of-date]")
        is None
    )
    app.config["SIGNPOST_STALE_AFTER_DAYS"] = 10
    assert (
        _result(client, "friendship", listings.service.id).select_one("[data-possibly-out-of-date]")
        is not None
    )


def test_stale_listing_ranks_below_an_equal_fresh_one_until_the_group_answers(app, client):
    stale = make_service(db.session, "Walking group north", assured_date=LONG_AGO)
    fresh = make_service(db.session, "Walking group south")
    rebuild_index()
    assert _result_ids(client, "walking") == [fresh.id, stale.id]

    # A referral answer is a sign of life: the listing counts as verified again.
    db.session.add(ListingFreshness(service_id=stale.id, feedback_confirmed_on=date.today()))
    db.session.commit()
    assert _result_ids(client, "walking") == [stale.id, fresh.id]  # equal scores: by name
    page = parse_page(client.get(f"/services/{stale.id}"))
    assert page.select_one("[data-possibly-out-of-date]") is None
    assert "answered about a referral" in page.select_one("[data-feedback-on]").get_text()


def _last_changed_and_version(client, service_id: str) -> tuple[str, str]:
    """What the editor sees: "Last changed ..." on their listings, and the version the
    edit form would send back (an edit saved from it must not become a conflict)."""
    dashboard = parse_page(client.get("/your-listings"))
    row = dashboard.select_one(f'tr[data-service-id="{service_id}"]')
    last_changed = next(line for line in row.stripped_strings if line.startswith("Last changed"))
    form = parse_page(client.get(f"/your-listings/services/{service_id}/edit"))
    return last_changed, form.select_one('input[name="version"]')["value"]


def test_still_accurate_by_htmx_replaces_the_control(app, listings):
    listings.service.last_modified = datetime(2024, 3, 5, 9, 30)
    db.session.commit()
    client = signed_in(app, listings.editor)
    page = parse_page(client.get(f"/services/{listings.service.id}"))
    control = page.select_one(f"form#freshness-{listings.service.id}")
    assert control["hx-target"] == "this" and control["hx-swap"] == "outerHTML"
    before_modified, before_version = listings.service.last_modified, listings.service.version
    seen_before = _last_changed_and_version(client, listings.service.id)
    assert seen_before == ("Last changed 5 March 2024", str(before_version))

    response = client.post(
        control["action"],
        data={"csrf_token": csrf_token(client, f"/services/{listings.service.id}")},
        headers=HX,
    )
    assert response.status_code == 200
    fragment = parse_fragment(response)
    replaced = fragment.select_one(f"#freshness-{listings.service.id}")
    assert "Verified today" in replaced.get_text()
    assert replaced.select_one("[data-possibly-out-of-date]") is None
    assert "Marked as checked today" in replaced.get_text()
    db.session.refresh(listings.service)
    assert listings.service.assured_date == date.today()
    # A check, not a change: the listing's last change and version stay as they were.
    assert listings.service.last_modified == before_modified
    assert listings.service.version == before_version
    assert _last_changed_and_version(client, listings.service.id) == seen_before
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "listing.confirmed"))
    assert (event.subject_id, event.user_id) == (listings.service.id, listings.editor.id)


def test_still_accurate_clicked_twice_answers_both_clicks_and_changes_nothing_else(app, listings):
    client = signed_in(app, listings.editor)
    url = f"/services/{listings.service.id}/still-accurate"
    token = csrf_token(client, f"/services/{listings.service.id}")
    before = (listings.service.last_modified, listings.service.version)
    for _ in range(2):
        response = client.post(url, data={"csrf_token": token}, headers=HX)
        assert response.status_code == 200
        assert "Marked as checked today" in parse_fragment(response).get_text()
    db.session.expire_all()
    service = db.session.get(Service, listings.service.id)
    assert service.assured_date == date.today()
    assert (service.last_modified, service.version) == before


def test_still_accurate_beside_another_change_never_conflicts(app, listings, monkeypatch):
    """Someone else saves a capacity change between the moment the confirmation read the
    listing and the moment it writes: the confirmation succeeds, and the other change is
    kept (a version check here would have refused the confirmation with an error)."""
    client = signed_in(app, listings.editor)
    token = csrf_token(client, f"/services/{listings.service.id}")
    before_version = listings.service.version
    read_listing = freshness_views._editable_service

    def read_then_someone_else_saves(service_id):
        service = read_listing(service_id)
        table = Service.__table__
        with db.engine.begin() as other_request:
            other_request.execute(
                update(table)
                .where(table.c.id == service_id)
                .values(capacity_status="full", version=table.c.version + 1)
            )
        return service

    monkeypatch.setattr(freshness_views, "_editable_service", read_then_someone_else_saves)
    response = client.post(
        f"/services/{listings.service.id}/still-accurate",
        data={"csrf_token": token},
        headers=HX,
    )
    assert response.status_code == 200
    assert "Marked as checked today" in parse_fragment(response).get_text()
    db.session.expire_all()
    service = db.session.get(Service, listings.service.id)
    assert (service.assured_date, service.capacity_status) == (date.today(), "full")
    assert service.version == before_version + 1  # the other change's, and only that
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "listing.confirmed"))
    assert event.subject_id == listings.service.id


def test_still_accurate_without_javascript_redirects_back(app, listings):
    client = signed_in(app, listings.admin)
    token = csrf_token(client, "/your-listings/keep-current")
    response = client.post(
        f"/services/{listings.service.id}/still-accurate",
        data={"csrf_token": token, "next": "/your-listings/keep-current"},
    )
    assert (
        response.status_code == 303
        and response.headers["Location"] == "/your-listings/keep-current"
    )
    assert db.session.get(Service, listings.service.id).assured_date == date.today()
    # A "next" pointing off the site is ignored.
    response = client.post(
        f"/services/{listings.service.id}/still-accurate",
        data={"csrf_token": token, "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == f"/services/{listings.service.id}"


@pytest.mark.parametrize("who", ["other_editor", "link_worker"])
def test_others_may_not_confirm_a_listing(app, listings, who):
    client = signed_in(app, getattr(listings, who))
    token = csrf_token(client, "/")
    response = client.post(
        f"/services/{listings.service.id}/still-accurate", data={"csrf_token": token}, headers=HX
    )
    assert response.status_code == 403
    assert db.session.get(Service, listings.service.id).assured_date == LONG_AGO
    page = parse_page(client.get(f"/services/{listings.service.id}"))
    assert page.select_one(f"form#freshness-{listings.service.id}") is None


def test_confirming_needs_csrf_and_a_sign_in(app, client, listings):
    url = f"/services/{listings.service.id}/still-accurate"
    response = client.post(url, data={"csrf_token": csrf_token(client, "/")})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    editor = signed_in(app, listings.editor)
    assert editor.post(url).status_code == 400  # no CSRF token
    assert db.session.get(Service, listings.service.id).assured_date == LONG_AGO


def test_your_listings_lists_only_the_editors_organisations_oldest_first(app, listings):
    newer = make_service(db.session, "Book club", organization=listings.ours)
    client = signed_in(app, listings.editor)
    page = parse_page(client.get("/your-listings/keep-current"))
    ids = [card["data-service-id"] for card in page.select("[data-service-id]")]
    assert ids == [listings.service.id, newer.id]
    assert page.select_one(f"form#capacity-{listings.service.id}") is not None
    assert (
        signed_in(app, listings.link_worker).get("/your-listings/keep-current").status_code == 403
    )


def test_still_accurate_lifts_the_listing_in_search_at_once(app, client, client_as):
    """The confirmation is one UPDATE that no session event sees: it still reaches the
    search index (the ranking's freshness), in the same transaction's outbox."""
    stale = make_service(db.session, "Walking group north", assured_date=LONG_AGO)
    fresh = make_service(db.session, "Walking group south")
    assert _result_ids(client, "walking") == [fresh.id, stale.id]
    admin = client_as("admin")
    token = csrf_token(admin, f"/services/{stale.id}")
    response = admin.post(
        f"/services/{stale.id}/still-accurate", data={"csrf_token": token}, headers=HX
    )
    assert response.status_code == 200
    assert _result_ids(client, "walking") == [stale.id, fresh.id]  # equal now: by name
