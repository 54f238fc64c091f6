"""A link worker's or supervisor's action refused, with the reason in words.

Its own module so that the rooms a prescribing action calls on (supervision) can refuse
too without importing the prescribing actions back.
"""

from __future__ import annotations


class ActionRefused(ValueError):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)
