import pytest
from hypothesis import given
from hypothesis import strategies as st

from signpost.prescribing.nhs_number import (
    InvalidNhsNumber,
    check_digit,
    format_nhs_number,
    is_valid_nhs_number,
    normalise_nhs_number,
)


@pytest.mark.parametrize("text", ["9434765919", "943 476 5919", "943-476-5919", "4010232137"])
def test_valid_numbers_are_accepted(text):
    assert is_valid_nhs_number(text)


def test_normalised_and_formatted():
    assert normalise_nhs_number(" 943 476 5919 ") == "9434765919"
    assert format_nhs_number("9434765919") == "943 476 5919"


@pytest.mark.parametrize("text", ["9434765918", "943476591", "94347659190", "94347659x9", ""])
def test_invalid_numbers_are_refused_in_words(text):
    with pytest.raises(InvalidNhsNumber) as error:
        normalise_nhs_number(text)
    assert "NHS number" in error.value.message


def test_a_remainder_of_ten_can_never_be_valid():
    # 6 x 2 = 12, remainder 1, 11 - 1 = 10: no check digit works.
    assert check_digit("000000006") is None
    assert not any(is_valid_nhs_number(f"000000006{d}") for d in range(10))


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_one_wrong_digit_always_fails(first_nine):
    check = check_digit(first_nine)
    if check is None:
        assert not any(is_valid_nhs_number(first_nine + str(d)) for d in range(10))
        return
    number = first_nine + str(check)
    assert is_valid_nhs_number(number)
    for position in range(10):
        for digit in "0123456789":
            if digit != number[position]:
                changed = number[:position] + digit + number[position + 1 :]
                assert not is_valid_nhs_number(changed)
