"""An editor changes opening times, an administrator approves, a link worker sees the new times."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from signpost.accounts.roles import ADMIN, LINK_WORKER, ORG_EDITOR
from signpost.extensions import db
from signpost.listings.ownership import add_editor
from signpost.search.indexer import rebuild_index
from tests.browser.conftest import LiveServer
from tests.directory_factories import make_organization, make_service
from tests.factories import DEFAULT_PASSWORD, make_user


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()


def _directory():
    organization = make_organization(db.session, "Stratford Walkers")
    service = make_service(
        db.session,
        "Stratford Walking Group",
        "Gentle walks.",
        organization=organization,
        categories=["physical-activity"],
    )
    editor = make_user(ORG_EDITOR, email="walks-editor@example.org")
    add_editor(editor, organization.id)
    make_user(ADMIN, email="directory-admin@example.org")
    make_user(LINK_WORKER, email="worker@example.org")
    db.session.commit()
    rebuild_index()
    return service.id


def _times_in_search(page: Page, base: str) -> str:
    page.goto(base + "/search?q=walking")
    return page.locator("li[data-service-id] .signpost-result__meta").last.inner_text()


def test_opening_times_change_reaches_link_workers_after_approval(app, browser: Browser):
    service_id = _directory()
    with LiveServer(app) as server:
        base = server.url
        editor = browser.new_page()
        _sign_in(editor, base, "walks-editor@example.org")
        editor.get_by_role("link", name="Your listings").click()
        editor.get_by_role("link", name="Edit Stratford Walking Group").click()
        editor.select_option("#opening_times-0-byday", "WE")
        editor.fill("#opening_times-0-opens_at", "09:30")
        editor.fill("#opening_times-0-closes_at", "12:00")
        editor.get_by_role("button", name="Save changes").click()
        expect(editor.locator(".signpost-flash")).to_contain_text("once an administrator")

        worker = browser.new_page()
        _sign_in(worker, base, "worker@example.org")
        assert "Mondays, 10am to 4pm" in _times_in_search(worker, base)

        admin = browser.new_page()
        _sign_in(admin, base, "directory-admin@example.org")
        admin.get_by_role("link", name="Moderation").click()
        admin.get_by_role("link", name="Stratford Walking Group").click()
        row = admin.locator("tr[data-field=opening_times]")
        expect(row.locator(".signpost-diff__before")).to_have_text("Mondays, 10am to 4pm")
        expect(row.locator(".signpost-diff__after")).to_have_text("Wednesdays, 9:30am to midday")
        admin.get_by_role("button", name="Approve and publish").click()
        expect(admin.locator(".signpost-flash")).to_contain_text("Published the change")

        assert "Wednesdays, 9:30am to midday" in _times_in_search(worker, base)
        worker.goto(f"{base}/services/{service_id}")
        expect(worker.locator("#opening-times")).to_have_text("Wednesdays, 9:30am to midday")
