"""Last verified vs last changed; "still accurate" in one click; stale listings sink."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from signpost.audit.models import AuditEvent
from signpost.directory.models import Service
from signpost.extensions import db
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


def test_still_accurate_by_htmx_replaces_the_control(app, listings):
    client = signed_in(app, listings.editor)
    page = parse_page(client.get(f"/services/{listings.service.id}"))
    control = page.select_one(f"form#freshness-{listings.service.id}")
    assert control["hx-target"] == "this" and control["hx-swap"] == "outerHTML"
    before_modified = listings.service.last_modified

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
    assert listings.service.last_modified >= before_modified
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "listing.confirmed"))
    assert (event.subject_id, event.user_id) == (listings.service.id, listings.editor.id)


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
