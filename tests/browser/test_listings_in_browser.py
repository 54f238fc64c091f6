"""An organisation's editor changes capacity and confirms a listing in place (htmx)."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select

from signpost.accounts.roles import ADMIN
from signpost.directory.models import Service
from signpost.extensions import db
from tests.factories import DEFAULT_PASSWORD, make_user


def _admin_and_listing(app):
    with app.app_context():
        user = make_user(ADMIN, email="browser-listings-admin@example.org")
        service = db.session.scalar(
            select(Service).where(Service.capacity_status == "accepting").order_by(Service.name)
        )
        result = user.email, service.id, service.assured_date
        db.session.remove()
    return result


def _restore(app, service_id, assured_date):
    """The seeded directory is shared with read-only tests: put the listing back."""
    with app.app_context():
        service = db.session.get(Service, service_id)
        service.capacity_status, service.waiting_list_weeks = "accepting", None
        service.assured_date = assured_date
        db.session.commit()
        db.session.remove()


def test_capacity_and_still_accurate_replace_themselves(page: Page, live_seeded, seeded_app):
    email, service_id, assured_date = _admin_and_listing(seeded_app)
    base = live_seeded.url
    try:
        page.goto(base + "/login")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_load_state()

        page.goto(f"{base}/services/{service_id}")
        page.evaluate("() => { window.__sameDocument = true; }")
        control = page.locator(f"#capacity-{service_id}")
        control.get_by_label("Waiting time in weeks").fill("3")
        control.get_by_role("button", name="Waiting list").click()
        expect(page.locator(f"#capacity-{service_id} [data-capacity]")).to_have_text(
            "Waiting list: about 3 weeks"
        )
        page.locator(f"#freshness-{service_id}").get_by_role(
            "button", name="Still accurate"
        ).click()
        expect(page.locator(f"#freshness-{service_id}")).to_contain_text("Verified today")
        assert page.evaluate("() => window.__sameDocument") is True, "must not reload the page"
    finally:
        _restore(seeded_app, service_id, assured_date)
