"""When a search in the widget cannot run, the frame says so in its own style, framed by
the practice's websites like every other widget page: never "nothing matched"."""

from __future__ import annotations

import re

import pytest

from tests.broken_index import BREAK_INDEX, unmet_need_rows
from tests.pages import parse_page
from tests.widget.conftest import PRACTICE_ORIGIN
from tests.widget.test_counts import today_counts
from tests.widget.test_widget_pages import frame_ancestors

WIDGET = "/widget/stratford-village"
UNAVAILABLE = "Search is unavailable at the moment, try again in a few minutes."
TOO_MANY = "too many searches from here in a short time"


def _a_widget_page_in_the_practices_frame(response):
    assert frame_ancestors(response) == PRACTICE_ORIGIN
    assert "X-Frame-Options" not in response.headers
    assert "Set-Cookie" not in response.headers
    soup = parse_page(response)
    assert soup.find("link", href=f"{WIDGET}/theme.css"), "the widget's own style"
    assert not soup.find("link", href=re.compile("nhsuk"))
    return soup


@pytest.mark.parametrize("damage", BREAK_INDEX)
def test_a_broken_index_is_search_unavailable_in_the_frame(
    app, client, practice, directory, damage
):
    assert client.get(f"{WIDGET}/search?q=lonely").status_code == 200
    counts_before = today_counts(practice)
    BREAK_INDEX[damage](app)

    response = client.get(f"{WIDGET}/search?q=lonely&postcode=E15+4HT")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "60"
    soup = _a_widget_page_in_the_practices_frame(response)
    problem = soup.find(id="search-problem")
    assert "Search is unavailable" in problem.find(id="results-heading").get_text()
    assert UNAVAILABLE in problem.get_text(" ", strip=True)
    assert "Nothing matched" not in soup.get_text() and not soup.select("#result-list, #widen")
    assert "found" not in soup.find(id="results").get_text()
    assert soup.find("input", id="q")["value"] == "lonely"
    assert unmet_need_rows() == 0
    assert today_counts(practice) == counts_before, "not counted as a search finding nothing"
    # The rest of the widget still works.
    service = client.get(f"{WIDGET}/services/{directory['debt'].id}")
    assert service.status_code == 200 and frame_ancestors(service) == PRACTICE_ORIGIN


def test_widget_searches_are_rate_limited_per_visitor(app, client, practice, directory):
    app.config["SIGNPOST_WIDGET_RATE_LIMIT"] = "2 per minute"
    statuses = [client.get(f"{WIDGET}/search?q=lonely").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]

    response = client.get(f"{WIDGET}/search?q=debt")
    assert response.status_code == 429
    soup = _a_widget_page_in_the_practices_frame(response)
    problem = soup.find(id="search-problem")
    assert "Too many searches" in problem.find(id="results-heading").get_text()
    assert TOO_MANY in problem.get_text(" ", strip=True)
    assert "Wait a minute, then try again." in problem.get_text(" ", strip=True)
    assert not soup.select("#result-list, #widen")
    assert soup.find("input", id="q")["value"] == "debt"

    # Another visitor is not affected; the form page itself is not a search.
    other = client.get(f"{WIDGET}/search?q=lonely", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200 and parse_page(other).select("#result-list > li")
    assert client.get(WIDGET).status_code == 200
    # A widget that does not exist is still its "not found", which any site may frame.
    unknown = client.get("/widget/no-such-practice/search?q=lonely")
    assert unknown.status_code == 404 and frame_ancestors(unknown) == "*"
