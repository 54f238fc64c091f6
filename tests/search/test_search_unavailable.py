"""An index that cannot be read is an error, never "no matches"; start-up repairs it."""

from __future__ import annotations

import pytest

from signpost.extensions import db
from signpost.search.contract import SearchRequest
from signpost.search.engine import SearchUnavailable
from signpost.search.indexer import prepare_index, rebuild_index
from signpost.search.service_search import search_services
from tests.broken_index import BREAK_INDEX, forget_index, unmet_need_rows
from tests.directory_factories import make_service


@pytest.mark.parametrize("damage", BREAK_INDEX)
def test_a_text_search_on_a_broken_index_raises_and_logs_no_unmet_need(app, damage):
    make_service(db.session, "Walking group", "Gentle walks.")
    rebuild_index()
    assert search_services(SearchRequest("walks", postcode="E15 4HT")).total == 1
    BREAK_INDEX[damage](app)
    for request in (SearchRequest("walks"), SearchRequest("walks", postcode="E15 4HT")):
        with pytest.raises(SearchUnavailable, match="search index"):
            search_services(request)
    assert unmet_need_rows() == 0


@pytest.mark.parametrize("damage", BREAK_INDEX)
def test_a_broken_index_is_rebuilt_at_start_up(app, damage):
    service = make_service(db.session, "Walking group", "Gentle walks.")
    rebuild_index()
    BREAK_INDEX[damage](app)
    assert prepare_index() == "Search index built (1 services)."
    assert [item.service.id for item in search_services(SearchRequest("walks")).items] == [
        service.id
    ]


def test_a_search_before_any_index_is_built_says_unavailable(app, tmp_path):
    make_service(db.session, "Walking group", "Gentle walks.")
    forget_index(app, tmp_path)
    with pytest.raises(SearchUnavailable):
        search_services(SearchRequest("walks"))
    assert unmet_need_rows() == 0
