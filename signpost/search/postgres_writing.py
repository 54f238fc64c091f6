"""Writing the PostgreSQL engine's tables: within a commit, through a writer, by a rebuild.

Within a commit (``apply_in_transaction``): the outbox calls it as the commit's last
step, holding the outbox counter's row lock, which every commit that changes a listing
takes. So these rewrites happen one at a time in commit order, each reading everything
committed before it: two editors changing one listing (or a building two listings share)
cannot leave a row that misses either change. ``search_state.position`` moves with the
rows, in the same transaction.

Through a writer (``live_writer``): outbox jobs the tables missed (written while whoosh
was the engine, or while a catch-up held the tables) are applied like whoosh's, under
``search_state``'s row lock.

By a rebuild: ``*_build`` tables are filled on several connections at once, indexed,
then swapped in (``swap_in``) under the counter's lock after applying whatever was
committed while the build ran. One rebuild at a time, across servers (an advisory lock).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from signpost.extensions import db
from signpost.search import postgres_documents
from signpost.search.engine import IndexBusy, SearchUnavailable
from signpost.search.postgres_schema import (
    BUILD,
    INDEX_NAMES,
    LIVE,
    STATE_TABLE,
    TABLES,
    ensure_state_table,
    index_statements,
    table_statements,
)

# A build analyses text on this many connections at once (PostgreSQL's CPU cores).
BUILD_CONNECTIONS = max(1, min(4, os.cpu_count() or 1))
BUILD_MEMORY = "256MB"  # maintenance_work_mem for each index built
BUILD_LOCK_KEY = 0x5349474E  # pg_advisory_lock key: one rebuild at a time, across servers


class PostgresWriter:
    """Changes to one generation of the tables (see ``IndexWriter``)."""

    def __init__(self, connection, position: int, suffix: str) -> None:
        self.connection = connection
        self.position = position
        self.suffix = suffix
        self.documents_change = 0

    def refresh(self, _session, service_ids: list[str]) -> None:
        self.documents_change += postgres_documents.refresh(
            self.connection, service_ids, self.suffix
        )

    def commit(self, position: int) -> None:
        if self.suffix == LIVE:
            self.connection.execute(
                text(
                    f"UPDATE {STATE_TABLE} SET position = :position, "
                    "documents = documents + :change WHERE id = 1"
                ),
                {"position": position, "change": self.documents_change},
            )
            self.documents_change = 0
        self.position = position


class PostgresBuild:
    """The ``*_build`` tables, filled from the directory and swapped in."""

    def __init__(self) -> None:
        self.position = 0
        self.documents = 0

    def load(self, _session, position: int, progress: bool = False) -> int:
        """Fill the build tables, then count their words and index them, each step
        spread over several connections (a build is CPU-bound in PostgreSQL)."""
        started = time.perf_counter()
        engine = db.engine

        def run(work) -> int:
            with engine.connect() as connection, connection.begin():
                connection.execute(text(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'"))
                return work(connection)

        def share(part: int):
            return lambda c: postgres_documents.fill_part(c, BUILD, part, BUILD_CONNECTIONS)

        def statement(sql: str):
            return lambda c: c.execute(text(sql))

        with ThreadPoolExecutor(BUILD_CONNECTIONS) as pool:
            self.documents = sum(pool.map(run, [share(p) for p in range(BUILD_CONNECTIONS)]))
            filled = time.perf_counter()
            # The words' index first: the largest, so the others fit beside it.
            steps = [statement(sql) for sql in index_statements(BUILD)]
            steps.append(lambda c: postgres_documents.count_words(c, BUILD))
            list(pool.map(run, steps))
        run(statement(f"ANALYZE search_document{BUILD}"))
        self.position = position
        if progress:
            print(
                f"Indexed {self.documents} services in {time.perf_counter() - started:.1f} s"
                f" (text analysed in {filled - started:.1f} s)"
            )
        return self.documents

    def discard(self) -> None:
        with db.engine.connect() as connection, connection.begin():
            _drop_build_tables(connection)


def apply_in_transaction(session, service_ids: list[str], position: int) -> None:
    """Rewrite these services' rows in the committing transaction (the outbox calls
    this holding the counter lock, after writing jobs up to ``position``)."""
    connection = session.connection()
    state = connection.execute(
        text(f"SELECT position, built FROM {STATE_TABLE} WHERE id = 1 FOR UPDATE SKIP LOCKED")
    ).one_or_none()
    if state is None or not state.built:
        # A catch-up holds the index (its jobs stay queued for the next search), or
        # there is none yet (its build reads these changes, or applies their jobs).
        return
    change = postgres_documents.refresh(connection, service_ids)
    caught_up = state.position == position - len(service_ids)
    connection.execute(
        text(
            f"UPDATE {STATE_TABLE} SET documents = documents + :change"
            + (", position = :position" if caught_up else "")
            + " WHERE id = 1"
        ),
        {"change": change, "position": position},
    )


@contextmanager
def live_writer(timeout: float) -> Iterator[PostgresWriter]:
    """The live tables' writer, under ``search_state``'s row lock; ``IndexBusy`` when
    another holds it longer than ``timeout`` seconds."""
    with db.engine.connect() as connection, connection.begin():
        connection.execute(text(f"SET LOCAL lock_timeout = '{max(1, int(timeout * 1000))}ms'"))
        try:
            state = connection.execute(
                text(f"SELECT position, built FROM {STATE_TABLE} WHERE id = 1 FOR UPDATE")
            ).one()
        except OperationalError as error:
            raise IndexBusy(str(error.orig)) from error
        if not state.built:
            raise SearchUnavailable("There is no search index to write to.")
        connection.execute(text("SET LOCAL lock_timeout = 0"))
        yield PostgresWriter(connection, state.position, LIVE)


@contextmanager
def build_lock() -> Iterator[None]:
    """One rebuild at a time, across servers: the others wait here."""
    with db.engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": BUILD_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": BUILD_LOCK_KEY})
            connection.commit()


def new_build() -> PostgresBuild:
    with db.engine.connect() as connection, connection.begin():
        ensure_state_table(connection)
        _drop_build_tables(connection)
        for statement in table_statements(BUILD):
            connection.execute(text(statement))
    return PostgresBuild()


def swap_in(build: PostgresBuild, catch_up) -> None:
    """Under the outbox counter's lock (no commit can change a listing meanwhile):
    apply what was committed during the build, then rename the build tables live."""
    with db.engine.connect() as connection, connection.begin():
        connection.execute(
            text("SELECT position FROM search_outbox_counter WHERE id = 1 FOR UPDATE")
        )
        connection.execute(text(f"SELECT 1 FROM {STATE_TABLE} WHERE id = 1 FOR UPDATE"))
        writer = PostgresWriter(connection, build.position, BUILD)

        @contextmanager
        def open_writer(_wait):
            yield writer

        catch_up(open_writer)
        for table in TABLES:
            connection.execute(text(f"DROP TABLE IF EXISTS {table}"))
            connection.execute(text(f"ALTER TABLE {table}{BUILD} RENAME TO {table}"))
            connection.execute(text(f"ALTER INDEX {table}{BUILD}_pkey RENAME TO {table}_pkey"))
        for name in INDEX_NAMES:
            connection.execute(
                text(f"ALTER INDEX search_document{BUILD}_{name} RENAME TO search_document_{name}")
            )
        connection.execute(
            text(
                f"UPDATE {STATE_TABLE} SET position = :position, documents = :documents, "
                "built = true WHERE id = 1"
            ),
            {
                "position": writer.position,
                "documents": build.documents + writer.documents_change,
            },
        )


def _drop_build_tables(connection) -> None:
    for table in TABLES:
        connection.execute(text(f"DROP TABLE IF EXISTS {table}{BUILD}"))
