"""Errors from locating a postcode, each carrying a sentence to show the user.

The messages never repeat the postcode itself: a patient's postcode is personal data,
and these messages can end up in logs. The normalised postcode, where known, is on
``.postcode`` for callers that need it.
"""

from __future__ import annotations


class PostcodeError(ValueError):
    """Base class: ``.message`` is a sentence for the user."""

    default_message = "We could not use that postcode."

    def __init__(self, message: str | None = None, *, postcode: str | None = None) -> None:
        self.message = message or self.default_message
        self.postcode = postcode
        super().__init__(self.message)


class InvalidPostcode(PostcodeError):
    """Not a well-formed UK postcode or postcode district."""

    default_message = "Enter a real UK postcode, like E15 4HT, or the first part of one, like E15."


class PostcodeNotFound(PostcodeError):
    """Well-formed, but not in the postcode data (a new, retired or mistyped postcode)."""

    default_message = "We couldn't find that postcode. Check it and try again."


class PostcodeNotCovered(PostcodeError):
    """A real postcode outside Great Britain, which Code-Point Open does not cover.

    ``.region`` names the place: Northern Ireland, Guernsey, Jersey or the Isle of Man.
    """

    def __init__(self, region: str, area: str, *, postcode: str | None = None) -> None:
        self.region = region
        self.area = area
        message = (
            f"Postcodes starting {area} are in {region}. Signpost's postcode data "
            "(Ordnance Survey Code-Point Open) covers Great Britain only, so we can't "
            f"search from a postcode in {region} yet. Try searching without a postcode."
        )
        super().__init__(message, postcode=postcode)


class PostcodeLookupUnavailable(PostcodeError):
    """The lookup itself failed (table not built, online geocoder down): not the user's fault."""

    default_message = (
        "We can't look up postcodes right now. Try again later, or search without a postcode."
    )
