"""The Alembic migrations build exactly the schema the models declare."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from signpost.extensions import db
from signpost.search.postgres_schema import is_search_engine_table
from tests.conftest import on_postgres


def test_migrations_match_models(app):
    db.drop_all()
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"include_name": lambda name, kind, _: not is_search_engine_table(name)},
            )
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
        downgrade(revision="base")


def test_start_up_waits_for_the_upgrade_then_builds_the_index(app):
    """``flask db upgrade`` imports wsgi, whose start-up reads tables that an older
    database lacks: on a database behind the newest migration start-up does nothing."""
    from signpost.search.indexer import search_engine
    from signpost.startup import prepare_for_serving, schema_is_current

    db.drop_all()
    app.config["SIGNPOST_AUTO_SEED"] = False
    app.config["SIGNPOST_SEARCH_ENGINE"] = "whoosh"  # its index directory from before
    with app.app_context():
        upgrade(revision="0caa34406390")  # the release before the search outbox
        assert not schema_is_current()
        prepare_for_serving(app)  # no error: the outbox tables are not there yet
        upgrade()
        assert schema_is_current()
        engine = search_engine()
        old_files = engine.index_dir.iterdir() if engine.index_dir.exists() else []
        for path in old_files:  # as a deployment from before generations
            if path.is_dir():
                for inner in path.iterdir():
                    inner.unlink()
                path.rmdir()
            else:
                path.unlink()
        prepare_for_serving(app)
        assert engine.exists()
        downgrade(revision="base")


@pytest.mark.skipif(not on_postgres(), reason="the PostgreSQL engine's tables exist only there")
def test_the_postgres_engine_migration_fills_its_tables_from_the_directory(app):
    from signpost.search.contract import SearchRequest
    from signpost.search.indexer import search_engine
    from signpost.search.service_search import search_services
    from tests.directory_factories import make_service

    db.drop_all()
    app.config["SIGNPOST_AUTO_SEED"] = False
    app.config["SIGNPOST_SEARCH_ENGINE"] = "whoosh"  # the release before had only whoosh
    with app.app_context():
        upgrade(revision="a3c9e1f4b7d2")
        try:
            make_service(db.session, "Walking group", "Gentle walks by the river.")
            upgrade()
            app.config["SIGNPOST_SEARCH_ENGINE"] = "postgres"
            assert search_engine().exists() and search_engine().document_count() == 1
            results = search_services(SearchRequest("river walks", postcode="E15 4HT"))
            assert [item.service.name for item in results.items] == ["Walking group"]
            db.session.remove()
            downgrade(revision="a3c9e1f4b7d2")
            assert not search_engine().exists()
        finally:
            db.session.remove()
            downgrade(revision="base")
