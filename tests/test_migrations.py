"""The Alembic migrations build exactly the schema the models declare."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from signpost.extensions import db


def test_migrations_match_models(app):
    db.drop_all()
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == [], f"models and migrations differ: {differences}"
        downgrade(revision="base")


def test_start_up_waits_for_the_upgrade_then_builds_the_index(app):
    """``flask db upgrade`` imports wsgi, whose start-up reads tables that an older
    database lacks: on a database behind the newest migration start-up does nothing."""
    from signpost.search.indexer import search_engine
    from signpost.startup import prepare_for_serving, schema_is_current

    db.drop_all()
    app.config["SIGNPOST_AUTO_SEED"] = False
    with app.app_context():
        upgrade(revision="0caa34406390")  # the release before the search outbox
        assert not schema_is_current()
        prepare_for_serving(app)  # no error: the outbox tables are not there yet
        upgrade()
        assert schema_is_current()
        engine = search_engine()
        for path in engine.index_dir.iterdir():  # as a deployment from before generations
            if path.is_dir():
                for inner in path.iterdir():
                    inner.unlink()
                path.rmdir()
            else:
                path.unlink()
        prepare_for_serving(app)
        assert engine.exists()
        downgrade(revision="base")
