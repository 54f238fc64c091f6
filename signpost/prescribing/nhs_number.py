"""NHS numbers: ten digits, the last a modulus 11 check digit.

The check: multiply the first nine digits by 10, 9, ... 2, add them up, take the
remainder on division by 11 and subtract it from 11. A result of 11 means a check digit
of 0; a result of 10 means the number can never be valid. A typing slip of one digit,
or two neighbouring digits swapped, always fails the check.
"""

from __future__ import annotations

WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)


class InvalidNhsNumber(ValueError):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when no check digit can make them valid."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, WEIGHTS, strict=True))
    result = 11 - total % 11
    if result == 11:
        return 0
    if result == 10:
        return None
    return result


def normalise_nhs_number(text: str) -> str:
    """``"943 476 5919"`` -> ``"9434765919"``; raises InvalidNhsNumber with a sentence."""
    compact = "".join(ch for ch in (text or "") if ch not in " -")
    if len(compact) != 10 or not compact.isascii() or not compact.isdigit():
        raise InvalidNhsNumber("An NHS number is 10 digits, like 943 476 5919.")
    if check_digit(compact[:9]) != int(compact[9]):
        raise InvalidNhsNumber("That is not a valid NHS number. Check each digit and try again.")
    return compact


def is_valid_nhs_number(text: str) -> bool:
    try:
        normalise_nhs_number(text)
    except InvalidNhsNumber:
        return False
    return True


def format_nhs_number(number: str) -> str:
    """Shown in the 3-3-4 groups people read aloud: ``943 476 5919``."""
    return f"{number[:3]} {number[3:6]} {number[6:]}"
