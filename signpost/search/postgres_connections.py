"""How the PostgreSQL engine reads: a connection of its own, never the caller's.

Searches run on a pooled connection in autocommit, outside whatever transaction the
request has open, so a search holds no lock that a rebuild's swap would wait for; and any
database error while reading becomes ``SearchUnavailable`` (the page says search is
unavailable, never "nothing found").
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError

from signpost.extensions import db
from signpost.search.engine import SearchUnavailable

log = logging.getLogger(__name__)


@contextmanager
def reading() -> Iterator:
    try:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            yield connection
    except DBAPIError as error:
        log.error("Search is unavailable: the search index cannot be read: %s", error.orig)
        raise SearchUnavailable(f"The search index cannot be read: {error.orig}") from error
