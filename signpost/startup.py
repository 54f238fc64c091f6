"""Getting a served app ready: the first run seeds the directory and builds the index.

Called from ``wsgi.py`` (so by ``flask run`` and gunicorn, not by tests, which build
their own app). Before ``flask db upgrade`` has created the tables there is nothing to
do, so ``flask db upgrade`` itself can import the same module.
"""

from __future__ import annotations

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from signpost.accounts.demo import ensure_demo_accounts
from signpost.config import PROJECT_ROOT
from signpost.directory.seed import seed_directory_if_empty
from signpost.extensions import db
from signpost.prescribing.demo import ensure_demo_patients
from signpost.search.indexer import prepare_index, warm_up_search


def prepare_for_serving(app: Flask) -> None:
    with app.app_context():
        if not inspect(db.engine).has_table("alembic_version"):
            return
        if not schema_is_current():  # `flask db upgrade` itself imports wsgi: let it run
            app.logger.warning("The database is not at the latest migration: run db upgrade.")
            return
        if app.config["SIGNPOST_AUTO_SEED"]:
            _seed_if_empty(app)
        if ensure_demo_accounts():
            app.logger.info("Demo accounts created (development only).")
        if app.config["SIGNPOST_DEMO_ACCOUNTS"] and ensure_demo_patients():
            app.logger.info("Demo patients created for the demo link worker.")
        app.logger.info(prepare_index())
        warm_up_search()
        db.session.remove()


def schema_is_current() -> bool:
    """Whether the database is at the newest migration (start-up reads tables that an
    older database lacks)."""
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    scripts = ScriptDirectory(str(PROJECT_ROOT / "signpost" / "migrations"))
    return current == scripts.get_current_head()


def _seed_if_empty(app: Flask) -> None:
    try:
        if seed_directory_if_empty(db.session, app.config["SIGNPOST_POSTCODE_DB"]):
            app.logger.info("Empty directory: loaded the sample services from seeds/.")
    except IntegrityError:  # another worker seeded it at the same moment
        db.session.rollback()
