"""Search quality on the sample directory, with the words link workers actually use."""

from __future__ import annotations

import pytest

from signpost.directory.models import Service
from signpost.extensions import db
from signpost.search.contract import SearchRequest
from signpost.search.service_search import search_services


def top(text: str, postcode: str = "", n: int = 5, **filters) -> list[Service]:
    results = search_services(SearchRequest(text=text, postcode=postcode, **filters))
    return [item.service for item in results.items[:n]]


def codes(service: Service) -> set[str]:
    return {attribute.taxonomy_term.code for attribute in service.attributes}


@pytest.mark.parametrize(
    ("text", "postcode", "expected_category"),
    [
        ("lonely", "E15 4HT", "loneliness"),
        ("feeling isolated", "TR18 4AA", "loneliness"),
        ("dept advice", "E13 9PJ", "debt-money"),
        ("help with debts", "TR26 1AB", "debt-money"),
        ("skint", "E6 2RT", "debt-money"),
        ("sad since husband died", "TR18 4AA", "bereavement"),
        ("exercise for bad back", "E6 2RT", "physical-activity"),
        ("memory problems", "TR14 8SR", "dementia"),
        ("caring for mum", "E7 9QA", "carers"),
        ("breathing problems", "TR15 2AB", "respiratory"),
        ("drinking too much", "E16 1AA", "substance-misuse"),
        ("computer help", "E12 5AA", "digital-skills"),
        ("lonelyness", "", "loneliness"),
        ("lonley", "E15 4HT", "loneliness"),
        ("my wife passed away last year", "E15 4HT", "bereavement"),
        ("lost my mum", "TR18 4AA", "bereavement"),
        ("art class", "E15 4HT", "arts-music"),
        ("cannabis", "E15 4HT", "substance-misuse"),
        ("yoga", "TR18 4AA", "physical-activity"),
        ("scared of my partner", "E13 9PJ", "domestic-abuse"),
        ("can't afford heating", "E6 2RT", "debt-money"),
        ("16 year old feeling isolated", "E15 4HT", "young-adults"),
        ("alzeimers", "TR14 8SR", "dementia"),
        ("help filling in pip forms", "E7 9QA", "welfare-benefits"),
        ("mouldy flat", "E16 1AA", "housing"),
        ("stress at work", "E15 4HT", "mental-wellbeing"),
        ("struggling financially", "TR18 4AA", "debt-money"),
        ("aqua aerobics", "E15 4HT", "physical-activity"),
    ],
)
def test_everyday_words_find_the_right_kind_of_service(seeded, text, postcode, expected_category):
    found = top(text, postcode, n=3)
    assert found, f"nothing found for {text!r}"
    assert all(expected_category in codes(service) for service in found), [
        (s.name, codes(s)) for s in found
    ]


def test_lonely_finds_befriending_before_a_gym(seeded):
    results = search_services(SearchRequest(text="lonely", postcode="E15 4HT", per_page=100))
    names = [item.service.name for item in results.items]
    befriending = next(i for i, name in enumerate(names) if "Befriending" in name)
    gyms = [i for i, name in enumerate(names) if "Exercise on Referral" in name]
    assert all(befriending < gym for gym in gyms)


def test_misspelling_is_corrected_and_said(seeded):
    results = search_services(SearchRequest(text="dept advice"))
    assert results.did_you_mean == "debt advice"
    assert "debt-money" in codes(results.items[0].service)


def test_relevant_services_come_before_irrelevant_near_ones(seeded):
    results = search_services(SearchRequest(text="bereavement", postcode="E15 4HT", per_page=50))
    first_irrelevant = next(
        (i for i, item in enumerate(results.items) if "bereavement" not in codes(item.service)),
        len(results.items),
    )
    relevant_after = [
        item
        for item in results.items[first_irrelevant:]
        if "bereavement" in codes(item.service) and item.relevance > 0.9
    ]
    assert relevant_after == []


def test_telephone_services_are_kept_and_labelled(seeded):
    results = search_services(SearchRequest(text="debt", postcode="E15 4HT", per_page=50))
    remote = [item for item in results.items if item.is_remote]
    assert remote, "the national debt line should be listed"
    assert all(item.distance_miles is None for item in remote)


def test_full_services_sink_below_accepting_ones(seeded):
    service = db.session.query(Service).filter(Service.name == "Stratford Debt Advice").one()
    before = [i.service.id for i in search_services(SearchRequest("debt advice", "E15 4HT")).items]
    original = service.capacity_status
    service.capacity_status = "full"
    db.session.commit()
    try:
        after = [
            i.service.id for i in search_services(SearchRequest("debt advice", "E15 4HT")).items
        ]
        assert after.index(service.id) > before.index(service.id)
    finally:
        service.capacity_status = original
        db.session.commit()


def test_everyday_words_are_not_corrected_into_other_words(seeded):
    results = search_services(SearchRequest(text="my wife passed away last year"))
    assert results.did_you_mean is None
    results = search_services(SearchRequest(text="feeling lonely since moving here"))
    assert results.did_you_mean is None
