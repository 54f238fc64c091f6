"""The engine's numpy BM25F gives exactly whoosh's own scores: on the sample directory,
and on an index that edits have split into segments with deleted documents."""

from __future__ import annotations

import numpy as np
import pytest
from whoosh.query import Or, Term

from signpost.search.engine import EngineQuery, EngineSearch, WeightedTerm
from signpost.search.indexer import search_engine
from signpost.search.query_text import build_engine_query
from signpost.search.whoosh_engine import FIELD_WEIGHTS, WhooshEngine
from signpost.search.whoosh_scoring import FieldTerm, SegmentPostings, TermStatistics
from tests.search.engine_helpers import built_engine, document, write

pytestmark = pytest.mark.engines("whoosh")  # whoosh's BM25F, computed by us


def whoosh_scores(engine: WhooshEngine, query: EngineQuery) -> dict[str, float]:
    """What whoosh's own matchers and BM25F make of the same weighted words."""
    searcher = engine._view().searcher
    whoosh_query = Or(
        [
            Term(field, token.text, boost=term.weight * field_weight)
            for term in query.terms
            for field, field_weight in FIELD_WEIGHTS.items()
            for token in searcher.schema[field].analyzer(term.word)
        ]
    )
    return {hit["id"]: hit.score for hit in searcher.search(whoosh_query, limit=None)}


def relevances(engine: WhooshEngine, query: EngineQuery, limit: int = 10_000) -> dict:
    page = engine.search(EngineSearch(query, limit=limit))
    return {hit.service_id: hit.relevance for hit in page.hits}


def assert_same_as_whoosh(engine: WhooshEngine, query: EngineQuery) -> None:
    """With no postcode and every listing open and fresh, the blended score is the text
    score over the best one: whoosh's scores, scaled."""
    ours = relevances(engine, query)
    theirs = whoosh_scores(engine, query)
    best = max(theirs.values())
    assert ours, "the query should match something"
    assert ours == pytest.approx({key: value / best for key, value in theirs.items()}, rel=1e-5)
    assert engine.search(EngineSearch(query, limit=1)).total == len(theirs)


@pytest.mark.parametrize(
    "text", ["lonely", "sad since husband died", "exercise for bad back", "dept advice", "choir"]
)
def test_scores_equal_whoosh_on_the_sample_directory(seeded, text):
    engine = search_engine()
    assert_same_as_whoosh(engine, build_engine_query(text, engine))


def test_scores_equal_whoosh_across_segments_with_deletions(tmp_path):
    engine = built_engine(
        tmp_path / "index",
        (
            document(n, f"Group {n}", "walking " * (n % 3 + 1) + "friendly chat tea " * n)
            for n in range(8)
        ),
    )
    write(engine, [document(20, "Walking football", "Walking football for older men")])
    write(engine, [document(2, "Tea dance", "A walking tour then a tea dance")])  # an edit
    write(engine, removed=["s5"])
    assert engine._view().searcher.reader().has_deletions()
    query = EngineQuery([WeightedTerm("walking"), WeightedTerm("tea", 0.45)])
    assert_same_as_whoosh(engine, query)
    assert "s5" not in relevances(engine, query)


def test_the_limit_keeps_the_best_and_the_total_counts_all(tmp_path):
    engine = built_engine(
        tmp_path / "index",
        (document(n, f"Service {n}", "garden " * (n + 1) + "other " * 5) for n in range(6)),
    )
    page = engine.search(EngineSearch(EngineQuery([WeightedTerm("garden")]), limit=2))
    assert [hit.service_id for hit in page.hits] == ["s5", "s4"]
    assert page.total == 6
    second = engine.search(EngineSearch(EngineQuery([WeightedTerm("garden")]), offset=2, limit=2))
    assert [hit.service_id for hit in second.hits] == ["s3", "s2"]


def test_cached_corrections_follow_changes_to_the_index(tmp_path):
    engine = built_engine(tmp_path / "index", [document(1, "Allotment", "Growing vegetables")])
    assert engine.correct("gardning") is None
    write(engine, [document(2, "Gardening club", "Flowers and lawns")])
    assert engine.correct("gardning") == "gardening"


def test_repeated_searches_give_the_same_scores_and_follow_edits(tmp_path):
    """Posting lists are kept per segment between searches: same scores, and an edit
    (a new segment, new index-wide statistics) is seen at once."""
    engine = built_engine(
        tmp_path / "index", (document(n, f"Group {n}", "walking " * (n + 1)) for n in range(4))
    )
    query = EngineQuery([WeightedTerm("walking")])
    first = relevances(engine, query)
    assert relevances(engine, query) == first
    assert_same_as_whoosh(engine, query)
    write(engine, [document(9, "Walking walking walking", "walking " * 9)])
    assert engine.search(EngineSearch(query, limit=1)).hits[0].service_id == "s9"
    assert_same_as_whoosh(engine, query)


WORDS = ["choir", "garden", "walk", "swim", "knit"]


def test_kept_posting_lists_stay_within_their_bound(tmp_path):
    engine = built_engine(
        tmp_path / "index",
        [document(n, f"Group {n}", " ".join(WORDS)) for n in range(4)],
    )
    leaf, _offset = engine._view().searcher.reader().leaf_readers()[0]
    postings = SegmentPostings(max_postings=10)
    statistics = TermStatistics(idf=1.0, average_length=5.0, k1=1.2, b=0.75)
    for n in range(5):
        postings.contributions(leaf, FieldTerm("description", WORDS[n], 1.0), statistics)
    assert postings._size <= 10
    assert ("description", WORDS[4]) in postings._lists  # the newest kept
    assert ("description", WORDS[0]) not in postings._lists  # the oldest let go
    again = postings.contributions(leaf, FieldTerm("description", WORDS[0], 1.0), statistics)
    assert np.array_equal(np.sort(again[0]), np.arange(4))


def test_large_and_small_segments_searched_apart_rank_and_count_as_one(tmp_path, monkeypatch):
    """An index of big built segments and small edited ones is searched a chunk at a
    time; the ranking, the count and every page equal those of one table."""
    from signpost.search import whoosh_versions

    engine = built_engine(
        tmp_path / "index",
        (
            document(n, f"Group {n:02d}", "walking " * (n % 4 + 1) + "tea " * (n % 3))
            for n in range(60)
        ),
    )
    write(engine, [document(70, "Walking football", "walking walking football")])
    write(engine, [document(3, "Tea dance", "walking tea dance")])  # an edit of a built one
    write(engine, [document(71, "Nordic walking", "walking poles")])
    query = EngineQuery([WeightedTerm("walking"), WeightedTerm("tea", 0.5)])

    def every_page() -> list[tuple]:
        engine._shared = None  # regroup the segments
        engine._local.view = None
        pages = [engine.search(EngineSearch(query, offset=o, limit=7)) for o in range(0, 63, 7)]
        return [(p.total, [(h.service_id, round(h.score, 9)) for h in p.hits]) for p in pages]

    monkeypatch.setattr(whoosh_versions, "LARGE_SEGMENT", 10**9)
    as_one = every_page()
    monkeypatch.setattr(whoosh_versions, "LARGE_SEGMENT", 3)
    assert every_page() == as_one
    assert len(engine._view().shared.chunks) == 2  # the built segment, then the edits
    assert as_one[0][0] == 62
    assert len({hit for _total, hits in as_one for hit in hits}) == 62
