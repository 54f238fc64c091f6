"""The whoosh implementation of SearchEngine (Whoosh-Reloaded 2.7.5).

Only text lives in the index: coordinates and every structured filter stay in SQL,
which hands the engine the set of allowed service ids (whoosh's numeric fields are slow
and buggy; STACK-NOTES). Field weights: a word in the service name counts three times a
word in its description, a category word twice. The organisation's name is not indexed:
it matched too much ("Citizens Advice") for what it added.

Whoosh stores and reads the postings; the scoring is whoosh's BM25F done with numpy over
whole posting lists (``whoosh_scoring``), ten times faster than its matcher tree. No
field keeps word positions: user text is never a phrase query, and positions made the
index three times larger and every posting block slower to read. The scored posting
lists of recent words are kept per index version (``TermContributionCache``), and a full
rebuild analyses text in several processes, one segment each.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

from whoosh import index
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.writing import AsyncWriter

from signpost.search.engine import EngineQuery, ServiceDocument
from signpost.search.long_lived import exclude_from_collections
from signpost.search.whoosh_scoring import FieldTerm, IndexSnapshot, best_documents, bm25f_scores

FIELD_WEIGHTS = {"name": 3.0, "categories": 2.0, "description": 1.0}
WORD_PATTERN = r"[^\W\d_]+"  # letters only, any script
MAX_CACHED_CORRECTIONS = 10_000  # per index version; a fuzzy lookup costs 5-40 ms
# A full build analyses text in this many processes, each writing its own segment.
BUILD_PROCESSES = max(1, min(4, os.cpu_count() or 1))


def build_schema() -> Schema:
    stemmed = StemmingAnalyzer(expression=WORD_PATTERN, cachesize=50000)
    plain = RegexTokenizer(WORD_PATTERN) | LowercaseFilter()
    return Schema(
        id=ID(stored=True, unique=True),
        name=TEXT(analyzer=stemmed, phrase=False),
        description=TEXT(analyzer=stemmed, phrase=False),
        categories=TEXT(analyzer=stemmed, phrase=False),
        # Unstemmed words of names and categories: the vocabulary for spelling correction.
        # (Descriptions would double the postings, and so the build time, for words that
        # are rarely what a link worker meant: the needs are named in these two.)
        words=TEXT(analyzer=plain, phrase=False),
    )


class WhooshEngine:
    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self._local = threading.local()
        self._snapshot_lock = threading.Lock()
        self._snapshot: tuple[object, IndexSnapshot] | None = None
        self._corrections: tuple[object, dict[str, str | None]] = (None, {})

    # --- writing -------------------------------------------------------------------
    def index_documents(self, documents: Iterable[ServiceDocument]) -> None:
        writer = AsyncWriter(self._open_or_create())
        for document in documents:
            writer.update_document(**_fields(document))
        writer.commit()

    def remove(self, service_ids: Iterable[str]) -> None:
        if not self.exists():
            return
        writer = AsyncWriter(index.open_dir(str(self.index_dir)))
        for service_id in service_ids:
            writer.delete_by_term("id", service_id)
        writer.commit()

    def rebuild(self, documents: Iterable[ServiceDocument]) -> int:
        """Build a fresh index beside the live one, then swap it in whole."""
        building = self.index_dir.with_name(f"{self.index_dir.name}.building-{os.getpid()}")
        shutil.rmtree(building, ignore_errors=True)
        building.mkdir(parents=True)
        fresh = index.create_in(str(building), build_schema())
        writer = fresh.writer(procs=BUILD_PROCESSES, multisegment=True, limitmb=128)
        count = 0
        for document in documents:
            writer.add_document(**_fields(document))
            count += 1
        writer.commit()
        retired = self.index_dir.with_name(f"{self.index_dir.name}.retired-{os.getpid()}")
        if self.index_dir.exists():
            self.index_dir.rename(retired)
        building.rename(self.index_dir)
        shutil.rmtree(retired, ignore_errors=True)
        return count

    # --- reading -------------------------------------------------------------------
    def exists(self) -> bool:
        return index.exists_in(str(self.index_dir))

    def search(
        self, query: EngineQuery, allowed_ids: set[str] | None, limit: int
    ) -> list[tuple[str, float]]:
        searcher = self._searcher()
        if searcher is None or not query.terms:
            return []
        snapshot = self._snapshot_for(searcher)
        allowed = snapshot.mask_for(allowed_ids)
        terms = [
            field_term
            for term in query.terms
            for field_term in self._field_terms(searcher, term.word, term.weight)
        ]
        scores = bm25f_scores(searcher, snapshot, terms)
        best = best_documents(scores, allowed, limit)
        return [(snapshot.service_ids[docnum], float(scores[docnum])) for docnum in best]

    def known_words(self, words: list[str]) -> set[str]:
        searcher = self._searcher()
        if searcher is None:
            return set()
        reader = searcher.reader()
        return {
            word
            for word in words
            if reader.doc_frequency("words", word) > 0
            or any(
                reader.doc_frequency(term.field, term.token) > 0
                for term in self._field_terms(searcher, word, 1.0)
            )
        }

    def correct(self, word: str) -> str | None:
        searcher = self._searcher()
        if searcher is None or len(word) < 4:
            return None
        generation = self._local.cached[0]
        if self._corrections[0] != generation:
            self._corrections = (generation, {})
        known = self._corrections[1]  # the same misspellings come again and again
        if word in known:
            return known[word]
        distance = 1 if len(word) < 7 else 2
        suggestions = searcher.corrector("words").suggest(word, limit=1, maxdist=distance)
        corrected = suggestions[0] if suggestions else None
        if len(known) < MAX_CACHED_CORRECTIONS:
            known[word] = corrected
        return corrected

    def document_count(self) -> int:
        searcher = self._searcher()
        return 0 if searcher is None else searcher.doc_count()

    def version(self) -> object:
        return self._stamp()

    def built_at(self) -> float | None:
        stamp = self._stamp()
        return None if stamp is None else stamp[1][0] / 1e9

    # --- internals -----------------------------------------------------------------
    def _open_or_create(self):
        if self.exists():
            return index.open_dir(str(self.index_dir))
        self.index_dir.mkdir(parents=True, exist_ok=True)
        return index.create_in(str(self.index_dir), build_schema())

    def _searcher(self):
        """This thread's searcher, reopened when the index on disk has changed.

        The stamp (directory inode, newest table of contents) changes on every commit
        and when ``rebuild`` swaps in a new directory, whose generation numbers restart.
        """
        stamp = self._stamp()
        cached = getattr(self._local, "cached", None)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        if cached is not None:
            cached[1].close()
            self._local.cached = None
        if stamp is None:
            return None
        try:
            searcher = index.open_dir(str(self.index_dir)).searcher()
        except (OSError, index.EmptyIndexError):
            return None
        self._local.cached = (stamp, searcher)
        return searcher

    def _stamp(self) -> tuple | None:
        try:
            tocs = [(path.stat().st_mtime_ns, path.name) for path in self.index_dir.glob("*.toc")]
            return (self.index_dir.stat().st_ino, max(tocs)) if tocs else None
        except OSError:
            return None

    def _field_terms(self, searcher, word: str, weight: float) -> list[FieldTerm]:
        return [
            FieldTerm(field, token.text, weight * field_weight)
            for field, field_weight in FIELD_WEIGHTS.items()
            for token in searcher.schema[field].analyzer(word)
        ]

    def _snapshot_for(self, searcher) -> IndexSnapshot:
        """Per-document arrays for this index generation, built once and shared."""
        generation = self._local.cached[0]
        with self._snapshot_lock:
            cached = self._snapshot
            if cached is None or cached[0] != generation:
                snapshot = IndexSnapshot.load(searcher, list(FIELD_WEIGHTS))
                self._snapshot = cached = (generation, snapshot)
                exclude_from_collections(len(snapshot.live))
        return cached[1]


def _fields(document: ServiceDocument) -> dict[str, str]:
    return {
        "id": document.id,
        "name": document.name,
        "description": document.description,
        "categories": document.categories,
        "words": f"{document.name} {document.categories}",
    }
