"""Where a prescribed service has got to, and which moves are allowed, as data.

The usual path is suggested -> referred -> accepted -> attended -> completed. A person
may decline, not turn up, find the service full, or the link worker may withdraw it.
A service that was full or missed can be tried again (back to referred or accepted).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    code: str
    label: str
    closed: bool  # no further follow-up needed
    tag_colour: str  # NHS.UK tag modifier


STATUSES: dict[str, Status] = {
    s.code: s
    for s in (
        Status("suggested", "Suggested", False, "grey"),
        Status("referred", "Referred", False, "blue"),
        Status("accepted", "Accepted", False, "aqua-green"),
        Status("attended", "Attended", False, "green"),
        Status("completed", "Completed", True, "white"),
        Status("declined", "Declined", True, "orange"),
        Status("did_not_attend", "Did not attend", False, "yellow"),
        Status("service_full", "Service full", False, "purple"),
        Status("withdrawn", "Withdrawn", True, "red"),
    )
}

ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "suggested": ("referred", "accepted", "declined", "withdrawn"),
    "referred": ("accepted", "declined", "service_full", "withdrawn"),
    "accepted": ("attended", "did_not_attend", "withdrawn"),
    "attended": ("completed", "did_not_attend", "withdrawn"),
    "did_not_attend": ("accepted", "referred", "withdrawn"),
    "service_full": ("referred", "withdrawn"),
    "completed": (),
    "declined": (),
    "withdrawn": (),
}

OPEN_STATUSES = tuple(code for code, status in STATUSES.items() if not status.closed)

# How the person was connected to the service.
HOW_OPTIONS: dict[str, str] = {
    "signposted": "Signposted (given the details)",
    "referred": "Referred (link worker made the referral)",
    "warm_handover": "Warm handover (introduced in person)",
}

# A referral the link worker made starts at "referred"; details given start at "suggested".
INITIAL_STATUS = {"signposted": "suggested", "referred": "referred", "warm_handover": "referred"}


class TransitionRefused(ValueError):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def allowed_next(current: str) -> tuple[str, ...]:
    return ALLOWED_TRANSITIONS.get(current, ())


def check_transition(current: str, new: str) -> None:
    """Raise TransitionRefused, in words, unless ``current`` may move to ``new``."""
    if new not in STATUSES:
        raise TransitionRefused("That is not a status Signpost knows.")
    if new in allowed_next(current):
        return
    here, there = STATUSES[current].label, STATUSES[new].label
    options = ", ".join(STATUSES[c].label.lower() for c in allowed_next(current))
    if not options:
        raise TransitionRefused(f"This is {here.lower()}, which is final; it can't change now.")
    raise TransitionRefused(
        f"A service that is {here.lower()} can't move to {there.lower()}. "
        f"It can move to: {options}."
    )
