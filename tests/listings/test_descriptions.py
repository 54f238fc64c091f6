"""Descriptions: a little Markdown, and nothing that can run in a reader's browser."""

from __future__ import annotations

from bs4 import BeautifulSoup

from signpost.listings.markdown import plain_description, render_description
from tests.listings.conftest import edit_path, make_listing, open_form, save
from tests.pages import parse_page

HOSTILE = (
    "Come **along**.\n\n"
    "<script>alert('x')</script>\n\n"
    '<img src="x" onerror="alert(1)"> <a href="https://evil.example" onclick="steal()">hi</a>\n\n'
    "[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) "
    "[site](https://walks.example.org) [mail](mailto:hi@example.org) [ring](tel:+442079460128)"
)


def test_safe_markdown_survives():
    html = str(render_description("Hello *there* and **welcome**\n\n- one\n- two\n\n1. first"))
    assert "<em>there</em>" in html and "<strong>welcome</strong>" in html
    assert "<ul>\n<li>one</li>" in html and "<ol>" in html


def test_script_event_handlers_and_javascript_links_are_removed():
    html = str(render_description(HOSTILE + '\n\n<a href="javascript:alert(2)">raw</a>'))
    soup = BeautifulSoup(html, "html.parser")
    assert {tag.name for tag in soup.find_all()} <= {"p", "strong", "a"}
    assert "alert('x')" not in html, "script content goes too"
    assert all(not name.startswith("on") for tag in soup.find_all() for name in tag.attrs)
    assert [a.get("href") for a in soup.find_all("a")] == [
        "https://evil.example",
        "https://walks.example.org",
        "mailto:hi@example.org",
        "tel:+442079460128",
        None,
    ]
    assert all(a["rel"] == ["noopener", "noreferrer", "nofollow"] for a in soup.find_all("a"))


def test_plain_text_for_summaries():
    assert plain_description("**Tea** & <b>cake</b>") == "Tea & cake"


def test_service_page_shows_the_sanitised_description(app, client_as, client):
    listing = make_listing(client_as, trusted=True)
    values = open_form(listing.editor, listing.service.id)
    response = save(listing.editor, edit_path(listing.service.id), values, description=HOSTILE)
    assert response.status_code == 303
    page = parse_page(client.get(f"/services/{listing.service.id}"))
    description = page.select_one("#description")
    assert description.select_one("strong").get_text() == "along"
    assert description.find("script") is None and description.find("img") is None
    hrefs = [a["href"] for a in description.find_all("a")]
    assert hrefs == [
        "https://evil.example",
        "https://walks.example.org",
        "mailto:hi@example.org",
        "tel:+442079460128",
    ]
    assert all(not name.startswith("on") for tag in description.find_all() for name in tag.attrs)
    results = parse_page(client.get("/search?q=along"))
    summary = results.select_one("li[data-service-id]").get_text()
    assert "**" not in summary and "<script" not in str(results.select_one("#result-list"))
