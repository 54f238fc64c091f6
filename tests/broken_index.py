"""Breaking the search index as a failing disk or a bad deploy would.

Layout-agnostic on purpose: every regular file under ``SIGNPOST_INDEX_DIR`` (at any depth)
is overwritten, or the whole directory goes, so these helpers keep working whatever files
the engine keeps there.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from signpost.extensions import db
from signpost.search.search_log import UnmetNeedSearch

JUNK = b"\x00\xffnot a search index\x13\x37" * 40


def overwrite_index_with_junk(app) -> None:
    files = [path for path in Path(app.config["SIGNPOST_INDEX_DIR"]).rglob("*") if path.is_file()]
    assert files, "build the index before breaking it"
    for path in files:
        path.write_bytes(JUNK)


def delete_index(app) -> None:
    directory = Path(app.config["SIGNPOST_INDEX_DIR"])
    assert directory.is_dir(), "build the index before deleting it"
    shutil.rmtree(directory)


BREAK_INDEX = {"overwritten with junk": overwrite_index_with_junk, "deleted": delete_index}


def unmet_need_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(UnmetNeedSearch))
