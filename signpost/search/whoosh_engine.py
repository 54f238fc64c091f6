"""The whoosh implementation of SearchEngine (Whoosh-Reloaded 2.7.5).

On disk, ``SIGNPOST_INDEX_DIR`` holds whole indexes side by side (``gen-…``), a file
``CURRENT`` naming the live one, and ``build.lock``. A rebuild writes a new index beside
the live one and swaps it in by replacing ``CURRENT`` (an atomic rename), holding the live
index's write lock while it catches up; so no process ever sees half an index, and no
edit made during the build is lost. Edits are written under whoosh's own write lock (one
writer at a time, across processes), never through AsyncWriter.

Each document holds a service's words and its facts (``ServiceFacts``, stored). Reading
is per segment (``whoosh_scoring.SegmentPostings``, ``facts_table.FactsTable``): an edit
writes a small segment, so the next search reads only that and rejoins the tables.
Field weights: a word in the service name counts three times a word in its description,
a category word twice. The organisation's name is not indexed: it matched too much
("Citizens Advice") for what it added. No field keeps word positions.
"""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

import numpy as np
from whoosh import index
from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.filedb.structfile import StructFile
from whoosh.index import LockError
from whoosh.reading import MultiReader, SegmentReader
from whoosh.searching import Searcher

from signpost.search.engine import (
    OUTBOX_DOCUMENT_ID,
    Building,
    EnginePage,
    EngineSearch,
    IndexBusy,
    Opening,
    SearchUnavailable,
    ServiceDocument,
    ServiceFacts,
)
from signpost.search.facts_table import Chunk, FactsTable, search_chunks
from signpost.search.long_lived import exclude_from_collections
from signpost.search.whoosh_scoring import (
    FieldTerm,
    SegmentPostings,
    TermStatistics,
    add_scores,
    term_statistics,
)

log = logging.getLogger(__name__)

FIELD_WEIGHTS = {"name": 3.0, "categories": 2.0, "description": 1.0}
WORD_PATTERN = r"[^\W\d_]+"  # letters only, any script
MAX_CACHED_CORRECTIONS = 10_000  # per index version; a fuzzy lookup costs 5-40 ms
# A full build analyses text in this many processes, each writing its own segment.
BUILD_PROCESSES = max(1, min(4, os.cpu_count() or 1))
POINTER = "CURRENT"
BUILD_LOCK = "build.lock"


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
        # ServiceFacts as a tuple; on the outbox document, the outbox position it holds.
        facts=STORED,
    )


class WhooshEngine:
    def __init__(self, index_dir: str | Path) -> None:
        self.index_dir = Path(index_dir)
        self._local = threading.local()  # this thread's searcher (whoosh readers hold files)
        self._lock = threading.Lock()
        self._shared: _SharedView | None = None
        self._corrections: tuple[object, dict[str, str | None]] = (None, {})

    # --- writing -------------------------------------------------------------------
    @contextmanager
    def writer(self, timeout: float) -> Iterator[_Writer]:
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
        session = _Writer(writer)
        try:
            yield session
        finally:
            if not session.committed:
                writer.cancel()

    @contextmanager
    def build_lock(self) -> Iterator[None]:
        """Only one build at a time, across processes: the others wait here."""
        self.index_dir.mkdir(parents=True, exist_ok=True)
        with _file_lock(self.index_dir / BUILD_LOCK):
            self._remove_abandoned()
            yield

    def new_build(self) -> _Build:
        """An empty index beside the live one (call while holding ``build_lock``)."""
        path = self.index_dir / f"gen-{time.time_ns()}-{os.getpid()}"
        path.mkdir()
        return _Build(path, index.create_in(str(path), build_schema()))

    def swap_in(self, build: _Build, catch_up) -> None:
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
                for term in _field_terms(searcher, word, 1.0)
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

    def _same_build(self, view: _View) -> bool:
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

    def _view(self) -> _View:
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

    def _open_view(self, stamp: tuple[str, int], previous: _View | None) -> _View:
        """Segments unchanged since ``previous`` keep their open readers: an edit opens
        only the segment it wrote."""
        try:
            ix = index.open_dir(str(self.index_dir / stamp[0]))
            reusable = (
                previous.readers_by_segment() if previous and previous.stamp[0] == stamp[0] else {}
            )
            readers = [_segment_reader(ix, segment, reusable) for segment in ix._segments()]
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
        return _View(stamp, searcher, shared, parts)

    def _shared_view(self, stamp, leaves, position: int) -> _SharedView:
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
                segments[segid] = known.get(segid) or _Segment.load(leaf)
            previous = shared.joined if shared is not None else {}
            self._shared = shared = _SharedView.join(stamp, leaves, segments, position, previous)
        # Only a large load (a start, a rebuild, a big merge) is worth a full collection;
        # an edit's small segment is not.
        exclude_from_collections(loaded)
        return shared

    def _query_terms(self, searcher, query) -> list[FieldTerm]:
        return [
            field_term
            for term in query.terms
            for field_term in _field_terms(searcher, term.word, term.weight)
        ]


