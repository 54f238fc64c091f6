"""A service's own page: everything a link worker hands to a patient, and a real 404."""

from __future__ import annotations

from datetime import time

from signpost.extensions import db
from tests.directory_factories import make_service
from tests.pages import parse_page


def test_service_page_shows_the_whole_listing(app, client):
    service = make_service(
        db.session,
        "Stratford Memory Cafe",
        "A relaxed cafe for people living with dementia.",
        categories=["dementia"],
        opening_days=["MO", "WE"],
        opens_at=time(10),
        closes_at=time(12, 30),
        wheelchair=True,
        minimum_age=18,
        exclusions="Not a medical service.",
        access_route="self",
        languages=["en", "bn"],
        is_free=False,
        fees_description="£2 a visit",
        url="https://memory.example.org",
    )
    soup = parse_page(client.get(f"/services/{service.id}"))
    text = soup.get_text(" ", strip=True)
    assert soup.h1.get_text(strip=True) == "Stratford Memory Cafe"
    assert "Mondays and Wednesdays, 10am to 12:30pm" in text
    assert "E15 4HT" in text and "Wheelchair accessible" in text
    assert "Aged 18 and over" in text and "Not a medical service." in text
    assert "People can refer themselves" in text and "£2 a visit" in text
    assert "bn" in text or "Bengali" in text
    assert "Verified today" in text
    assert soup.find(id="print-button").has_attr("data-print")


def test_unknown_service_is_a_real_404_page(client):
    response = client.get("/services/no-such-service")
    assert response.status_code == 404
    soup = parse_page(response)
    assert "could not find that service" in soup.get_text()


def test_unpublished_service_is_not_shown(app, client):
    service = make_service(db.session, "Old club", status="defunct")
    assert client.get(f"/services/{service.id}").status_code == 404
