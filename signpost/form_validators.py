"""Validators that forms across the rooms share."""

from __future__ import annotations

from wtforms.validators import Regexp

NUL_MESSAGE = "Remove the unusual characters from this answer."


def no_nul_characters(message: str = NUL_MESSAGE) -> Regexp:
    """PostgreSQL text cannot hold the NUL character (``\\x00``): refuse it in the form,
    with a message beside the field, rather than with a 500 from the database."""
    return Regexp(r"\A[^\x00]*\Z", message=message)
