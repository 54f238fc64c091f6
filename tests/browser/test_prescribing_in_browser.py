"""A link worker adds a search result to the focus patient's plan without a page load,
then sees it on the caseload."""

from __future__ import annotations

import itertools

from playwright.sync_api import Page, expect

from signpost.accounts.roles import LINK_WORKER
from signpost.extensions import db
from signpost.prescribing import actions
from tests.factories import DEFAULT_PASSWORD, make_user

_numbers = itertools.count(1)


def _link_worker_with_patient(app):
    with app.app_context():
        user = make_user(LINK_WORKER, email=f"browser-lw{next(_numbers)}@example.org")
        details = actions.PatientDetails(
            year_of_birth=1950,
            postcode_district="E15",
            full_postcode="E15 4HT",
            gp_practice_name="Stratford Village Surgery",
            gp_practice_code="F84003",
            nhs_number=None,
        )
        patient = actions.create_patient(user.id, details, referral_accepted=True)
        result = (user.email, patient.id, patient.reference)
        db.session.remove()
    return result


def test_add_a_search_result_to_the_plan_without_a_page_load(page: Page, live_seeded, seeded_app):
    email, patient_id, reference = _link_worker_with_patient(seeded_app)
    base = live_seeded.url
    page.goto(base + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.wait_for_load_state()

    page.goto(f"{base}/patients/{patient_id}")
    page.get_by_role("button", name=f"Find services for {reference}").click()
    page.wait_for_url(base + "/")
    assert "E15" not in page.url

    page.goto(base + "/search?q=lonely&postcode=E15+4HT")
    first = page.locator("li[data-service-id]").first
    service_name = first.locator("h3").inner_text()
    page.evaluate("() => { window.__sameDocument = true; }")
    first.get_by_role("button", name=f"Add to {reference}'s plan").click()
    expect(first.locator(".signpost-added")).to_contain_text("Added")
    assert page.evaluate("() => window.__sameDocument") is True, "must not reload the page"

    page.goto(base + "/caseload")
    expect(page.locator(".signpost-patients")).to_contain_text(service_name)
    expect(page.locator(".signpost-crisis-panel")).to_be_visible()
