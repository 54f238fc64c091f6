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

import functools
import logging
import os
import pickle
import shutil
import struct
import threading
from collections.abc import Iterable
from pathlib import Path

from whoosh import index
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.structfile import StructFile
from whoosh.writing import AsyncWriter

from signpost.search.engine import EngineQuery, SearchUnavailable, ServiceDocument
from signpost.search.long_lived import exclude_from_collections
from signpost.search.whoosh_scoring import FieldTerm, IndexSnapshot, best_documents, bm25f_scores

FIELD_WEIGHTS = {"name": 3.0, "categories": 2.0, "description": 1.0}
WORD_PATTERN = r"[^\W\d_]+"  # letters only, any script
MAX_CACHED_CORRECTIONS = 10_000  # per index version; a fuzzy lookup costs 5-40 ms
# A full build analyses text in this many processes, each writing its own segment.
BUILD_PROCESSES = max(1, min(4, os.cpu_count() or 1))
# What a damaged index raises while it is read (``index.IndexError`` is whoosh's own: a
# table of contents it cannot make sense of).
UNREADABLE = (OSError, EOFError, struct.error, pickle.UnpicklingError, index.IndexError)

log = logging.getLogger(__name__)


def _reads_index(method):
    """A damaged index met while reading is ``SearchUnavailable`` (logged), never "no hits"."""

    @functools.wraps(method)
    def reading(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREADABLE as error:
            log.exception("The search index in %s could not be read", self.index_dir)
            _close_files_left_open(error)
            raise SearchUnavailable(f"cannot read the search index in {self.index_dir}") from error

    return reading


def _close_files_left_open(error: BaseException) -> None:
    """Close the index files whoosh opened and then gave up on (it leaves its table of
    contents open when it cannot read it); the traceback would keep them open."""
    trace = error.__traceback__
    while trace is not None:
        for value in trace.tb_frame.f_locals.values():
            if isinstance(value, StructFile) and not value.is_closed:
                value.close()
        trace = trace.tb_next


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

    @_reads_index
    def search(
        self, query: EngineQuery, allowed_ids: set[str] | None, limit: int
    ) -> list[tuple[str, float]]:
        searcher = self._searcher()
        if not query.terms:
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

    @_reads_index
    def known_words(self, words: list[str]) -> set[str]:
        searcher = self._searcher()
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

    @_reads_index
    def correct(self, word: str) -> str | None:
        searcher = self._searcher()
        if len(word) < 4:
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

    @_reads_index
    def document_count(self) -> int:
        return self._searcher().doc_count()

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
        Raises ``SearchUnavailable`` when there is no index or it cannot be opened.
        """
        stamp = self._stamp()
        cached = getattr(self._local, "cached", None)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        if cached is not None:
            cached[1].close()
            self._local.cached = None
        if stamp is None:
            log.error("There is no search index in %s", self.index_dir)
            raise SearchUnavailable(f"no search index in {self.index_dir}")
        try:
            searcher = index.open_dir(str(self.index_dir)).searcher()
        except Exception as error:  # whatever a damaged index raises, it cannot be opened
            log.exception("The search index in %s could not be opened", self.index_dir)
            _close_files_left_open(error)
            raise SearchUnavailable(f"cannot open the search index in {self.index_dir}") from error
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
