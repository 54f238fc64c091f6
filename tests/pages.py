"""Fetch a page through the test client, parse it, and check what every page must have."""

from __future__ import annotations

from collections import Counter

from bs4 import BeautifulSoup


def parse_page(response) -> BeautifulSoup:
    """Parse a full page and assert the invariants: a title, forms with an action, unique ids."""
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    assert soup.title and soup.title.get_text(strip=True), "every page needs a title"
    for form in soup.find_all("form"):
        assert form.get("action"), f"form without an action: {form.get('id')}"
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    duplicated = [name for name, n in ids.items() if n > 1]
    assert not duplicated, f"duplicate ids: {duplicated}"
    return soup


def parse_fragment(response) -> BeautifulSoup:
    text = response.get_data(as_text=True)
    assert "<html" not in text, "a fragment must not be a whole page"
    assert "HX-Request" in response.headers.get("Vary", "")
    return BeautifulSoup(text, "html.parser")