@dataclass
class _Segment:
    """What one segment holds that never changes: its documents' facts, its postings."""

    table: FactsTable
    postings: SegmentPostings

    @cached_property
    def is_service(self) -> np.ndarray:
        return np.not_equal(self.table.service_ids, None)

    @classmethod
    def load(cls, leaf) -> _Segment:
        rows = [
            (docnum, stored["id"], facts_from_stored(stored["facts"]))
            for docnum, stored in leaf.iter_docs()
            if stored["id"] != OUTBOX_DOCUMENT_ID
        ]
        return cls(FactsTable.from_facts(rows, leaf.doc_count_all()), SegmentPostings())


@dataclass
class _SharedView:
    """One version of the index, shared by every thread: its chunks of facts."""

    stamp: tuple[str, int]
    segments: dict[str, _Segment]
    chunks: list[Chunk]
    joined: dict[tuple[str, ...], FactsTable]  # kept for the next version
    position: int
    size: int

    @classmethod
    def join(cls, stamp, leaves, segments, position, previous) -> _SharedView:
        """Runs of large segments make one chunk each, joined once and kept while they
        last (an edit only adds small segments); runs of small ones are joined anew."""
        chunks, joined = [], {}
        for run in _runs(leaves):
            ids = tuple(leaf.segment().segment_id() for leaf, _offset in run)
            tables = [segments[segid].table for segid in ids]
            if len(tables) == 1:
                table = tables[0]
            elif ids in previous:
                table = previous[ids]
            else:
                table = FactsTable.joined(tables)
            if run[0][0].doc_count_all() >= LARGE_SEGMENT:
                joined[ids] = table
            live = np.concatenate([_live(leaf, segments) for leaf, _offset in run])
            chunks.append(Chunk(table, live, run[0][1]))
        size = sum(len(chunk.table) for chunk in chunks)
        return cls(stamp, segments, chunks, joined, position, size)


LARGE_SEGMENT = 2_000  # documents: a segment this big comes from a build or a merge


def _runs(leaves) -> list[list]:
    """Consecutive leaves grouped by size class (large or small)."""
    runs: list[list] = []
    for leaf, offset in leaves:
        large = leaf.doc_count_all() >= LARGE_SEGMENT
        if runs and (runs[-1][0][0].doc_count_all() >= LARGE_SEGMENT) == large:
            runs[-1].append((leaf, offset))
        else:
            runs.append([(leaf, offset)])
    return runs


def _live(leaf, segments) -> np.ndarray:
    live = segments[leaf.segment().segment_id()].is_service.copy()
    live[np.fromiter(leaf.segment().deleted_docs(), dtype=np.int64)] = False
    return live


@dataclass
class _View:
    """One thread's readers of one version of the index."""

    stamp: tuple[str, int]
    searcher: object
    shared: _SharedView
    parts: list
    statistics: dict = field(default_factory=dict)  # (field, token) -> TermStatistics

    def readers_by_segment(self) -> dict:
        return {leaf.segment().segment_id(): leaf for leaf, _offset, _postings in self.parts}

    def close_unless_in(self, newer: _View) -> None:
        """Close the readers the newer view did not keep."""
        kept = {id(leaf) for leaf, _offset, _postings in newer.parts}
        for leaf, _offset, _postings in self.parts:
            if id(leaf) not in kept:
                leaf.close()

    def term_statistics(self, term: FieldTerm) -> TermStatistics | None:
        key = (term.field, term.token)
        if key not in self.statistics:
            weighting = self.searcher.weighting
            self.statistics[key] = term_statistics(self.parts, term, weighting.K1, weighting.B)
        return self.statistics[key]


def _segment_reader(ix, segment, reusable: dict):
    """An open reader of ``segment``; a reused one is told the segment's deletions now
    (whoosh keeps deletions in the table of contents, not in the segment's files)."""
    reader = reusable.get(segment.segment_id())
    if reader is None:
        return SegmentReader(ix.storage, ix.schema, segment)
    reader._segment = reader._perdoc._segment = segment
    reader.__dict__.pop("deleted_docs_set", None)  # whoosh's cached copy of the deletions
    return reader


