"""The public widget through HTTP: what a visitor on a practice's website gets in the frame."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from signpost.accounts.roles import LINK_WORKER, PRACTICE_ADMIN
from signpost.extensions import db
from signpost.search.contract import SearchRequest
from signpost.search.service_search import search_services
from signpost.widget import actions
from tests.factories import login, make_user
from tests.pages import parse_page
from tests.widget.conftest import PRACTICE_ORIGIN, widget_settings

WIDGET = "/widget/stratford-village"


def frame_ancestors(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    return directives["frame-ancestors"]


def result_ids(soup) -> list[str]:
    return [li["data-service-id"] for li in soup.select("li[data-service-id]")]


def test_widget_shows_a_plain_get_form_with_the_featured_needs(client, practice):
    soup = parse_page(client.get(WIDGET))
    form = soup.find("form", id="widget-search")
    assert form["method"] == "get" and form["action"] == f"{WIDGET}/search"
    assert form.find("button", type="submit")
    assert soup.find("h1").get_text(strip=True) == "Find local support"
    needs = [box["value"] for box in form.select("input[name=category]")]
    assert needs == ["debt-money", "loneliness"]  # the featured two, not housing
    assert "near the practice (E15 4HT)" in soup.find(id="postcode-hint").get_text()
    assert soup.find("select", id="radius").find("option", selected=True)["value"] == "5"
    assert not soup.find(attrs={"hx-get": True}), "no htmx inside the widget"
    assert not soup.find("script", src=re.compile("htmx"))


def test_widget_is_framed_only_by_the_practices_websites(client, practice):
    for path in (WIDGET, f"{WIDGET}/search?q=lonely", f"{WIDGET}/theme.css"):
        assert frame_ancestors(client.get(path)) == PRACTICE_ORIGIN
    actions.update_widget(
        practice,
        widget_settings(practice, allowed_origins=[PRACTICE_ORIGIN, "http://localhost:8000"]),
    )
    assert frame_ancestors(client.get(WIDGET)) == f"{PRACTICE_ORIGIN} http://localhost:8000"
    actions.update_widget(practice, widget_settings(practice, allowed_origins=[]))
    assert frame_ancestors(client.get(WIDGET)) == "'none'"


def test_every_other_page_refuses_framing(client, client_as, practice):
    for path in (
        "/",
        "/search?q=lonely",
        "/login",
        "/about-our-data",
        "/static/js/widget.js",
        "/api/v1/",
        "/api/v1/services",
        "/api/v1/openapi.json",
        "/api/v1/services/no-such-service",
        "/no-such-page",
    ):
        with client.get(path) as response:
            assert frame_ancestors(response) == "'none'", path
    manager = client_as(PRACTICE_ADMIN)
    actions.add_administrator(practice, manager.user)
    for path in ("/practices", f"/practices/{practice.slug}"):
        response = manager.get(path)
        assert response.status_code == 200, path
        assert frame_ancestors(response) == "'none'", path
    assert "X-Frame-Options" not in client.get(WIDGET).headers


def test_widget_keeps_the_strict_script_and_style_policy(client, practice):
    policy = client.get(WIDGET).headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    soup = parse_page(client.get(f"{WIDGET}/search?q=lonely"))
    assert not [s for s in soup.find_all("script") if not s.get("src")], "no inline script"
    assert not soup.find(style=True), "no inline style attributes"
    assert not soup.find_all("style")


def test_searching_uses_the_one_search_from_the_practice(client, practice, directory):
    soup = parse_page(client.get(f"{WIDGET}/search?q=lonely"))
    expected = search_services(
        SearchRequest(text="lonely", postcode="E15 4HT", radius_miles=5.0, per_page=10),
        source="test",
    )
    assert result_ids(soup) == [item.service.id for item in expected.items]
    assert result_ids(soup) == [directory["befriending"].id]  # Penzance is beyond 5 miles
    assert "1 service found near E15 4HT" in soup.find(id="results-heading").get_text()
    assert "miles" in soup.select_one("li[data-service-id]").get_text()


def test_visitor_can_search_from_their_own_postcode_and_any_distance(client, practice, directory):
    args = urlencode({"q": "lonely", "postcode": "tr18 2ab"})
    soup = parse_page(client.get(f"{WIDGET}/search?{args}"))
    assert result_ids(soup) == [directory["far"].id]
    assert "near TR18 2AB" in soup.find(id="results-heading").get_text()
    link = soup.select_one("li[data-service-id] h3 a")["href"]
    assert "postcode=tr18+2ab" in link.lower()
    everywhere = parse_page(client.get(f"{WIDGET}/search?q=lonely&radius=any"))
    assert set(result_ids(everywhere)) == {directory["far"].id, directory["befriending"].id}


def test_category_filter_and_result_links_keep_the_search(client, practice, directory):
    soup = parse_page(client.get(f"{WIDGET}/search?category=debt-money"))
    assert result_ids(soup) == [directory["debt"].id]
    link = soup.select_one("li[data-service-id] h3 a")["href"]
    assert link.startswith(f"{WIDGET}/services/{directory['debt'].id}?")
    assert "category=debt-money" in link and "postcode" not in link


def test_a_postcode_that_cannot_be_used_is_explained(client, practice):
    soup = parse_page(client.get(f"{WIDGET}/search?q=lonely&postcode=BT1+1AA"))
    assert "Northern Ireland" in soup.find(id="postcode-error").get_text()


def test_bad_input_gets_a_message_not_a_500(client, practice):
    for query in ("page=abc", "page=0", "category=housing", "radius=7000", "q=" + "x" * 500):
        response = client.get(f"{WIDGET}/search?{query}")
        assert response.status_code == 400, query
        soup = parse_page(response)
        assert soup.find(id="form-errors"), query


def test_no_results_offers_ways_to_widen_inside_the_widget(client, practice):
    soup = parse_page(client.get(f"{WIDGET}/search?q=lonely&radius=1&category=debt-money"))
    assert "0 services found" in soup.find(id="results-heading").get_text()
    links = [a["href"] for a in soup.select("#widen a")]
    assert links and all(link.startswith(f"{WIDGET}/search?") for link in links)


def test_paging_links_stay_in_the_widget(client, practice, directory):
    from tests.directory_factories import make_service

    for number in range(11):
        make_service(db.session, f"Lunch club {number}", "Lunch for lonely people.")
    from signpost.search.indexer import rebuild_index

    rebuild_index()
    first = parse_page(client.get(f"{WIDGET}/search?q=lonely"))
    assert len(result_ids(first)) == 10
    next_link = first.find(id="next-page")["href"]
    assert next_link.startswith(f"{WIDGET}/search?") and "page=2" in next_link
    second = parse_page(client.get(next_link))
    assert second.find(id="previous-page") and not set(result_ids(first)) & set(result_ids(second))


def test_service_opens_inside_the_widget_with_a_link_to_the_full_page(client, practice, directory):
    service = directory["debt"]
    soup = parse_page(client.get(f"{WIDGET}/services/{service.id}?q=debt&radius=5&evil=1"))
    assert soup.find(id="service-name").get_text(strip=True) == "Newham Debt Advice"
    full = soup.find(id="full-page")
    assert full["href"] == f"http://localhost/services/{service.id}"
    assert full["target"] == "_blank" and "noopener" in full["rel"]
    back = soup.find(id="back")["href"]
    assert back.startswith(f"{WIDGET}/search?") and "q=debt" in back and "evil" not in back


def test_unknown_widget_is_a_clear_404_that_shows_inside_any_frame(client, practice):
    response = client.get("/widget/no-such-practice")
    assert response.status_code == 404
    soup = parse_page(response)
    assert "no Signpost widget with this name" in soup.get_text()
    assert frame_ancestors(response) == "*"
    assert not soup.find("link", href=re.compile("nhsuk")), "the small widget page, not base"
    assert frame_ancestors(client.get("/widget/no-such-practice/search?q=x")) == "*"


def test_an_unknown_page_of_a_widget_is_its_404_inside_the_practices_frame(app, client, practice):
    staff = app.test_client()
    login(staff, make_user(LINK_WORKER))
    for visitor in (client, staff):
        response = visitor.get(f"{WIDGET}/nope")
        assert response.status_code == 404
        assert frame_ancestors(response) == PRACTICE_ORIGIN
        assert "Set-Cookie" not in response.headers
        soup = parse_page(response)
        assert soup.find("h1").get_text(strip=True) == "Not found"
        assert "no such page in this widget" in soup.get_text()
        assert soup.find("a", href=WIDGET).get_text() == "Start a new search"
        assert soup.find("link", href=f"{WIDGET}/theme.css")
        assert not soup.find("link", href=re.compile("nhsuk")), "the small widget page"


def test_unknown_paths_without_a_widget_are_the_unknown_widget_404(app, client, practice):
    staff = app.test_client()
    login(staff, make_user(LINK_WORKER))
    for path in ("/widget/", "/widget/no-such-practice/nope/deeper", "/widget/%00/x"):
        for visitor in (client, staff):
            response = visitor.get(path)
            assert response.status_code == 404, path
            assert frame_ancestors(response) == "*", path
            assert "Set-Cookie" not in response.headers, path
            soup = parse_page(response)
            assert "no Signpost widget with this name" in soup.get_text(), path
            assert not soup.find_all(["a", "form", "button"]), "any site may frame: no controls"


def test_other_unknown_paths_keep_the_sites_own_404(client, practice):
    page = client.get("/no-such-page")
    assert page.status_code == 404 and frame_ancestors(page) == "'none'"
    assert "no Signpost widget" not in page.get_data(as_text=True)
    api = client.get("/api/v1/no-such-path")
    assert api.status_code == 404 and api.get_json()["code"] == 404


def test_a_service_no_longer_listed_is_a_404_inside_the_practices_frame(client, practice):
    response = client.get(f"{WIDGET}/services/not-a-service")
    assert response.status_code == 404
    assert "no longer listed" in parse_page(response).get_text()
    assert frame_ancestors(response) == PRACTICE_ORIGIN


def test_theme_stylesheet_sets_the_accent_colour(client, practice):
    response = client.get(f"{WIDGET}/theme.css")
    assert response.mimetype == "text/css"
    assert "--sw-accent: #7c2855;" in response.get_data(as_text=True)
    assert "--sw-on-accent: #ffffff;" in response.get_data(as_text=True)
    soup = parse_page(client.get(WIDGET))
    assert soup.find("link", href=f"{WIDGET}/theme.css")


def test_widget_sets_no_cookie_even_for_signed_in_staff(app, client, practice, directory):
    paths = (
        WIDGET,
        f"{WIDGET}/search?q=lonely",
        f"{WIDGET}/search?page=abc",
        f"{WIDGET}/services/{directory['debt'].id}",
        f"{WIDGET}/theme.css",
        "/widget/no-such-practice",
    )
    for path in paths:
        response = client.get(path)
        assert "Set-Cookie" not in response.headers, path
        assert "Cookie" not in response.headers.get("Vary", ""), path

    staff = app.test_client()
    login(staff, make_user(LINK_WORKER))
    assert staff.get_cookie("session") is not None
    for path in paths:
        response = staff.get(path)
        assert "Set-Cookie" not in response.headers, path
        text = response.get_data(as_text=True)
        assert "Sign out" not in text and "csrf" not in text.lower(), path
    assert staff.get("/caseload").status_code == 200, "the staff session itself is untouched"


def test_first_load_is_under_50_kb_with_every_asset(client, practice):
    """The page, each stylesheet and script it references, and the loader script itself."""
    page = client.get(WIDGET)
    soup = parse_page(page)
    assets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assets += [script["src"] for script in soup.find_all("script", src=True)]
    assets += [img["src"] for img in soup.find_all("img")]
    assets.append("/static/js/widget.js")
    assert len(assets) == 4, assets
    total = len(page.data)
    for url in assets:
        with client.get(url) as response:
            assert response.status_code == 200, url
            total += len(response.data)
    assert total < 50 * 1024, f"{total} bytes"
    results = client.get(f"{WIDGET}/search?q=lonely&radius=any")
    assert len(results.data) < 50 * 1024


def test_control_characters_are_harmless(client, practice):
    for query in ("q=lonely%00x", "q=%00%01&postcode=E15%004HT", "category=loneliness&q=%FF"):
        response = client.get(f"{WIDGET}/search?{query}")
        assert response.status_code == 200, query
        assert parse_page(response).find(id="results-heading"), query


def test_results_and_service_page_show_boundaries_freshness_and_safe_markdown(
    client, practice, directory
):
    from datetime import date, timedelta

    stale = directory["befriending"]
    stale.description = (
        "Weekly **visits** and [phone calls](https://example.org/calls) for people who feel"
        " lonely.<script>alert(1)</script>"
    )
    stale.exclusions = "Not a crisis service"
    stale.assured_date = date.today() - timedelta(days=400)
    db.session.commit()

    soup = parse_page(client.get(f"{WIDGET}/search?q=lonely"))
    item = soup.select_one(f"li[data-service-id='{stale.id}']")
    text = item.get_text(" ", strip=True)
    assert "Weekly visits and phone calls for people who feel lonely." in text
    assert "**" not in text and "](" not in text and "alert" not in text
    assert item.select_one("[data-exclusions]").get_text(" ", strip=True) == (
        "Cannot help with: Not a crisis service"
    )
    assert item.select_one("[data-possibly-out-of-date]").get_text() == "Possibly out of date"
    assert item.select_one("[data-last-verified]").get_text().startswith("Verified ")

    page = parse_page(client.get(f"{WIDGET}/services/{stale.id}"))
    description = page.select_one("#description")
    assert description.find("strong").get_text() == "visits"
    link = description.find("a")
    assert link["href"] == "https://example.org/calls" and link["target"] == "_blank"
    assert "noopener" in link["rel"]
    assert page.find("script", string=True) is None and "alert" not in description.get_text()
    assert page.select_one("#exclusions").get_text() == "Not a crisis service"
    assert page.select_one("#verified [data-possibly-out-of-date]") is not None

    fresh = parse_page(client.get(f"{WIDGET}/services/{directory['debt'].id}"))
    assert fresh.select_one("#verified").get_text(strip=True) == "Verified today"
    assert fresh.select_one("#exclusions") is None
