"""The widget on a practice's own website: another origin (another port) serves a page with
the one-line snippet; the frame appears, searches, opens a service and fits its content.
The same page from an origin the practice has not listed is refused framing."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import delete, select

from signpost.accounts.roles import PRACTICE_ADMIN
from signpost.extensions import db
from signpost.widget import actions
from signpost.widget.models import Practice, WidgetDailyCount
from signpost.widget.queries import uk_today
from signpost.widget.snippets import FALLBACK_HEIGHT
from tests.factories import DEFAULT_PASSWORD, make_user

SLUG = "browser-test-surgery"
FRAME = "iframe.signpost-widget"
INITIAL_HEIGHT = 560  # what widget.js gives the frame before the page reports its height
AXE_URL = "/static/vendor/axe.min.js"


class PracticeWebsite:
    """A practice's web page, served from its own origin, with ``snippet`` pasted into it."""

    def __init__(self, snippet: str) -> None:
        self.paste(snippet)
        website = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the http.server naming)
                page = website.page
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):  # keep test output quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def paste(self, snippet: str) -> None:
        """What the practice pasted into its page (it may change its mind)."""
        self.page = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<title>Stratford Village Surgery</title></head><body>"
            "<h1>Stratford Village Surgery</h1><p>Opening hours and news.</p>"
            f"{snippet}<footer id='practice-footer'>Practice footer</footer></body></html>"
        ).encode()

    def __enter__(self) -> PracticeWebsite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def snippet(signpost_url: str, slug: str = SLUG) -> str:
    return f'<script src="{signpost_url}/static/js/widget.js" data-widget="{slug}" async></script>'


@pytest.fixture
def websites(live_seeded):
    """(allowed, not allowed): two practice websites on two more ports."""
    with (
        PracticeWebsite(snippet(live_seeded.url)) as allowed,
        PracticeWebsite(snippet(live_seeded.url)) as refused,
    ):
        yield allowed, refused


@pytest.fixture
def practice_id(seeded_app, websites):
    allowed, _ = websites
    with seeded_app.app_context():
        practice = actions.create_practice(SLUG, "Stratford Village Surgery", "E15 4HT", None)
        actions.update_widget(
            practice,
            actions.WidgetSettings(
                heading="Find support near the surgery",
                home_postcode=practice.home_postcode,
                radius_miles=5,
                accent_colour="#330072",
                featured_categories=["loneliness", "debt-money"],
                allowed_origins=[allowed.url],
            ),
        )
        practice_id = practice.id
        db.session.remove()
    yield practice_id
    with seeded_app.app_context():
        db.session.execute(
            delete(WidgetDailyCount).where(WidgetDailyCount.practice_id == practice_id)
        )
        db.session.delete(db.session.get(Practice, practice_id))
        db.session.commit()
        db.session.remove()


def widget_frame(page: Page):
    return next(frame for frame in page.frames if "/widget/" in frame.url)


