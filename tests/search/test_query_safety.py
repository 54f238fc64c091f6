"""Whatever is typed, search answers: operators, quotes, huge text, emoji, any script."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from signpost.search.contract import SearchRequest
from signpost.search.query_text import typed_words
from signpost.search.service_search import search_services

NASTY = [
    '"unbalanced quote',
    "AND OR NOT",
    "lonely AND",
    "*",
    "name:lonely",
    "description:(debt OR",
    "((((",
    "x" * 10_000,
    "lonely " * 2_000,
    "😀🙂 help",
    "مرحبا بالعالم",
    "שלום",
    "\x00\x01\x02",
    "lonely~2 debt^5",
    "[a TO z]",
    "%' OR 1=1 --",
]


@pytest.mark.parametrize("text", NASTY)
def test_malformed_queries_never_fail(seeded, text):
    results = search_services(SearchRequest(text=text, postcode="E15 4HT"))
    assert results.total >= 0


def test_operators_are_words_not_syntax(seeded):
    assert typed_words("lonely AND debt") == ["lonely", "debt"]
    assert typed_words("name:lonely") == ["name", "lonely"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=300))
def test_any_text_is_safe(seeded, text):
    results = search_services(SearchRequest(text=text))
    assert results.total == len(results.items) or results.total > len(results.items)
