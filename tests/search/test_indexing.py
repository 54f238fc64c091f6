"""The index follows the database through the outbox: a change leaves a job in its own
transaction, the job is applied at once (or by the next comer), a rebuild loses nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from signpost.directory.models import Location, Service, ServiceAtLocation
from signpost.extensions import db
from signpost.search import indexer, whoosh_writing
from signpost.search.contract import SearchRequest
from signpost.search.indexer import (
    catch_up,
    prepare_index,
    rebuild_index,
    search_engine,
)
from signpost.search.outbox import SearchIndexJob, committed_position
from signpost.search.postgres_engine import PostgresBuild
from signpost.search.service_search import search_services
from tests.broken_index import forget_index
from tests.directory_factories import make_service

QUERIES = ["lonely", "debt advice", "garden", "choir singing", ""]


def ranked_ids() -> dict[str, list[str]]:
    return {q: [i.service.id for i in search_services(SearchRequest(q)).items] for q in QUERIES}


def found(words: str) -> list[str]:
    return [item.service.name for item in search_services(SearchRequest(words)).items]


def test_changes_indexed_through_the_outbox_equal_a_rebuild(app):
    services = [
        make_service(db.session, "Befriending calls", "Weekly phone calls for isolated people."),
        make_service(db.session, "Money advice", "Debt advice and budgeting help."),
        make_service(db.session, "Community garden", "Grow food together outdoors."),
        make_service(db.session, "Choir", "Singing for everyone."),
    ]
    incremental = ranked_ids()
    rebuild_index()
    assert ranked_ids() == incremental
    assert incremental["lonely"] == [services[0].id]


def test_a_change_writes_its_job_in_its_own_transaction_and_is_found_at_once(app):
    service = make_service(db.session, "Tea club", "A friendly tea afternoon.")
    assert search_engine().position() == committed_position(db.session) > 0
    service.description = "Tea, cake and an allotment."
    db.session.commit()
    assert found("allotment") == ["Tea club"]
    assert search_engine().position() == committed_position(db.session)
    newest = db.session.scalars(select(SearchIndexJob).order_by(SearchIndexJob.position.desc()))
    assert newest.first().service_id == service.id


def test_a_rolled_back_change_leaves_no_job(app):
    service = make_service(db.session, "Tea club", "A friendly tea afternoon.")
    jobs = db.session.scalar(select(func.count()).select_from(SearchIndexJob))
    service.description = "Never saved."
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(SearchIndexJob)) == jobs
    assert found("saved") == []


def test_unpublishing_or_deleting_a_service_removes_it(app):
    walking = make_service(db.session, "Walking group", "Gentle walks.")
    cafe = make_service(db.session, "Walking cafe", "Walks and coffee.")
    walking.status = "inactive"
    db.session.commit()
    assert found("walks") == ["Walking cafe"]
    db.session.delete(cafe)  # its buildings' links, openings and categories go with it
    db.session.commit()
    assert found("walks") == []
    assert search_engine().document_count() == 0


def test_a_moved_building_moves_every_service_in_it(app):
    service = make_service(db.session, "Debt advice", "Money help.", postcode="E15 4HT")
    building = db.session.scalars(
        select(Location).join(ServiceAtLocation).where(ServiceAtLocation.service_id == service.id)
    ).one()
    near_truro = SearchRequest("debt", postcode="TR1 2SJ", radius_miles=5)
    assert search_services(near_truro).total == 0
    building.latitude, building.longitude = 50.2632, -5.0510  # Truro
    db.session.commit()
    assert search_services(near_truro).total == 1


@pytest.fixture
def impatient(monkeypatch):
    """Edits wait only briefly for an index this test holds locked."""
    monkeypatch.setattr(indexer, "AFTER_COMMIT_WAIT_SECONDS", 0.1)


def test_a_busy_index_leaves_the_job_queued_for_the_next_search(app, impatient):
    service = make_service(db.session, "Tea club", "A friendly tea afternoon.")
    engine = search_engine()
    with engine.writer(timeout=1):  # another process is writing
        service.description = "Tea and an allotment."
        db.session.commit()  # does not wait forever, and does not fail
        assert engine.position() < committed_position(db.session)
    assert found("allotment") == ["Tea club"]  # the search applied it first


def test_an_edit_during_a_rebuild_is_found_after_the_swap(app, monkeypatch):
    tea = make_service(db.session, "Tea club", "A friendly tea afternoon.")
    make_service(db.session, "Choir", "Singing for everyone.")

    def edit_tea_club():  # committed after the build has read Tea club
        tea.description = "Tea and an allotment."
        db.session.commit()  # applied to the live index, which is then replaced

    if app.config["SIGNPOST_SEARCH_ENGINE"] == "postgres":
        real_load = PostgresBuild.load

        def load_then_edit(build, session, position, progress=False):
            count = real_load(build, session, position, progress)  # Tea club read
            edit_tea_club()
            return count

        monkeypatch.setattr(PostgresBuild, "load", load_then_edit)
    else:
        real_documents = whoosh_writing.published_documents

        def documents_with_an_edit_half_way(session, service_ids=None):
            for number, document in enumerate(real_documents(session, service_ids)):
                if number == 1 and service_ids is None:
                    edit_tea_club()
                yield document

        monkeypatch.setattr(whoosh_writing, "published_documents", documents_with_an_edit_half_way)
    rebuild_index()
    assert found("allotment") == ["Tea club"]
    assert search_engine().position() == committed_position(db.session)


def test_an_import_indexes_only_what_it_wrote(app, tmp_path):
    import json

    from signpost.interop.oruk_export import export_directory
    from signpost.interop.oruk_import import import_records

    make_service(db.session, "Tea club", "A friendly tea afternoon.")
    garden = make_service(db.session, "Garden club", "Growing vegetables.")
    export_directory(tmp_path / "export.json")
    exported = json.loads((tmp_path / "export.json").read_text())
    records = [record for record in exported if record["id"] == garden.id]
    records[0]["name"] = "Allotment society"
    before = committed_position(db.session)
    engine_position = search_engine().position()
    report = import_records(records)
    assert report.updated == 1
    assert found("allotment") == ["Allotment society"]
    jobs = db.session.scalars(select(SearchIndexJob).where(SearchIndexJob.position > before))
    assert {job.service_id for job in jobs} == {garden.id}
    assert search_engine().position() == engine_position + 1  # one job, no rebuild


def test_start_up_builds_a_missing_index_and_catches_up_an_existing_one(app, tmp_path, impatient):
    make_service(db.session, "Walking group", "Gentle walks.")
    forget_index(app, tmp_path)
    assert not search_engine().exists()
    assert prepare_index() == "Search index built (1 services)."
    assert found("walks") == ["Walking group"]
    with search_engine().writer(timeout=1):
        make_service(db.session, "Walking football", "Walks with a ball.")
    assert prepare_index() == "Search index up to date (1 changes applied)."
    assert sorted(found("walks")) == ["Walking football", "Walking group"]


def test_an_index_older_than_the_kept_jobs_is_rebuilt_at_start_up(app, impatient):
    make_service(db.session, "Walking group", "Gentle walks.")
    with search_engine().writer(timeout=1):
        make_service(db.session, "Walking football", "Walks with a ball.")
    db.session.execute(text("DELETE FROM search_index_job"))  # as if kept too short a time
    db.session.commit()
    with pytest.raises(indexer.OutboxGap):
        catch_up(wait=1)
    assert prepare_index().startswith("Search index rebuilt")
    assert sorted(found("walks")) == ["Walking football", "Walking group"]


def test_an_abandoned_build_is_cleared_by_the_next(app):
    make_service(db.session, "Walking group", "Gentle walks.")
    engine = search_engine()
    with engine.build_lock():
        abandoned = engine.new_build()  # a build killed half way
    rebuild_index()
    if app.config["SIGNPOST_SEARCH_ENGINE"] == "postgres":
        left = db.session.scalar(
            text("SELECT count(*) FROM pg_tables WHERE tablename LIKE '%_build'")
        )
        assert left == 0
    else:
        assert not abandoned.path.exists()
        assert len([p for p in engine.index_dir.iterdir() if p.is_dir()]) == 1
    assert found("walks") == ["Walking group"]


def test_reindex_command_rebuilds_the_index_and_refreshes_planner_statistics(app):
    make_service(db.session, "Walking group", "Gentle walks.")
    result = app.test_cli_runner().invoke(args=["reindex"])
    assert "Indexed 1 services." in result.output
    assert found("walks") == ["Walking group"]
    if db.engine.dialect.name == "sqlite":
        assert db.session.execute(text("SELECT count(*) FROM sqlite_stat1")).scalar() > 0


def test_services_table_untouched_by_indexing(app):
    """Applying a job only reads: the listing's version and last change stay as they were."""
    service = make_service(db.session, "Tea club", "A friendly tea afternoon.")
    version, modified = service.version, service.last_modified
    catch_up(wait=1)
    rebuild_index()
    db.session.expire_all()
    again = db.session.get(Service, service.id)
    assert (again.version, again.last_modified) == (version, modified)


def test_applied_jobs_are_forgotten_after_a_week(app, monkeypatch):
    monkeypatch.setattr(indexer, "FORGET_EVERY", 1)
    old = make_service(db.session, "Tea club", "A friendly tea afternoon.")
    db.session.execute(text("UPDATE search_index_job SET recorded_at = '2020-01-01 00:00:00'"))
    db.session.commit()
    make_service(db.session, "Choir", "Singing for everyone.")
    kept = db.session.scalars(select(SearchIndexJob.service_id)).all()
    assert old.id not in kept and kept  # the week-old applied job went, today's stayed
    assert found("tea") == ["Tea club"]
