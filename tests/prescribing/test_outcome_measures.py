import json

import pytest

from signpost.prescribing.outcome_measures import (
    DATA_DIR,
    InvalidAnswers,
    InvalidMeasureDefinition,
    MeasureDefinition,
    built_in_definitions,
    changes,
)


def ons4() -> MeasureDefinition:
    (definition,) = built_in_definitions()
    return definition


def test_only_ons4_ships_and_it_has_the_four_questions():
    definition = ons4()
    assert definition.code == "ons4"
    assert [q.key for q in definition.questions] == [
        "life_satisfaction",
        "worthwhile",
        "happiness",
        "anxiety",
    ]
    assert all((q.minimum, q.maximum) == (0, 10) for q in definition.questions)
    assert [q.higher_is_better for q in definition.questions] == [True, True, True, False]


def test_no_licensed_measure_is_shipped():
    shipped = " ".join(p.read_text().lower() for p in DATA_DIR.glob("*.json"))
    assert "wemwbs" not in shipped
    assert "warwick" not in shipped


def test_answers_in_range_are_accepted():
    answers = ons4().validate(
        {"life_satisfaction": "7", "worthwhile": 0, "happiness": "10", "anxiety": " 3 "}
    )
    assert answers == {"life_satisfaction": 7, "worthwhile": 0, "happiness": 10, "anxiety": 3}


@pytest.mark.parametrize("bad", ["11", "-1", "7.5", "seven", ""])
def test_out_of_range_or_non_numbers_are_refused_with_a_message(bad):
    raw = {"life_satisfaction": bad, "worthwhile": 5, "happiness": 5, "anxiety": 5}
    with pytest.raises(InvalidAnswers) as error:
        ons4().validate(raw)
    assert set(error.value.errors) == {"life_satisfaction"}
    assert "Life satisfaction" in error.value.errors["life_satisfaction"]
    assert "0" in error.value.errors["life_satisfaction"]


def test_change_reads_the_direction_of_better():
    first = {"life_satisfaction": 4, "worthwhile": 5, "happiness": 6, "anxiety": 8}
    latest = {"life_satisfaction": 6, "worthwhile": 5, "happiness": 4, "anxiety": 3}
    result = {c.question.key: (c.difference, c.direction) for c in changes(ons4(), first, latest)}
    assert result == {
        "life_satisfaction": (2, "better"),
        "worthwhile": (0, "same"),
        "happiness": (-2, "worse"),
        "anxiety": (-5, "better"),
    }


def test_a_definition_round_trips_and_bad_ones_are_refused():
    definition = ons4()
    assert MeasureDefinition.from_dict(json.loads(json.dumps(definition.to_dict()))) == definition
    with pytest.raises(InvalidMeasureDefinition):
        MeasureDefinition.from_dict({"code": "x", "name": "x", "questions": []})
