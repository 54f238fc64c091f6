"""Breaking the search index as a failing disk or a bad deploy would.

For whoosh, layout-agnostic on purpose: every regular file under ``SIGNPOST_INDEX_DIR``
(at any depth) is overwritten, or the whole directory goes, so these helpers keep working
whatever files the engine keeps there. For the PostgreSQL engine: its document tables
dropped, or its record of what it holds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select, text

from signpost.extensions import db
from signpost.search.search_log import UnmetNeedSearch

JUNK = b"\x00\xffnot a search index\x13\x37" * 40


def overwrite_index_with_junk(app) -> None:
    if on_postgres_engine(app):
        db.session.execute(text("DROP TABLE search_document, search_term, search_spelling_word"))
        db.session.commit()
        return
    files = [path for path in Path(app.config["SIGNPOST_INDEX_DIR"]).rglob("*") if path.is_file()]
    assert files, "build the index before breaking it"
    for path in files:
        path.write_bytes(JUNK)


def delete_index(app) -> None:
    if on_postgres_engine(app):
        db.session.execute(text("DROP TABLE search_state"))
        db.session.commit()
        return
    directory = Path(app.config["SIGNPOST_INDEX_DIR"])
    assert directory.is_dir(), "build the index before deleting it"
    shutil.rmtree(directory)


def on_postgres_engine(app) -> bool:
    return app.config["SIGNPOST_SEARCH_ENGINE"] == "postgres"


BREAK_INDEX = {"overwritten with junk": overwrite_index_with_junk, "deleted": delete_index}


def unmet_need_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(UnmetNeedSearch))


def forget_index(app, tmp_path) -> None:
    """As if no index had ever been built: a new index directory for whoosh; for the
    PostgreSQL engine, empty tables that say so."""
    if on_postgres_engine(app):
        db.session.execute(text("TRUNCATE search_document, search_term, search_spelling_word"))
        db.session.execute(text("UPDATE search_state SET built = false, position = 0"))
        db.session.commit()
    else:
        app.config["SIGNPOST_INDEX_DIR"] = str(tmp_path / "fresh-index")
