"""The engine's numpy BM25F gives exactly whoosh's own scores: on the sample directory,
and on an index that edits have split into segments with deleted documents."""

from __future__ import annotations

import numpy as np
import pytest
from whoosh.query import Or, Term

from signpost.search.engine import EngineQuery, ServiceDocument, WeightedTerm
from signpost.search.indexer import search_engine
from signpost.search.query_text import build_engine_query
from signpost.search.whoosh_engine import FIELD_WEIGHTS, WhooshEngine
from signpost.search.whoosh_scoring import TermContributionCache


def whoosh_scores(engine: WhooshEngine, query: EngineQuery) -> dict[str, float]:
    """What whoosh's own matchers and BM25F make of the same weighted words."""
    searcher = engine._searcher()
    whoosh_query = Or(
        [
            Term(field, token.text, boost=term.weight * field_weight)
            for term in query.terms
            for field, field_weight in FIELD_WEIGHTS.items()
            for token in searcher.schema[field].analyzer(term.word)
        ]
    )
    return {hit["id"]: hit.score for hit in searcher.search(whoosh_query, limit=None)}


def assert_same_as_whoosh(engine: WhooshEngine, query: EngineQuery, allowed=None) -> None:
    ours = engine.search(query, allowed, limit=10_000)
    theirs = whoosh_scores(engine, query)
    if allowed is not None:
        theirs = {key: value for key, value in theirs.items() if key in allowed}
    assert ours, "the query should match something"
    assert dict(ours) == pytest.approx(theirs, rel=1e-5)
    scores = [score for _, score in ours]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "text", ["lonely", "sad since husband died", "exercise for bad back", "dept advice", "choir"]
)
def test_scores_equal_whoosh_on_the_sample_directory(seeded, text):
    engine = search_engine()
    assert_same_as_whoosh(engine, build_engine_query(text, engine))


def document(number: int, name: str, description: str) -> ServiceDocument:
    return ServiceDocument(f"s{number}", name, description, "Community. Local groups", "Org")


def test_scores_equal_whoosh_across_segments_with_deletions(tmp_path):
    engine = WhooshEngine(tmp_path / "index")
    engine.rebuild(
        document(n, f"Group {n}", "walking " * (n % 3 + 1) + "friendly chat tea " * n)
        for n in range(8)
    )
    engine.index_documents([document(20, "Walking football", "Walking football for older men")])
    engine.index_documents([document(2, "Tea dance", "A walking tour then a tea dance")])  # edit
    engine.remove(["s5"])
    reader = engine._searcher().reader()
    assert reader.has_deletions()
    query = EngineQuery([WeightedTerm("walking"), WeightedTerm("tea", 0.45)])
    assert_same_as_whoosh(engine, query)
    assert_same_as_whoosh(engine, query, allowed={"s2", "s3", "s20", "s5", "unknown"})
    assert "s5" not in dict(engine.search(query, None, limit=100))


def test_the_limit_keeps_the_best(tmp_path):
    engine = WhooshEngine(tmp_path / "index")
    engine.rebuild(
        document(n, f"Service {n}", "garden " * (n + 1) + "other " * 5) for n in range(6)
    )
    best = engine.search(EngineQuery([WeightedTerm("garden")]), None, limit=2)
    assert [service_id for service_id, _ in best] == ["s5", "s4"]


def test_cached_corrections_follow_changes_to_the_index(tmp_path):
    engine = WhooshEngine(tmp_path / "index")
    engine.rebuild([document(1, "Allotment", "Growing vegetables together")])
    assert engine.correct("gardning") is None
    engine.index_documents([document(2, "Gardening club", "Flowers and lawns")])
    assert engine.correct("gardning") == "gardening"


def test_repeated_searches_give_the_same_scores_and_follow_edits(tmp_path):
    """Posting lists are kept between searches, per index version: same scores, and an
    edit is seen at once."""
    engine = WhooshEngine(tmp_path / "index")
    engine.rebuild(document(n, f"Group {n}", "walking " * (n + 1)) for n in range(4))
    query = EngineQuery([WeightedTerm("walking")])
    first = engine.search(query, None, limit=10)
    assert engine.search(query, None, limit=10) == first
    assert_same_as_whoosh(engine, query)
    engine.index_documents([document(9, "Walking walking walking", "walking " * 9)])
    assert engine.search(query, None, limit=1)[0][0] == "s9"
    assert_same_as_whoosh(engine, query)


def test_kept_posting_lists_stay_within_their_bound():
    cache = TermContributionCache(max_postings=10)
    postings = {f"w{n}": (np.arange(4), np.ones(4)) for n in range(5)}
    for word, value in postings.items():
        assert cache.get(("description", word), lambda value=value: value) is value
    assert cache._size <= 10
    recomputed = []
    cache.get(("description", "w0"), lambda: recomputed.append(1) or postings["w0"])
    assert recomputed == [1]  # the oldest was let go
    cache.get(("description", "w4"), lambda: recomputed.append(1) or postings["w4"])
    assert recomputed == [1]  # the newest was kept
