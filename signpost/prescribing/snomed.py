"""SNOMED CT concepts the GP record needs, kept as data with their preferred terms."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    code: str
    term: str

    def __str__(self) -> str:
        return f"{self.code} |{self.term}|"


# Recorded once per episode, when the person accepts the referral to the link worker.
REFERRAL_TO_SOCIAL_PRESCRIBING = Concept(
    "871731000000106", "Referral to social prescribing service"
)
# Recorded when the person declines social prescribing.
SOCIAL_PRESCRIBING_DECLINED = Concept("871711000000103", "Social prescribing declined")

CONCEPTS = {c.code: c for c in (REFERRAL_TO_SOCIAL_PRESCRIBING, SOCIAL_PRESCRIBING_DECLINED)}
