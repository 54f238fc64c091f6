"""The PostgreSQL engine's vocabulary: which typed words the directory knows, and the
closest known word to a misspelt one.

The vocabulary is ``search_spelling_word`` (the unstemmed words of names and categories,
as whoosh's corrector uses) with how many services use each. Each process keeps a copy
for correcting (a few MB even for a national directory, read in one query) and re-reads
it at most once a minute, only when the index has changed: a new word may take that long
to become a correction, while finding it by search is immediate.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import text
from whoosh.spelling import ListCorrector

from signpost.search.postgres_connections import reading
from signpost.search.postgres_schema import STATE_TABLE

REFRESH_SECONDS = 60.0
MAX_CACHED_CORRECTIONS = 10_000
MIN_CORRECTABLE_LENGTH = 4
LONG_WORD = 7  # from this length two slips are corrected, below it one


class Vocabulary:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded_at = 0.0
        self._position: int | None = -1
        self._corrector: ListCorrector | None = None
        self._counts: dict[str, int] = {}
        self._corrections: dict[str, str | None] = {}

    def known_words(self, words: list[str]) -> set[str]:
        """Typed words that occur in some listing: as typed in a name or category, or
        in any field once stemmed ("worries" is known where listings say "worry")."""
        if not words:
            return set()
        with reading() as connection:
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
        """The most common known word within one edit (two for words of seven letters or
        more), as whoosh's corrector chooses; ties alphabetically."""
        if len(word) < MIN_CORRECTABLE_LENGTH:
            return None
        self._refresh()
        with self._lock:
            if word in self._corrections:
                return self._corrections[word]
            corrector, counts = self._corrector, self._counts
        distance = 1 if len(word) < LONG_WORD else 2
        candidates = corrector.suggest(word, limit=50, maxdist=distance) if corrector else []
        ranked = sorted(candidates, key=lambda candidate: (-counts.get(candidate, 0), candidate))
        corrected = ranked[0] if ranked else None
        with self._lock:
            if len(self._corrections) < MAX_CACHED_CORRECTIONS:
                self._corrections[word] = corrected
        return corrected

    def forget(self) -> None:
        """Re-read the vocabulary before the next correction (after a rebuild)."""
        with self._lock:
            self._loaded_at, self._corrections = 0.0, {}

    def _refresh(self) -> None:
        if time.monotonic() - self._loaded_at < REFRESH_SECONDS and self._corrector is not None:
            return
        with reading() as connection:
            position = connection.scalar(text(f"SELECT position FROM {STATE_TABLE} WHERE id = 1"))
            if position == self._position and self._corrector is not None:
                self._loaded_at = time.monotonic()
                return
            counts = dict(
                connection.execute(
                    text("SELECT word, documents FROM search_spelling_word WHERE documents > 0")
                ).all()
            )
        corrector = ListCorrector(sorted(counts))
        with self._lock:
            self._corrector, self._counts, self._corrections = corrector, counts, {}
            self._position, self._loaded_at = position, time.monotonic()
