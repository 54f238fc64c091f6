"""The shape of a UK postcode: normalising, validating and splitting it.

A postcode is an outward code (the district, e.g. ``E15`` or ``SW1A``) and an inward
code (a digit and two letters, e.g. ``4HT``). The pattern follows the Royal Mail rules
on which letters may appear where; every one of the 1.74 million Code-Point Open
postcodes matches it.
"""

from __future__ import annotations

import re

from signpost.geo.errors import InvalidPostcode, PostcodeNotCovered

# A9, A99, AA9, AA99, A9A, AA9A. No Q, V, X first; no I, J, Z second.
OUTCODE_PATTERN = (
    r"[A-PR-UWYZ](?:[0-9]{1,2}|[0-9][A-HJKPSTUW]|[A-HK-Y][0-9]{1,2}|[A-HK-Y][0-9][ABEHMNPRVWXY])"
)
# The inward letters never include C, I, K, M, O or V.
INCODE_PATTERN = r"[0-9][ABD-HJLNP-UW-Z]{2}"
POSTCODE_PATTERN = f"{OUTCODE_PATTERN} {INCODE_PATTERN}"

_OUTCODE = re.compile(OUTCODE_PATTERN)
_INCODE = re.compile(INCODE_PATTERN)
_AREA = re.compile(r"[A-Z]+")

# Longest sensible input: "SW1A 1AA" with generous stray spaces. Anything longer is not
# a postcode, and refusing it early keeps pasted essays cheap.
MAX_INPUT_LENGTH = 32

# Real postcode areas that Code-Point Open (Great Britain only) leaves out.
AREAS_NOT_COVERED = {
    "BT": "Northern Ireland",
    "GY": "Guernsey",
    "JE": "Jersey",
    "IM": "the Isle of Man",
}

EMPTY_MESSAGE = "Enter a postcode, like E15 4HT."


def normalise_postcode(text: str) -> str:
    """Return the canonical form: ``"e154ht"`` -> ``"E15 4HT"``, ``" e15 "`` -> ``"E15"``.

    Raises InvalidPostcode for anything that is neither a full postcode nor an outcode.
    """
    if not isinstance(text, str) or len(text) > MAX_INPUT_LENGTH or not text.isascii():
        raise InvalidPostcode()
    compact = "".join(text.split()).upper()
    if not compact:
        raise InvalidPostcode(EMPTY_MESSAGE)
    if _OUTCODE.fullmatch(compact):
        return compact
    outward, inward = compact[:-3], compact[-3:]
    if _OUTCODE.fullmatch(outward) and _INCODE.fullmatch(inward):
        return f"{outward} {inward}"
    raise InvalidPostcode()


def is_outcode(postcode: str) -> bool:
    """True for a normalised district such as ``E15``; False for a full postcode."""
    return " " not in postcode


def postcode_district(text: str) -> str:
    """The outcode of a full postcode or outcode: ``"E15 4HT"`` -> ``"E15"``."""
    return normalise_postcode(text).split(" ", 1)[0]


def postcode_area(text: str) -> str:
    """The letters that start a postcode: ``"E15 4HT"`` -> ``"E"``, ``"BT7"`` -> ``"BT"``."""
    match = _AREA.match(normalise_postcode(text))
    assert match is not None  # every valid outcode starts with a letter
    return match.group()


def check_covered(postcode: str) -> None:
    """Raise PostcodeNotCovered for Northern Ireland, Channel Islands and Isle of Man postcodes."""
    area = postcode_area(postcode)
    region = AREAS_NOT_COVERED.get(area)
    if region is not None:
        raise PostcodeNotCovered(region, area, postcode=normalise_postcode(postcode))
