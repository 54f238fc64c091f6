import pytest

from signpost.prescribing.statuses import (
    ALLOWED_TRANSITIONS,
    STATUSES,
    TransitionRefused,
    check_transition,
)


def test_the_usual_path_is_allowed():
    path = ["suggested", "referred", "accepted", "attended", "completed"]
    for current, new in zip(path, path[1:], strict=False):
        check_transition(current, new)


@pytest.mark.parametrize(
    ("current", "new"),
    [("suggested", "completed"), ("completed", "referred"), ("declined", "accepted")],
)
def test_disallowed_moves_are_refused_in_words(current, new):
    with pytest.raises(TransitionRefused) as error:
        check_transition(current, new)
    assert STATUSES[current].label.lower() in error.value.message


def test_unknown_status_is_refused():
    with pytest.raises(TransitionRefused):
        check_transition("suggested", "teleported")


def test_transitions_only_name_known_statuses_and_closed_ones_are_final():
    assert set(ALLOWED_TRANSITIONS) == set(STATUSES)
    for current, targets in ALLOWED_TRANSITIONS.items():
        assert set(targets) <= set(STATUSES)
        assert current not in targets
        if STATUSES[current].closed:
            assert targets == ()
