"""The PostgreSQL implementation of SearchEngine: the directory's own database is the index.

Every app server reads and writes the same tables (``postgres_schema``), so any number of
stateless servers share one directory, and a worker's memory does not grow with it. The
commit that changes a listing rewrites its row (``postgres_writing``); a search is one
SQL statement (``postgres_query``); spelling has its own vocabulary
(``postgres_spelling``).
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from sqlalchemy import text

from signpost.search import postgres_writing
from signpost.search.engine import (
    EngineHit,
    EnginePage,
    EngineQuery,
    EngineSearch,
    SearchUnavailable,
)
from signpost.search.postgres_connections import reading
from signpost.search.postgres_query import SearchStatement, StemTerm
from signpost.search.postgres_schema import STATE_TABLE, has_tables
from signpost.search.postgres_spelling import Vocabulary
from signpost.search.postgres_writing import PostgresBuild, PostgresWriter

MAX_CACHED_STEMS = 10_000  # typed words whose stems this process remembers


class PostgresEngine:
    applies_in_transaction = True

    def __init__(self) -> None:
        self._stems: dict[str, tuple[str, ...]] = {}
        self._vocabulary = Vocabulary()

    # --- writing (postgres_writing) --------------------------------------------------
    def apply_in_transaction(self, session, service_ids: list[str], position: int) -> None:
        postgres_writing.apply_in_transaction(session, service_ids, position)

    def writer(self, timeout: float) -> AbstractContextManager[PostgresWriter]:
        return postgres_writing.live_writer(timeout)

    def build_lock(self) -> AbstractContextManager[None]:
        return postgres_writing.build_lock()

    def new_build(self) -> PostgresBuild:
        return postgres_writing.new_build()

    def swap_in(self, build: PostgresBuild, catch_up) -> None:
        postgres_writing.swap_in(build, catch_up)
        self._vocabulary.forget()

    # --- reading ---------------------------------------------------------------------
    def exists(self) -> bool:
        try:
            with reading() as connection:
                if not has_tables(connection):
                    return False
                return bool(
                    connection.scalar(text(f"SELECT built FROM {STATE_TABLE} WHERE id = 1"))
                )
        except SearchUnavailable:
            return False

    def search(self, search: EngineSearch) -> EnginePage:
        with reading() as connection:
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
            if len(self._stems) < MAX_CACHED_STEMS:
                self._stems[word] = stems
        return stems

    def known_words(self, words: list[str]) -> set[str]:
        return self._vocabulary.known_words(words)

    def correct(self, word: str) -> str | None:
        return self._vocabulary.correct(word)

    def document_count(self) -> int:
        with reading() as connection:
            return int(
                connection.scalar(text(f"SELECT documents FROM {STATE_TABLE} WHERE id = 1")) or 0
            )

    def position(self) -> int | None:
        try:
            with reading() as connection:
                if not has_tables(connection):
                    return None
                row = connection.execute(
                    text(f"SELECT position, built FROM {STATE_TABLE} WHERE id = 1")
                ).one_or_none()
        except SearchUnavailable:
            return None
        return row.position if row is not None and row.built else None