def frame_fits_its_page(page: Page, timeout_ms: int = 5000) -> None:
    """Wait until the frame is exactly as tall as the page inside it (no inner scrollbar)."""
    frame = widget_frame(page)
    measure = "() => Math.ceil(document.documentElement.getBoundingClientRect().height)"
    for _ in range(timeout_ms // 100):
        content = frame.evaluate(measure)
        if frame_height(page) == content:
            break
        page.wait_for_timeout(100)
    assert frame_height(page) == content, "the frame never fitted its page"
    assert frame.evaluate("() => document.documentElement.scrollHeight <= window.innerHeight")


def frame_height(page: Page) -> int:
    return round(page.locator(FRAME).bounding_box()["height"])


def test_practice_website_embeds_searches_and_opens_a_service(
    page: Page, live_seeded, websites, practice_id, seeded_app
):
    allowed, _ = websites
    page.goto(allowed.url + "/")
    widget = page.frame_locator(FRAME)
    expect(widget.locator("h1")).to_have_text("Find support near the surgery")
    expect(page.locator(FRAME)).not_to_have_css("height", f"{INITIAL_HEIGHT}px")
    frame_fits_its_page(page)
    form_only = frame_height(page)
    # Only the frame's own messages count: the host page (or another frame) cannot resize it.
    page.evaluate("window.postMessage({type: 'signpost-widget:height', height: 3000}, '*')")
    page.wait_for_timeout(200)
    assert frame_height(page) == form_only

    widget.locator("#q").fill("lonely")
    widget.get_by_label("Loneliness and befriending").check()
    widget.locator("button[type=submit]").click()
    expect(widget.locator("#results-heading")).to_contain_text("found near E15 4HT")
    expect(widget.locator("li[data-service-id]").first).to_be_visible()
    frame_fits_its_page(page)
    assert frame_height(page) > form_only, "the frame grew to show the results"
    assert page.url == allowed.url + "/", "the practice's page itself never navigated"

    first = widget.locator("li[data-service-id] h3 a").first
    name = first.inner_text()
    first.click()
    expect(widget.locator("#service-name")).to_have_text(name)
    full_page = widget.locator("#full-page")
    expect(full_page).to_have_attribute("target", "_blank")
    expect(full_page).to_have_attribute("href", f"{live_seeded.url}/services/" + first_id(page))
    frame_fits_its_page(page)
    expect(page.locator("#practice-footer")).to_be_visible()

    widget.locator("#back").click()
    expect(widget.locator("#results-heading")).to_contain_text("found near E15 4HT")
    assert page.context.cookies() == [], "the widget sets no cookies"
    with seeded_app.app_context():
        row = db.session.scalar(
            select(WidgetDailyCount).where(
                WidgetDailyCount.practice_id == practice_id, WidgetDailyCount.day == uk_today()
            )
        )
        assert (row.searches, row.service_views) == (2, 1)  # back to results searches again
        db.session.remove()


def first_id(page: Page) -> str:
    return widget_frame(page).url.split("/services/")[1].split("?")[0]


def iframe_snippet_from_the_practice_page(browser: Browser, live_seeded, seeded_app, practice_id):
    """The plain-frame line, as the practice administrator copies it from their page
    (the account's link to the practice goes when the practice does, after the test)."""
    with seeded_app.app_context():
        user = make_user(PRACTICE_ADMIN, email="browser-widget-practice-admin@example.org")
        actions.add_administrator(db.session.get(Practice, practice_id), user)
        email = user.email
        db.session.remove()
    context = browser.new_context()  # the staff session stays out of the visitor's browser
    try:
        admin = context.new_page()
        admin.goto(live_seeded.url + "/login")
        admin.fill("input[name=email]", email)
        admin.fill("input[name=password]", DEFAULT_PASSWORD)
        admin.locator("form button[type=submit]").first.click()
        admin.wait_for_load_state()
        admin.goto(f"{live_seeded.url}/practices/{SLUG}")
        return admin.locator("#iframe-snippet").inner_text()
    finally:
        context.close()


def test_the_plain_iframe_snippet_shows_the_widget_and_searches(
    page: Page, browser: Browser, live_seeded, websites, practice_id, seeded_app
):
    allowed, _ = websites
    snippet = iframe_snippet_from_the_practice_page(browser, live_seeded, seeded_app, practice_id)
    assert snippet.startswith(f'<iframe src="{live_seeded.url}/widget/{SLUG}"'), snippet
    allowed.paste(snippet)
    page.goto(allowed.url + "/")
    frame = page.locator("iframe")
    expect(frame).to_have_count(1)
    widget = page.frame_locator("iframe")
    expect(widget.locator("h1")).to_have_text("Find support near the surgery")
    widget.locator("#q").fill("lonely")
    widget.get_by_label("Loneliness and befriending").check()
    widget.locator("button[type=submit]").click()
    expect(widget.locator("#results-heading")).to_contain_text("found near E15 4HT")
    expect(widget.locator("li[data-service-id]").first).to_be_visible()
    assert "/widget/" in widget_frame(page).url and "q=lonely" in widget_frame(page).url
    assert page.url == allowed.url + "/", "the practice's page itself never navigated"
    inner_height = frame.evaluate("element => element.clientHeight")  # less the frame's border
    assert inner_height == FALLBACK_HEIGHT, "a fixed frame: no script resizes it"
    assert page.context.cookies() == [], "the widget sets no cookies"


def test_a_website_the_practice_has_not_listed_is_refused_framing(
    page: Page, websites, practice_id
):
    _, refused = websites
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(refused.url + "/")
    expect(page.locator(FRAME)).to_have_count(1)
    page.wait_for_timeout(500)
    frame = page.locator(FRAME).element_handle().content_frame()
    assert "/widget/" not in frame.url, "the browser showed its own error instead"
    assert "Find support" not in frame.content()
    assert any("frame-ancestors" in text for text in messages), messages
    expect(page.locator(FRAME)).to_have_css("height", f"{INITIAL_HEIGHT}px")


def test_unknown_widget_shows_a_clear_404_inside_the_frame(page: Page, live_seeded):
    with PracticeWebsite(snippet(live_seeded.url, "no-such-surgery")) as website:
        page.goto(website.url + "/")
        widget = page.frame_locator(FRAME)
        expect(widget.locator("h1")).to_have_text("Not found")
        expect(widget.locator("main")).to_contain_text("no Signpost widget with this name")
        frame_fits_its_page(page)


def test_widget_works_with_javascript_off(browser: Browser, live_seeded, practice_id):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_seeded.url}/widget/{SLUG}")
    page.fill("#q", "debt advice")
    page.click("button[type=submit]")
    expect(page.locator("#results-heading")).to_contain_text("found near E15 4HT")
    page.locator("li[data-service-id] h3 a").first.click()
    expect(page.locator("#service-name")).to_be_visible()
    assert context.cookies() == []
    context.close()


def test_widget_has_no_serious_accessibility_violations(page: Page, live_seeded, practice_id):
    page.goto(f"{live_seeded.url}/widget/{SLUG}/search?q=lonely")
    page.add_script_tag(url=live_seeded.url + AXE_URL)
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))"
    )
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == [], violations
