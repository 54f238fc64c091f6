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
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.util.numeric import byte_to_length

BYTE_LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


@dataclass(frozen=True)
class FieldTerm:
    field: str
    token: str  # as the field's analyzer produced it
    boost: float


@dataclass
class IndexSnapshot:
    """Per-document arrays for one version of the index, shared by every thread's searcher."""

    service_ids: np.ndarray  # docnum -> service id (object array)
    docnums: dict[str, int]  # live service id -> docnum
    live: np.ndarray  # docnum -> not deleted
    lengths: dict[str, np.ndarray]  # field -> docnum -> byte-rounded field length
    term_contributions: TermContributionCache = field(
        default_factory=lambda: TermContributionCache()
    )

    @classmethod
    def load(cls, searcher, fields: list[str]) -> IndexSnapshot:
        reader = searcher.reader()
        total = reader.doc_count_all()
        live = np.zeros(total, dtype=bool)
        live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        service_ids = np.empty(total, dtype=object)
        docnums = {}
        for docnum, stored in reader.iter_docs():  # live documents only
            service_ids[docnum] = stored["id"]
            docnums[stored["id"]] = docnum
        lengths = {field: _field_lengths(reader, field, total) for field in fields}
        return cls(service_ids, docnums, live, lengths)

    def mask_for(self, service_ids: set[str] | None) -> np.ndarray:
        """Live documents, restricted to the given services when there are some."""
        if service_ids is None:
            return self.live
        mask = np.zeros(len(self.live), dtype=bool)
        docnums = map(self.docnums.get, service_ids)
        mask[np.fromiter((d for d in docnums if d is not None), dtype=np.int64)] = True
        return mask


def bm25f_scores(searcher, snapshot: IndexSnapshot, terms: list[FieldTerm]) -> np.ndarray:
    """Each document's summed score for the terms (0 where none occurs)."""
    scores = np.zeros(len(snapshot.live), dtype=np.float64)
    for term in terms:
        docnums, contributions = snapshot.term_contributions.get(
            (term.field, term.token), lambda t=term: _term_contributions(searcher, snapshot, t)
        )
        scores[docnums] += term.boost * contributions
    return scores


def _term_contributions(searcher, snapshot: IndexSnapshot, term: FieldTerm):
    """(docnums, idf x saturated term frequency) for one term at boost 1, whole list."""
    if searcher.doc_frequency(term.field, term.token) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    k1, b = searcher.weighting.K1, searcher.weighting.B
    idf = searcher.idf(term.field, term.token)
    average = searcher.avg_field_length(term.field) or 1
    lengths = snapshot.lengths[term.field]
    parts = []
    for docnums, frequencies in _postings(searcher.reader(), term.field, term.token):
        norm = k1 * ((1 - b) + b * lengths[docnums] / average)
        parts.append((docnums, idf * (frequencies * (k1 + 1)) / (frequencies + norm)))
    if not parts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


class TermContributionCache:
    """The latest-used terms' contributions for one index version, up to a size in postings.

    Link workers' searches share most of their words (the needs and their synonyms), so
    the same few hundred posting lists are read again and again; decoding them is most of
    a search at 100,000 listings. At 16 bytes a posting the bound is about 50 MB.
    """

    def __init__(self, max_postings: int = 3_000_000) -> None:
        self.max_postings = max_postings
        self._entries: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str], compute) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = compute()
        with self._lock:
            if key not in self._entries:
                self._entries[key] = value
                self._size += len(value[0])
            while self._size > self.max_postings and len(self._entries) > 1:
                _, (docnums, _) = self._entries.popitem(last=False)
                self._size -= len(docnums)
        return value


def best_documents(scores: np.ndarray, allowed: np.ndarray, limit: int) -> np.ndarray:
    """Docnums of the highest non-zero allowed scores, best first (ties: lower docnum)."""
    docnums = np.flatnonzero((scores > 0) & allowed)
    if len(docnums) > limit:
        docnums = docnums[np.argpartition(-scores[docnums], limit - 1)[:limit]]
    return docnums[np.lexsort((docnums, -scores[docnums]))]


def _postings(reader, field: str, token: str):
    """(docnums, term frequencies) arrays for a term, per segment and block."""
    for segment, offset in _segments(reader):
        try:
            matcher = segment._terms.matcher(
                field, token.encode("utf-8"), segment.schema[field].format
            )
        except (TermNotFound, KeyError):
            continue
        if not isinstance(matcher, W3LeafMatcher):  # a single posting, stored inline
            yield _inline_postings(matcher, offset)
            continue
        assert not matcher._byteids
        while matcher.is_active():
            if matcher._data is None:
                matcher._read_data()
            gaps = np.asarray(matcher._data[0], dtype=np.int64)  # delta-coded within a block
            matcher._read_weights()
            yield np.cumsum(gaps) + offset, np.asarray(matcher._weights, dtype=np.float64)
            if matcher._lastblock:
                break
            matcher._next_block()


def _inline_postings(matcher, offset: int) -> tuple[np.ndarray, np.ndarray]:
    docnums, frequencies = [], []
    while matcher.is_active():
        docnums.append(matcher.id() + offset)
        frequencies.append(matcher.weight())
        matcher.next()
    return np.asarray(docnums, dtype=np.int64), np.asarray(frequencies, dtype=np.float64)


def _field_lengths(reader, field: str, total: int) -> np.ndarray:
    lengths = np.ones(total, dtype=np.float64)
    for segment, offset in _segments(reader):
        column = segment._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
        if column is None:
            continue
        count = min(column._count, segment.doc_count_all())
        raw = np.frombuffer(column._dbfile.get(column._basepos, count), dtype=np.uint8)
        lengths[offset : offset + count] = np.where(raw > 0, BYTE_LENGTHS[raw], 1.0)
    return lengths


def _segments(reader) -> list[tuple[SegmentReader, int]]:
    """The index's segments with their first docnums (none for an empty index)."""
    return [
        (leaf, offset) for leaf, offset in reader.leaf_readers() if isinstance(leaf, SegmentReader)
    ]
