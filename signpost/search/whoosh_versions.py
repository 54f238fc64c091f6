"""Reading one version of a whoosh index, segment by segment.

A whoosh segment never changes once written (its deletions are kept in the table of
contents), so what is read from it is kept for as long as it lasts: its documents' facts
(``IndexSegment``) and its decoded posting lists (``SegmentPostings``). A version of the
index (``IndexVersion``, shared by every thread) is its segments' tables in chunks: runs
of large segments joined once and kept while they last, runs of small ones (an edit's)
joined anew. Each thread has its own open readers (``ThreadView``): whoosh's files are
not shared between threads, and a new version reopens only the segments that are new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from whoosh.reading import SegmentReader

from signpost.search.engine import OUTBOX_DOCUMENT_ID
from signpost.search.facts_table import Chunk, FactsTable
from signpost.search.whoosh_documents import facts_from_stored
from signpost.search.whoosh_scoring import (
    FieldTerm,
    SegmentPostings,
    TermStatistics,
    term_statistics,
)


@dataclass
class IndexSegment:
    """What one segment holds that never changes: its documents' facts, its postings."""

    table: FactsTable
    postings: SegmentPostings

    @cached_property
    def is_service(self) -> np.ndarray:
        return np.not_equal(self.table.service_ids, None)

    @classmethod
    def load(cls, leaf) -> IndexSegment:
        rows = [
            (docnum, stored["id"], facts_from_stored(stored["facts"]))
            for docnum, stored in leaf.iter_docs()
            if stored["id"] != OUTBOX_DOCUMENT_ID
        ]
        return cls(FactsTable.from_facts(rows, leaf.doc_count_all()), SegmentPostings())


@dataclass
class IndexVersion:
    """One version of the index, shared by every thread: its chunks of facts."""

    stamp: tuple[str, int]
    segments: dict[str, IndexSegment]
    chunks: list[Chunk]
    joined: dict[tuple[str, ...], FactsTable]  # kept for the next version
    position: int
    size: int

    @classmethod
    def join(cls, stamp, leaves, segments, position, previous) -> IndexVersion:
        """Runs of large segments make one chunk each, joined once and kept while they
        last (an edit only adds small segments); runs of small ones are joined anew."""
        chunks, joined = [], {}
        for run in runs(leaves):
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
            live = np.concatenate([live_documents(leaf, segments) for leaf, _offset in run])
            chunks.append(Chunk(table, live, run[0][1]))
        size = sum(len(chunk.table) for chunk in chunks)
        return cls(stamp, segments, chunks, joined, position, size)


LARGE_SEGMENT = 2_000  # documents: a segment this big comes from a build or a merge


def runs(leaves) -> list[list]:
    """Consecutive leaves grouped by size class (large or small)."""
    runs: list[list] = []
    for leaf, offset in leaves:
        large = leaf.doc_count_all() >= LARGE_SEGMENT
        if runs and (runs[-1][0][0].doc_count_all() >= LARGE_SEGMENT) == large:
            runs[-1].append((leaf, offset))
        else:
            runs.append([(leaf, offset)])
    return runs


def live_documents(leaf, segments) -> np.ndarray:
    live = segments[leaf.segment().segment_id()].is_service.copy()
    live[np.fromiter(leaf.segment().deleted_docs(), dtype=np.int64)] = False
    return live


@dataclass
class ThreadView:
    """One thread's readers of one version of the index."""

    stamp: tuple[str, int]
    searcher: object
    shared: IndexVersion
    parts: list
    statistics: dict = field(default_factory=dict)  # (field, token) -> TermStatistics

    def readers_by_segment(self) -> dict:
        return {leaf.segment().segment_id(): leaf for leaf, _offset, _postings in self.parts}

    def close_unless_in(self, newer: ThreadView) -> None:
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


def segment_reader(ix, segment, reusable: dict):
    """An open reader of ``segment``; a reused one is told the segment's deletions now
    (whoosh keeps deletions in the table of contents, not in the segment's files)."""
    reader = reusable.get(segment.segment_id())
    if reader is None:
        return SegmentReader(ix.storage, ix.schema, segment)
    reader._segment = reader._perdoc._segment = segment
    reader.__dict__.pop("deleted_docs_set", None)  # whoosh's cached copy of the deletions
    return reader
