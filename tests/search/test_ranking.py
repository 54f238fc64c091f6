"""The ranking formula itself, on made-up candidates."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from signpost.search.ranking import Candidate, rank_results, rank_score


def candidate(name, miles=None, capacity="accepting", remote=False, stale=False):
    return Candidate(name, name, capacity, miles, remote, stale)


def test_relevant_far_service_beats_irrelevant_near_one():
    ranked = rank_results(
        {"far": 10.0, "near": 4.0},
        {"far": candidate("far", 15.0), "near": candidate("near", 0.1)},
        has_origin=True,
    )
    assert [r.candidate.name for r in ranked] == ["far", "near"]


def test_nearer_wins_among_equally_relevant():
    ranked = rank_results(
        {"a": 5.0, "b": 5.0, "c": 4.9},
        {"a": candidate("a", 3.0), "b": candidate("b", 1.0), "c": candidate("c", 0.5)},
        has_origin=True,
    )
    assert [r.candidate.name for r in ranked] == ["c", "b", "a"]


def test_remote_services_are_kept_between_near_and_far():
    ranked = rank_results(
        {"near": 1.0, "phone": 1.0, "far": 1.0},
        {
            "near": candidate("near", 1.0),
            "phone": candidate("phone", remote=True),
            "far": candidate("far", 40.0),
        },
        has_origin=True,
    )
    assert [r.candidate.name for r in ranked] == ["near", "phone", "far"]


def test_full_and_paused_sink_below_accepting():
    ranked = rank_results(
        {"full": 1.0, "open": 1.0, "paused": 1.0},
        {
            "full": candidate("full", 0.5, "full"),
            "open": candidate("open", 3.0),
            "paused": candidate("paused", 0.2, "paused"),
        },
        has_origin=True,
    )
    assert ranked[0].candidate.name == "open"


@given(st.floats(0.01, 1.0), st.floats(0.0, 300.0), st.floats(0.0, 300.0))
def test_score_never_rises_with_distance(relevance, a, b):
    near, far = sorted([a, b])
    assert rank_score(relevance, candidate("x", near), True) >= rank_score(
        relevance, candidate("x", far), True
    )


@given(st.floats(0.0, 500.0))
def test_half_as_relevant_never_overtakes_however_close(miles):
    assert rank_score(1.0, candidate("x", miles), True) > rank_score(0.5, candidate("y", 0.0), True)
