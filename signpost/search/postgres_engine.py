"""The PostgreSQL implementation of SearchEngine: the directory's own database is the index.

Every app server reads and writes the same tables (``postgres_schema``), so any number of
stateless servers share one directory, and a worker's memory does not grow with it.

Keeping the index true: the commit that changes a listing also rewrites its search row
(``apply_in_transaction``, called by the outbox as the commit's last step). By then the
transaction holds the outbox counter's row lock, which every such commit takes: so these
rewrites happen one at a time, in commit order, each reading everything committed before
it, and two editors changing one listing (or a building two listings share) cannot leave
a row that misses either change. ``search_state.position`` moves with the rows, so the
engine always knows which outbox jobs it holds; jobs it missed (an index built after
them, or the whoosh engine in use when they were written) are applied through ``writer``
like whoosh's, and a rebuild fills ``*_build`` tables and swaps them in under the same
counter lock, after applying whatever was committed while it ran.

Searches run on a connection of their own, in autocommit: never inside the caller's
transaction, so a search holds no lock a swap would wait for.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from whoosh.spelling import ListCorrector

from signpost.extensions import db
from signpost.search import postgres_documents
from signpost.search.engine import (
    EngineHit,
    EnginePage,
    EngineQuery,
    EngineSearch,
    IndexBusy,
    SearchUnavailable,
)
from signpost.search.postgres_query import SearchStatement, StemTerm
from signpost.search.postgres_schema import (
    BUILD,
    INDEX_NAMES,
    LIVE,
    STATE_TABLE,
    TABLES,
    ensure_state_table,
    has_tables,
    index_statements,
    table_statements,
)

log = logging.getLogger(__name__)

# A build analyses text on this many connections at once (PostgreSQL's CPU cores).
BUILD_CONNECTIONS = max(1, min(4, os.cpu_count() or 1))
BUILD_MEMORY = "256MB"  # maintenance_work_mem for each index built
BUILD_LOCK_KEY = 0x5349474E  # pg_advisory_lock key: one rebuild at a time, across servers
SPELLING_REFRESH_SECONDS = 60.0  # a new word may wait this long to become a correction
MAX_CACHED_CORRECTIONS = 10_000


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


class PostgresEngine:
    applies_in_transaction = True

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stems: dict[str, tuple[str, ...]] = {}
        self._vocabulary: tuple[float, int, ListCorrector | None, dict[str, int]] = (
            0.0,
            -1,
            None,
            {},
        )
        self._corrections: dict[str, str | None] = {}

    # --- writing -------------------------------------------------------------------
    def apply_in_transaction(self, session, service_ids: list[str], position: int) -> None:
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
    def writer(self, timeout: float) -> Iterator[PostgresWriter]:
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
    def build_lock(self) -> Iterator[None]:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": BUILD_LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": BUILD_LOCK_KEY})
                connection.commit()

    def new_build(self) -> PostgresBuild:
        with db.engine.connect() as connection, connection.begin():
            ensure_state_table(connection)
            _drop_build_tables(connection)
            for statement in table_statements(BUILD):
                connection.execute(text(statement))
        return PostgresBuild()

    def swap_in(self, build: PostgresBuild, catch_up) -> None:
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
                    text(
                        f"ALTER INDEX search_document{BUILD}_{name} "
                        f"RENAME TO search_document_{name}"
                    )
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
        with self._lock:
            self._corrections.clear()

    # --- reading -------------------------------------------------------------------
    def exists(self) -> bool:
        try:
            with _reading() as connection:
                if not has_tables(connection):
                    return False
                return bool(
                    connection.scalar(text(f"SELECT built FROM {STATE_TABLE} WHERE id = 1"))
                )
        except SearchUnavailable:
            return False

    def search(self, search: EngineSearch) -> EnginePage:
        with _reading() as connection:
            state = connection.execute(
                text(f"SELECT documents, built FROM {STATE_TABLE} WHERE id = 1")
            ).one()
            if not state.built:
                raise SearchUnavailable("The search index has not been built: run `flask reindex`.")
            terms, total_documents = None, state.documents
            if search.query is not None:
                terms = self._stem_terms(connection, search.query)
                if not terms:
                    return EnginePage([], 0, 0)
            statement = SearchStatement(search, terms, total_documents)
            rows = connection.execute(text(statement.sql()), statement.params).all()
        total = rows[0].total if rows else 0
        hits = [
            EngineHit(
                service_id=row.service_id,
                score=float(row.score),
                relevance=float(row.relevance),
                distance_miles=None if row.remote or row.miles is None else float(row.miles),
                is_remote=bool(row.remote),
            )
            for row in rows
            if row.service_id is not None
        ]
        buildings = rows[0].buildings_total if rows else 0
        return EnginePage(hits, int(total or 0), int(buildings or 0))

    def _stem_terms(self, connection, query: EngineQuery) -> list[StemTerm]:
        """Each query word's stems, their weights, and how many services hold each."""
        weights: dict[str, float] = {}
        for term in query.terms:
            for lexeme in self._stemmed(connection, term.word):
                weights[lexeme] = max(weights.get(lexeme, 0.0), term.weight)
        if not weights:
            return []
        rows = connection.execute(
            text(
                "SELECT lexeme, documents FROM search_term "
                "WHERE lexeme = ANY(CAST(:lexemes AS text[])) AND documents > 0"
            ),
            {"lexemes": list(weights)},
        ).all()
        counts = dict(rows)
        return [
            StemTerm(lexeme, weight, counts[lexeme])
            for lexeme, weight in weights.items()
            if lexeme in counts
        ]

    def _stemmed(self, connection, word: str) -> tuple[str, ...]:
        stems = self._stems.get(word)
        if stems is None:
            stems = tuple(
                connection.scalar(
                    text("SELECT ts_lexize('english_stem', :word)"), {"word": word[:200]}
                )
                or ()
            )
            if len(self._stems) < MAX_CACHED_CORRECTIONS:
                self._stems[word] = stems
        return stems

    def known_words(self, words: list[str]) -> set[str]:
        if not words:
            return set()
        with _reading() as connection:
            return set(
                connection.scalars(
                    text(
                        """
                        SELECT w FROM unnest(CAST(:words AS text[])) AS w
                        WHERE EXISTS (SELECT 1 FROM search_spelling_word s
                                      WHERE s.word = w AND s.documents > 0)
                           OR EXISTS (SELECT 1 FROM search_term t
                                      WHERE t.lexeme = ANY(ts_lexize('english_stem', w))
                                        AND t.documents > 0)
                        """
                    ),
                    {"words": [word[:200] for word in words]},
                )
            )

    def correct(self, word: str) -> str | None:
        """The most common word of names and categories within one edit (two for words of
        seven letters or more), as whoosh's corrector chooses."""
        if len(word) < 4:
            return None
        corrector, counts = self._spelling()
        with self._lock:
            if word in self._corrections:
                return self._corrections[word]
        distance = 1 if len(word) < 7 else 2
        candidates = corrector.suggest(word, limit=50, maxdist=distance) if corrector else []
        ranked = sorted(candidates, key=lambda candidate: (-counts.get(candidate, 0), candidate))
        corrected = ranked[0] if ranked else None
        with self._lock:
            if len(self._corrections) < MAX_CACHED_CORRECTIONS:
                self._corrections[word] = corrected
        return corrected

    def _spelling(self) -> tuple[ListCorrector | None, dict[str, int]]:
        """The vocabulary, re-read at most once a minute and only when it has changed."""
        loaded_at, position, corrector, counts = self._vocabulary
        if time.monotonic() - loaded_at < SPELLING_REFRESH_SECONDS and corrector is not None:
            return corrector, counts
        with _reading() as connection:
            current = connection.scalar(text(f"SELECT position FROM {STATE_TABLE} WHERE id = 1"))
            if current != position or corrector is None:
                counts = dict(
                    connection.execute(
                        text("SELECT word, documents FROM search_spelling_word WHERE documents > 0")
                    ).all()
                )
                corrector = ListCorrector(sorted(counts))
                with self._lock:
                    self._corrections.clear()
        self._vocabulary = (time.monotonic(), current, corrector, counts)
        return corrector, counts

    def document_count(self) -> int:
        with _reading() as connection:
            return int(
                connection.scalar(text(f"SELECT documents FROM {STATE_TABLE} WHERE id = 1")) or 0
            )

    def position(self) -> int | None:
        try:
            with _reading() as connection:
                if not has_tables(connection):
                    return None
                row = connection.execute(
                    text(f"SELECT position, built FROM {STATE_TABLE} WHERE id = 1")
                ).one_or_none()
        except SearchUnavailable:
            return None
        return row.position if row is not None and row.built else None


@contextmanager
def _reading() -> Iterator:
    """A pooled connection in autocommit; a database error becomes ``SearchUnavailable``."""
    try:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            yield connection
    except DBAPIError as error:
        log.error("Search is unavailable: the search index cannot be read: %s", error.orig)
        raise SearchUnavailable(f"The search index cannot be read: {error.orig}") from error


def _drop_build_tables(connection) -> None:
    for table in TABLES:
        connection.execute(text(f"DROP TABLE IF EXISTS {table}{BUILD}"))