class _Writer:
    """The live index's writer (see ``IndexWriter``): every document once per commit."""

    def __init__(self, writer) -> None:
        self._writer = writer
        self.committed = False
        with writer.searcher() as searcher:
            outbox = searcher.document(id=OUTBOX_DOCUMENT_ID)
        self.position = outbox["facts"] if outbox else 0

    def update(self, documents: Iterable[ServiceDocument]) -> None:
        for document in documents:
            self._writer.update_document(**_fields(document))

    def remove(self, service_ids: Iterable[str]) -> None:
        for service_id in service_ids:
            self._writer.delete_by_term("id", service_id)

    def commit(self, position: int) -> None:
        self._writer.update_document(id=OUTBOX_DOCUMENT_ID, facts=position)
        self._writer.commit()
        self.committed = True


class _Build:
    def __init__(self, path: Path, ix) -> None:
        self.path = path
        self._index = ix

    def add(self, documents: Iterable[ServiceDocument], position: int) -> int:
        """Every document, analysed in several processes, and the outbox position the
        documents were read at."""
        writer = self._index.writer(procs=BUILD_PROCESSES, multisegment=True, limitmb=128)
        count = 0
        for document in documents:
            writer.add_document(**_fields(document))
            count += 1
        writer.add_document(id=OUTBOX_DOCUMENT_ID, facts=position)
        writer.commit()
        return count

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    @contextmanager
    def writer(self, timeout: float) -> Iterator[_Writer]:
        writer = index.open_dir(str(self.path)).writer(timeout=timeout)
        session = _Writer(writer)
        try:
            yield session
        finally:
            if not session.committed:
                writer.cancel()


def _close_files_left_open(error: BaseException) -> None:
    """Close the index files whoosh opened and then gave up on (it leaves its table of
    contents open when it cannot read it); the traceback would keep them open."""
    trace = error.__traceback__
    while trace is not None:
        for value in trace.tb_frame.f_locals.values():
            if isinstance(value, StructFile) and not value.is_closed:
                value.close()
        trace = trace.tb_next


@contextmanager
def _file_lock(path: Path):
    """An exclusive lock across processes, held until the block ends (waits for it)."""
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _storage(path: Path):
    from whoosh.filedb.filestore import FileStorage

    return FileStorage(str(path))


def _field_terms(searcher, word: str, weight: float) -> list[FieldTerm]:
    return [
        FieldTerm(field, token.text, weight * field_weight)
        for field, field_weight in FIELD_WEIGHTS.items()
        for token in searcher.schema[field].analyzer(word)
    ]


def _fields(document: ServiceDocument) -> dict:
    return {
        "id": document.id,
        "name": document.name,
        "description": document.description,
        "categories": document.categories,
        "words": f"{document.name} {document.categories}",
        "facts": facts_to_stored(document.facts),
    }


def facts_to_stored(facts: ServiceFacts) -> tuple:
    """Plain values (fast to unpickle when a segment's documents are read)."""
    return (
        facts.name,
        facts.organization_id,
        facts.capacity_status,
        facts.verified_on.toordinal() if facts.verified_on else 0,
        facts.last_modified,
        facts.is_free,
        facts.delivery_modes,
        facts.access_route,
        facts.minimum_age,
        facts.maximum_age,
        facts.category_codes,
        facts.term_ids,
        facts.taxonomy_ids,
        facts.languages,
        tuple((o.weekday, o.opens_at, o.closes_at) for o in facts.openings),
        tuple((b.latitude, b.longitude, b.wheelchair_accessible) for b in facts.buildings),
    )


def facts_from_stored(stored: tuple) -> ServiceFacts:
    (name, organization_id, capacity, verified, modified, free, modes, route) = stored[:8]
    (minimum_age, maximum_age, codes, terms, taxonomies, languages) = stored[8:14]
    openings, buildings = stored[14:]
    return ServiceFacts(
        name=name,
        organization_id=organization_id,
        capacity_status=capacity,
        verified_on=date.fromordinal(verified) if verified else None,
        last_modified=modified,
        is_free=free,
        delivery_modes=modes,
        access_route=route,
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        category_codes=codes,
        term_ids=terms,
        taxonomy_ids=taxonomies,
        languages=languages,
        openings=tuple(Opening(*opening) for opening in openings),
        buildings=tuple(Building(*building) for building in buildings),
    )
