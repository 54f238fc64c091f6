"""What only a real page shows: active search without a page load, back button, axe-core."""

from __future__ import annotations

from playwright.sync_api import Page, expect

# Loaded from our own origin: the pages' Content-Security-Policy stays on in these tests.
AXE_URL = "/static/vendor/axe.min.js"


def result_names(page: Page) -> list[str]:
    return page.locator("li[data-service-id] h3").all_inner_texts()


def test_typing_updates_results_without_a_page_load_and_back_restores(page: Page, live_seeded):
    page.goto(live_seeded.url + "/")
    page.evaluate("() => { window.__sameDocument = true; }")
    page.fill("#postcode", "E15 4HT")
    page.locator("#q").press_sequentially("lonely", delay=20)
    page.wait_for_url("**q=lonely**")
    expect(page.locator("#results-heading")).to_contain_text("found near E15 4HT")
    expect(page.locator("li[data-service-id] h3").first).to_contain_text("Befriending")
    lonely = result_names(page)
    assert "day=" not in page.url, "empty fields are left out of the pushed URL"

    page.fill("#q", "debt advice")
    page.wait_for_url("**q=debt**")
    expect(page.locator("li[data-service-id] h3").first).to_contain_text("Debt")
    assert page.evaluate("() => window.__sameDocument") is True, "results must swap in, not reload"

    page.go_back()
    page.wait_for_url("**q=lonely**")
    expect(page.locator("li[data-service-id] h3").first).to_have_text(lonely[0])


def test_search_page_has_no_serious_accessibility_violations(page: Page, live_seeded):
    page.goto(live_seeded.url + "/search?q=lonely&postcode=E15+4HT")
    page.add_script_tag(url=live_seeded.url + AXE_URL)
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"
    )
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def test_service_page_is_accessible_and_printable(page: Page, live_seeded):
    page.goto(live_seeded.url + "/search?q=memory+cafe")
    page.locator("li[data-service-id] h3 a").first.click()
    expect(page.locator("#print-button")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("#print-button")).to_be_hidden()
    page.add_script_tag(url=live_seeded.url + AXE_URL)
    impacts = page.evaluate(
        "async () => (await axe.run()).violations.map(v => v.impact + ':' + v.id)"
    )
    assert not [i for i in impacts if i.startswith(("serious", "critical"))], impacts


def test_a_search_that_cannot_run_says_why_in_place_of_the_results(
    page: Page, live_seeded, seeded_app
):
    """htmx swaps nothing on an error status by default: the old results would stay on
    screen as if they answered the new words. The answer's own message must show."""
    limit = seeded_app.config["SIGNPOST_SEARCH_RATE_LIMIT"]
    seeded_app.config["SIGNPOST_SEARCH_RATE_LIMIT"] = "1 per hour"  # a count of its own
    try:
        page.goto(live_seeded.url + "/")
        page.evaluate("() => { window.__sameDocument = true; }")
        page.locator("#q").press_sequentially("lonely", delay=20)
        page.wait_for_url("**q=lonely**")
        expect(page.locator("li[data-service-id]").first).to_be_visible()

        page.fill("#q", "debt advice")
        expect(page.locator("#search-problem")).to_contain_text("Wait a minute, then try again.")
        expect(page.locator("#results-heading")).to_contain_text("Too many searches")
        expect(page.locator("li[data-service-id]")).to_have_count(0)
        assert page.evaluate("() => window.__sameDocument") is True
    finally:
        seeded_app.config["SIGNPOST_SEARCH_RATE_LIMIT"] = limit


def test_show_more_that_cannot_run_says_why(page: Page, live_seeded, seeded_app):
    """The next page is appended to the list; when it cannot run (too many searches) its
    message replaces the results rather than nothing happening."""
    limit = seeded_app.config["SIGNPOST_SEARCH_RATE_LIMIT"]
    seeded_app.config["SIGNPOST_SEARCH_RATE_LIMIT"] = "1 per 59 minutes"  # a count of its own
    try:
        page.goto(live_seeded.url + "/search?q=group")
        expect(page.locator("li[data-service-id]")).to_have_count(20)
        page.get_by_role("link", name="Show more services").click()
        expect(page.locator("#search-problem")).to_contain_text("Wait a minute, then try again.")
        expect(page.locator("li[data-service-id]")).to_have_count(0)
    finally:
        seeded_app.config["SIGNPOST_SEARCH_RATE_LIMIT"] = limit
