"""Whoosh's BM25F, computed with numpy over whole posting lists instead of its matcher tree.

Whoosh scores an Or of weighted terms by walking a tree of Python matcher objects one
document at a time: about 3 us per posting per level of the tree, so a query with ten
synonyms over three fields took 300 ms on 10,000 listings and seconds on 100,000. Here
each term's posting list is read a block at a time into arrays and the same sum is taken
for every document at once:

    score(doc) = sum over (field, word) terms of
                 boost x idf x tf (K1 + 1) / (tf + K1 (1 - B + B dl / avgdl))

with whoosh's own idf, its byte-rounded field lengths (dl) and average lengths, so the
scores (and therefore the ranking) equal whoosh's; tests/search/test_engine_scoring.py
compares them. Reading blocks and the lengths column relies on Whoosh-Reloaded 2.7.5
internals (W3LeafMatcher, the per-document lengths column), which requirements.txt pins.

Everything read from a segment is kept per segment (``SegmentPostings``): a whoosh
segment never changes once written (deletions are kept apart), so an edit, which writes
a small new segment, leaves every other segment's decoded posting lists usable. Only
the cheap arithmetic that depends on the whole index (idf, average lengths) is redone
when the index changes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from math import log

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


@dataclass(frozen=True)
class FieldTerm:
    field: str
    token: str  # as the field's analyzer produced it
    boost: float


@dataclass(frozen=True)
class TermStatistics:
    """What BM25F needs of the whole index for one term."""

    idf: float
    average_length: float
    k1: float
    b: float


class SegmentPostings:
    """One segment's decoded posting lists (latest used first out) and field lengths."""

    def __init__(self, max_postings: int = 1_500_000) -> None:
        self.max_postings = max_postings
        self._lists: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._scored: dict[tuple[str, str], tuple[TermStatistics, np.ndarray]] = {}
        self._lengths: dict[str, np.ndarray] = {}
        self._frequencies: dict[tuple[str, str], int] = {}
        self._size = 0
        self._lock = threading.Lock()

    def contributions(
        self, leaf, term: FieldTerm, statistics: TermStatistics
    ) -> tuple[np.ndarray, np.ndarray]:
        """(local docnums, idf x saturated term frequency) of a term at boost 1."""
        key = (term.field, term.token)
        docnums, frequencies = self._posting_list(leaf, key)
        with self._lock:
            scored = self._scored.get(key)
        if scored is not None and scored[0] == statistics:
            return docnums, scored[1]
        lengths = self.lengths(leaf, term.field)[docnums]
        s = statistics
        norm = s.k1 * ((1 - s.b) + s.b * lengths / (s.average_length or 1))
        values = s.idf * (frequencies * (s.k1 + 1)) / (frequencies + norm)
        with self._lock:
            if key in self._lists:
                self._scored[key] = (statistics, values)
        return docnums, values

    def document_frequency(self, leaf, field: str, token: str) -> int:
        """In how many of the segment's documents the term occurs (deleted ones too, as
        whoosh counts them): fixed once the segment is written."""
        key = (field, token)
        if key not in self._frequencies:
            self._frequencies[key] = leaf.doc_frequency(field, token)
        return self._frequencies[key]

    def lengths(self, leaf, field: str) -> np.ndarray:
        lengths = self._lengths.get(field)
        if lengths is None:
            lengths = self._lengths[field] = _field_lengths(leaf, field)
        return lengths

    def _posting_list(self, leaf, key: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            if key in self._lists:
                self._lists.move_to_end(key)
                return self._lists[key]
        value = _postings(leaf, *key)
        with self._lock:
            if key not in self._lists:
                self._lists[key] = value
                self._size += len(value[0])
            while self._size > self.max_postings and len(self._lists) > 1:
                old_key, (docnums, _) = self._lists.popitem(last=False)
                self._scored.pop(old_key, None)
                self._size -= len(docnums)
        return value


def term_statistics(parts, term: FieldTerm, k1: float, b: float) -> TermStatistics | None:
    """Whoosh's BM25F idf and average field length for the term, from what each segment
    keeps (whoosh counts deleted documents in both, so neither changes with deletions)."""
    frequency = sum(
        postings.document_frequency(leaf, term.field, term.token) for leaf, _, postings in parts
    )
    if frequency == 0:
        return None
    all_documents = sum(leaf.doc_count_all() for leaf, _, _ in parts)
    total_length = sum(leaf.field_length(term.field) for leaf, _, _ in parts)
    return TermStatistics(
        idf=log(all_documents / (frequency + 1)) + 1,
        average_length=(total_length / (all_documents or 1)) or 1,
        k1=k1,
        b=b,
    )


def add_scores(
    scores: np.ndarray, parts: list[tuple[object, int, SegmentPostings]], term, statistics
) -> None:
    """Add one term's weighted contributions, from every segment, to ``scores``."""
    for leaf, offset, postings in parts:
        docnums, values = postings.contributions(leaf, term, statistics)
        if len(docnums):
            scores[docnums + offset] += term.boost * values


def _postings(leaf, field: str, token: str) -> tuple[np.ndarray, np.ndarray]:
    """(local docnums, term frequencies) of a term in one segment."""
    try:
        matcher = leaf._terms.matcher(field, token.encode("utf-8"), leaf.schema[field].format)
    except (TermNotFound, KeyError):
        return EMPTY
    if not isinstance(matcher, W3LeafMatcher):  # a single posting, stored inline
        return _inline_postings(matcher)
    assert not matcher._byteids
    docnums, frequencies = [], []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        gaps = np.asarray(matcher._data[0], dtype=np.int64)  # delta-coded within a block
        matcher._read_weights()
        docnums.append(np.cumsum(gaps))
        frequencies.append(np.asarray(matcher._weights, dtype=np.float64))
        if matcher._lastblock:
            break
        matcher._next_block()
    if not docnums:
        return EMPTY
    return np.concatenate(docnums), np.concatenate(frequencies)


def _inline_postings(matcher) -> tuple[np.ndarray, np.ndarray]:
    docnums, frequencies = [], []
    while matcher.is_active():
        docnums.append(matcher.id())
        frequencies.append(matcher.weight())
        matcher.next()
    return np.asarray(docnums, dtype=np.int64), np.asarray(frequencies, dtype=np.float64)


def _field_lengths(leaf, field: str) -> np.ndarray:
    total = leaf.doc_count_all()
    lengths = np.ones(total, dtype=np.float64)
    column = leaf._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is not None:
        count = min(column._count, total)
        raw = np.frombuffer(column._dbfile.get(column._basepos, count), dtype=np.uint8)
        lengths[:count] = np.where(raw > 0, BYTE_LENGTHS[raw], 1.0)
    return lengths
