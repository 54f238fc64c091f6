"""The index follows the database: incremental updates equal a rebuild; stale is rebuilt."""

from __future__ import annotations

import os
import time

from sqlalchemy import text

from signpost.extensions import db
from signpost.search.contract import SearchRequest
from signpost.search.indexer import (
    index_is_stale,
    index_service,
    rebuild_index,
    rebuild_index_if_stale,
    remove_service,
    search_engine,
)
from signpost.search.service_search import search_services
from tests.directory_factories import make_service

QUERIES = ["lonely", "debt advice", "garden", "choir singing", ""]


def ranked_ids() -> dict[str, list[str]]:
    return {q: [i.service.id for i in search_services(SearchRequest(q)).items] for q in QUERIES}


def test_incremental_index_equals_rebuild(app):
    services = [
        make_service(db.session, "Befriending calls", "Weekly phone calls for isolated people."),
        make_service(db.session, "Money advice", "Debt advice and budgeting help."),
        make_service(db.session, "Community garden", "Grow food together outdoors."),
        make_service(db.session, "Choir", "Singing for everyone."),
    ]
    for service in services:
        index_service(service.id)
    incremental = ranked_ids()
    rebuild_index()
    assert ranked_ids() == incremental
    assert incremental["lonely"] == [services[0].id]


def test_a_change_is_searchable_at_once_and_removal_drops_it(app):
    service = make_service(db.session, "Tea club", "A friendly tea afternoon.")
    index_service(service.id)
    assert not search_services(SearchRequest("allotment")).items
    service.description = "Tea, cake and an allotment."
    db.session.commit()
    index_service(service.id)
    assert [i.service.id for i in search_services(SearchRequest("allotment")).items] == [service.id]
    remove_service(service.id)
    assert not search_services(SearchRequest("allotment")).items


def test_unpublishing_a_service_removes_it_from_the_index(app):
    service = make_service(db.session, "Walking group", "Gentle walks.")
    index_service(service.id)
    service.status = "inactive"
    db.session.commit()
    index_service(service.id)
    assert search_engine().document_count() == 0


def test_missing_or_older_index_is_rebuilt(app):
    service = make_service(db.session, "Walking group", "Gentle walks.")
    assert index_is_stale()
    assert rebuild_index_if_stale()
    assert not rebuild_index_if_stale()
    # A listing changed after the index was built (e.g. by another process) makes it stale.
    built_at = search_engine().built_at()
    for toc in search_engine().index_dir.glob("*.toc"):
        os.utime(toc, (built_at - 60, built_at - 60))
    time.sleep(0.01)
    service.name = "Walking and talking group"
    db.session.commit()
    assert index_is_stale()
    assert rebuild_index_if_stale()


def test_reindex_command_rebuilds_the_index_and_refreshes_planner_statistics(app):
    make_service(db.session, "Walking group", "Gentle walks.")
    result = app.test_cli_runner().invoke(args=["reindex"])
    assert "Indexed 1 services." in result.output
    assert [i.service.name for i in search_services(SearchRequest("walks")).items] == [
        "Walking group"
    ]
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("SELECT count(*) FROM sqlite_stat1")).scalar() > 0
