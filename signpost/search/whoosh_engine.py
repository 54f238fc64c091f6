"""The whoosh implementation of SearchEngine (Whoosh-Reloaded 2.7.5).

On disk, ``SIGNPOST_INDEX_DIR`` holds whole indexes side by side (``gen-…``), a file
``CURRENT`` naming the live one, and ``build.lock``. A rebuild writes a new index beside
the live one and swaps it in by replacing ``CURRENT`` (an atomic rename), holding the live
index's write lock while it catches up; so no process ever sees half an index, and no
edit made during the build is lost (``whoosh_writing``).

Each document holds a service's words and its facts (``whoosh_documents``). Reading is
per segment (``whoosh_versions``): an edit writes a small segment, so the next search
reads only that. Searching is numpy over the facts (``facts_table``) and over whole
posting lists (``whoosh_scoring``).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.index import LockError
from whoosh.reading import MultiReader
from whoosh.searching import Searcher

from signpost.search.engine import (
    OUTBOX_DOCUMENT_ID,
    EnginePage,
    EngineSearch,
    IndexBusy,
    SearchUnavailable,
)
from signpost.search.facts_table import search_chunks
from signpost.search.long_lived import exclude_from_collections
from signpost.search.whoosh_documents import FIELD_WEIGHTS, build_schema, field_terms
from signpost.search.whoosh_scoring import FieldTerm, add_scores
from signpost.search.whoosh_versions import IndexSegment, IndexVersion, ThreadView, segment_reader
from signpost.search.whoosh_writing import Build, WriterSession, file_lock, writing

__all__ = ["FIELD_WEIGHTS", "WhooshEngine"]

log = logging.getLogger(__name__)

MAX_CACHED_CORRECTIONS = 10_000  # per index version; a fuzzy lookup costs 5-40 ms
POINTER = "CURRENT"
BUILD_LOCK = "build.lock"


class WhooshEngine:
    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self._local = threading.local()  # this thread's searcher (whoosh readers hold files)
        self._lock = threading.Lock()
        self._shared: IndexVersion | None = None
        self._corrections: tuple[object, dict[str, str | None]] = (None, {})

    # --- writing -------------------------------------------------------------------
    @contextmanager
    def writer(self, timeout: float) -> Iterator[WriterSession]:
        while True:
            name = self._live_name()
            if name is None:
                raise SearchUnavailable("There is no search index to write to.")
            ix = index.open_dir(str(self.index_dir / name))
            try:
                writer = ix.writer(timeout=timeout)
            except LockError as error:
                raise IndexBusy(str(error)) from error
            if self._live_name() == name:  # not swapped out while we waited
                break
            writer.cancel()
        with writing(writer) as session:
            yield session

    @contextmanager
    def build_lock(self) -> Iterator[None]:
        """Only one build at a time, across processes: the others wait here."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with file_lock(self.index_dir / BUILD_LOCK):
            self._remove_abandoned()
            yield

    def new_build(self) -> Build:
        """An empty index beside the live one (call while holding ``build_lock``)."""
        path = self.index_dir / f"gen-{time.time_ns()}-{os.getpid()}"
        path.mkdir()
        return Build(path, index.create_in(str(path), build_schema()))

    def swap_in(self, build: Build, catch_up) -> None:
        live = self._live_name() if self.exists() else None
        if live is None:
            catch_up(build.writer)
            self._point_to(build.path.name)
            return
        holding = index.open_dir(str(self.index_dir / live)).writer(timeout=600)
        try:
            catch_up(build.writer)
            self._point_to(build.path.name)
        finally:
            holding.cancel()
        shutil.rmtree(self.index_dir / live, ignore_errors=True)

    # --- reading -------------------------------------------------------------------
    def exists(self) -> bool:
        try:
            name = self._live_name()
        except SearchUnavailable:
            return False
        if name is None or not index.exists_in(str(self.index_dir / name)):
            return False
        try:
            return "facts" in index.open_dir(str(self.index_dir / name)).schema
        except (OSError, index.IndexError):
            return False

    def search(self, search: EngineSearch) -> EnginePage:
        view = self._view()
        scores = None
        if search.query is not None:
            scores = np.zeros(view.shared.size, dtype=np.float64)
            for term in self._query_terms(view.searcher, search.query):
                statistics = view.term_statistics(term)
                if statistics is not None:
                    add_scores(scores, view.parts, term, statistics)
        return search_chunks(view.shared.chunks, search, scores)

    def known_words(self, words: list[str]) -> set[str]:
        searcher = self._view().searcher
        reader = searcher.reader()
        return {
            word
            for word in words
            if reader.doc_frequency("words", word) > 0
            or any(
                reader.doc_frequency(term.field, term.token) > 0
                for term in field_terms(searcher, word, 1.0)
            )
        }

    def correct(self, word: str) -> str | None:
        view = self._view()
        if len(word) < 4:
            return None
        if self._corrections[0] != view.stamp:
            # A correction found stays good after an edit (rarely a better word arrives);
            # a word with none is looked up again, as the edit may have brought one.
            kept = {typed: found for typed, found in self._corrections[1].items() if found}
            self._corrections = (view.stamp, kept if self._same_build(view) else {})
        known = self._corrections[1]  # the same misspellings come again and again
        if word in known:
            return known[word]
        distance = 1 if len(word) < 7 else 2
        suggestions = view.searcher.corrector("words").suggest(word, limit=1, maxdist=distance)
        corrected = suggestions[0] if suggestions else None
        if len(known) < MAX_CACHED_CORRECTIONS:
            known[word] = corrected
        return corrected

    def _same_build(self, view: ThreadView) -> bool:
        return self._corrections[0] is not None and self._corrections[0][0] == view.stamp[0]

    def document_count(self) -> int:
        return sum(int(np.count_nonzero(chunk.live)) for chunk in self._view().shared.chunks)

    def position(self) -> int | None:
        try:
            return self._view().shared.position
        except SearchUnavailable:
            return None

    # --- internals -----------------------------------------------------------------
    def _live_name(self) -> str | None:
        try:
            name = (self.index_dir / POINTER).read_text(encoding="ascii").strip()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as error:
            raise SearchUnavailable(f"The search index cannot be read: {error}") from error
        if not name.startswith("gen-") or "/" in name:
            raise SearchUnavailable(f"The search index's {POINTER} file is damaged.")
        return name

    def _point_to(self, name: str) -> None:
        pointer = self.index_dir / f"{POINTER}.{os.getpid()}.tmp"
        pointer.write_text(name)
        os.replace(pointer, self.index_dir / POINTER)

    def _remove_abandoned(self) -> None:
        """Builds killed half way, and files of the layout before generations."""
        live = self._live_name() if self.exists() else None
        for path in self.index_dir.iterdir():
            if path.name in (POINTER, BUILD_LOCK, live):
                continue
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)

    def _stamp(self) -> tuple[str, int] | None:
        """The live index and its newest generation: changes with every commit and swap."""
        name = self._live_name()
        if name is None:
            return None
        try:
            generation = index.TOC._latest_generation(
                _storage(self.index_dir / name), index._DEF_INDEX_NAME
            )
        except OSError as error:
            raise SearchUnavailable(f"The search index cannot be read: {error}") from error
        return None if generation < 0 else (name, generation)

    def _view(self) -> ThreadView:
        """This thread's view of the live index, reopened when it has changed."""
        for _attempt in range(2):  # a swap may remove the index we were about to open
            try:
                stamp = self._stamp()
                if stamp is None:
                    raise SearchUnavailable(f"There is no search index in {self.index_dir}.")
            except SearchUnavailable as error:
                log.error("Search is unavailable: %s", error)
                raise
            cached = getattr(self._local, "view", None)
            if cached is not None and cached.stamp == stamp:
                return cached
            try:
                view = self._open_view(stamp, cached)
            except SearchUnavailable:
                if self._stamp() != stamp:
                    continue
                raise
            if cached is not None:
                cached.close_unless_in(view)
            self._local.view = view
            return view
        raise SearchUnavailable("The search index changed while it was being opened.")

    def _open_view(self, stamp: tuple[str, int], previous: ThreadView | None) -> ThreadView:
        """Segments unchanged since ``previous`` keep their open readers: an edit opens
        only the segment it wrote."""
        try:
            ix = index.open_dir(str(self.index_dir / stamp[0]))
            reusable = (
                previous.readers_by_segment() if previous and previous.stamp[0] == stamp[0] else {}
            )
            readers = [segment_reader(ix, segment, reusable) for segment in ix._segments()]
            reader = MultiReader(readers, generation=stamp[1]) if len(readers) != 1 else readers[0]
            searcher = Searcher(reader, fromindex=ix)
            leaves = [(leaf, offset) for leaf, offset in reader.leaf_readers()]
            outbox = searcher.document(id=OUTBOX_DOCUMENT_ID)
            shared = self._shared_view(stamp, leaves, outbox["facts"] if outbox else 0)
        except SearchUnavailable:
            raise
        except Exception as error:  # a corrupt or half-deleted index: whatever whoosh raises
            log.exception("The search index %s cannot be opened", stamp[0])
            _close_files_left_open(error)
            raise SearchUnavailable(f"The search index cannot be opened: {error}") from error
        parts = [
            (leaf, offset, shared.segments[leaf.segment().segment_id()].postings)
            for leaf, offset in leaves
        ]
        return ThreadView(stamp, searcher, shared, parts)

    def _shared_view(self, stamp, leaves, position: int) -> IndexVersion:
        with self._lock:
            shared = self._shared
            if shared is not None and shared.stamp == stamp:
                return shared
            known = shared.segments if shared is not None and shared.stamp[0] == stamp[0] else {}
            segments, loaded = {}, 0
            for leaf, _offset in leaves:
                segid = leaf.segment().segment_id()
                if segid not in known:
                    loaded += leaf.doc_count_all()
                segments[segid] = known.get(segid) or IndexSegment.load(leaf)
            previous = shared.joined if shared is not None else {}
            self._shared = shared = IndexVersion.join(stamp, leaves, segments, position, previous)
        # Only a large load (a start, a rebuild, a big merge) is worth a full collection;
        # an edit's small segment is not.
        exclude_from_collections(loaded)
        return shared

    def _query_terms(self, searcher, query) -> list[FieldTerm]:
        return [
            field_term
            for term in query.terms
            for field_term in field_terms(searcher, term.word, term.weight)
        ]


def _close_files_left_open(error: BaseException) -> None:
    """Close the index files whoosh opened and then gave up on (it leaves its table of
    contents open when it cannot read it); the traceback would keep them open."""
    trace = error.__traceback__
    while trace is not None:
        for value in trace.tb_frame.f_locals.values():
            if isinstance(value, StructFile) and not value.is_closed:
                value.close()
        trace = trace.tb_next


def _storage(path: Path) -> FileStorage:
    return FileStorage(str(path))
