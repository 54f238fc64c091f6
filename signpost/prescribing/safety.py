"""The crisis and safeguarding contacts every link-worker page shows, and what to do
now while a safeguarding or risk flag is open.

From config (signpost.config reads both from the environment):
``SIGNPOST_CRISIS_NUMBERS``, a list of (label, number) pairs or, as the environment gives
it, ``"Label=number;Label=number"``; ``SIGNPOST_SAFEGUARDING_CONTACT``, one line naming
the local safeguarding team and how to reach it. The defaults are national numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

DEFAULT_CRISIS_NUMBERS: tuple[tuple[str, str], ...] = (
    ("Emergency: danger to life", "999"),
    ("NHS 111 (choose the mental health option)", "111"),
    ("Samaritans, any time", "116 123"),
    ("Shout, text", "85258"),
    ("National Domestic Abuse Helpline", "0808 2000 247"),
)
DEFAULT_SAFEGUARDING_CONTACT = (
    "Your local authority safeguarding adults team (ask your administrator to set "
    "SIGNPOST_SAFEGUARDING_CONTACT)"
)


@dataclass(frozen=True)
class FlagGuidance:
    """What to do now, shown on the patient page while a flag of this kind is open."""

    heading: str
    steps: tuple[str, ...]
    show_crisis_numbers: bool = False


# By flag kind (models.FLAG_KINDS). Clinical flags go back to the practice: no callout.
FLAG_GUIDANCE = {
    "safeguarding": FlagGuidance(
        "Safeguarding concern flagged: what to do now",
        (
            "If someone is in immediate danger, call 999.",
            "Do not promise to keep a safeguarding concern secret; explain who you will tell "
            "and why.",
            "Write down what was said, in the person's words, with the date and time.",
            "Tell your supervisor today; the flag has already put this case on their queue.",
            "If your supervisor is not available, contact the local safeguarding team below.",
        ),
    ),
    "risk": FlagGuidance(
        "Risk to self or others flagged: what to do now",
        (
            "If anyone is in immediate danger, or the person has harmed themselves, call 999.",
            "If the person is in a mental health crisis, call NHS 111 and choose the mental "
            "health option, or the local crisis line below, with them if you can.",
            "Do not promise to keep it secret; explain who you will tell and why.",
            "Write down what was said, in the person's words, with the date and time.",
            "Tell your supervisor today; the flag has already put this case on their queue.",
            "If your supervisor is not available, use the crisis and safeguarding contacts below.",
        ),
        show_crisis_numbers=True,
    ),
}


def _parse_numbers(text: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for part in text.split(";"):
        label, _, number = part.partition("=")
        if label.strip() and number.strip():
            pairs.append((label.strip(), number.strip()))
    return tuple(pairs)


def crisis_numbers() -> tuple[tuple[str, str], ...]:
    configured = current_app.config.get("SIGNPOST_CRISIS_NUMBERS")
    if isinstance(configured, str):
        configured = _parse_numbers(configured)
    return tuple(configured or DEFAULT_CRISIS_NUMBERS)


def safeguarding_contact() -> str:
    return current_app.config.get("SIGNPOST_SAFEGUARDING_CONTACT") or DEFAULT_SAFEGUARDING_CONTACT
