"""The search page searches from the focus patient's postcode, which never reaches a URL."""

from __future__ import annotations

from signpost.extensions import db
from signpost.search.indexer import rebuild_index
from tests.directory_factories import make_service
from tests.pages import parse_page
from tests.prescribing.conftest import post


def _hrefs_and_pushes(page) -> list[str]:
    return [a.get("href", "") + a.get("hx-get", "") for a in page.find_all(["a", "form"])]


def test_search_without_a_postcode_starts_from_the_focus_patient(app, world, as_link_worker):
    make_service(db.session, name="Penzance Walk and Talk", postcode="TR18 4AA")
    rebuild_index()
    post(app, as_link_worker, f"/patients/{world.patient.id}/focus")

    response = as_link_worker.get("/search?q=walk&radius=any")

    page = parse_page(response)
    heading = page.find(id="results-heading").get_text(" ", strip=True)
    assert f"near {world.patient.reference}'s postcode" in heading
    items = page.select("[data-service-id]")
    miles = [float(item["data-distance-miles"]) for item in items]
    assert miles == sorted(miles) and miles[0] < 1 < miles[-1]  # Stratford first, Cornwall last
    text = response.get_data(as_text=True)
    assert 'value="E15 4HT"' not in text and "E15+4HT" not in text
    assert all("postcode=" not in link for link in _hrefs_and_pushes(page))


def test_the_search_page_says_a_blank_postcode_means_the_patients(app, world, as_link_worker):
    post(app, as_link_worker, f"/patients/{world.patient.id}/focus")
    page = parse_page(as_link_worker.get("/"))
    hint = page.find(id="postcode-hint").get_text(" ", strip=True)
    assert f"Leave blank to search from {world.patient.reference}'s postcode" in hint


def test_a_typed_postcode_wins_over_the_focus_patient(app, world, as_link_worker):
    make_service(db.session, name="Penzance Walk and Talk", postcode="TR18 4AA")
    rebuild_index()
    post(app, as_link_worker, f"/patients/{world.patient.id}/focus")

    page = parse_page(as_link_worker.get("/search?q=walk&postcode=TR18+4AA"))

    assert "near TR18 4AA" in page.find(id="results-heading").get_text(" ", strip=True)
    first = page.select("[data-service-id]")[0]
    assert float(first["data-distance-miles"]) < 1


def test_radius_applies_to_the_focus_patient_postcode(app, world, as_link_worker):
    make_service(db.session, name="Penzance Walk and Talk", postcode="TR18 4AA")
    rebuild_index()
    post(app, as_link_worker, f"/patients/{world.patient.id}/focus")

    page = parse_page(as_link_worker.get("/search?q=walk&radius=10"))

    assert all(float(i["data-distance-miles"]) <= 10 for i in page.select("[data-service-id]"))
    assert "Penzance" not in page.find(id="result-list").get_text()


def test_without_focus_the_search_has_no_distances(app, world, as_link_worker):
    rebuild_index()
    page = parse_page(as_link_worker.get("/search?q=walk"))
    assert not page.select("[data-distance-miles]")
