"""Outcome measures as data: questions, scales and which direction is "better".

Signpost ships only ONS4 (the ONS harmonised personal well-being questions, free to use).
A scheme that holds a licence for another measure loads its definition with
``flask --app wsgi load-outcome-measure FILE.json``; the code never names a measure's
items. WEMWBS and SWEMWBS are licensed and are deliberately not shipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
BUILT_IN_MEASURES = ("ons4.json",)
STAGES = {"first_contact": "First contact", "follow_up": "Follow-up"}


class InvalidAnswers(ValueError):
    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(errors.values()))


class InvalidMeasureDefinition(ValueError):
    pass


@dataclass(frozen=True)
class Question:
    key: str
    label: str
    text: str
    minimum: int
    maximum: int
    higher_is_better: bool


@dataclass(frozen=True)
class MeasureDefinition:
    code: str
    name: str
    questions: tuple[Question, ...]
    introduction: str = ""
    source: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> MeasureDefinition:
        try:
            questions = tuple(
                Question(
                    key=str(q["key"]),
                    label=str(q["label"]),
                    text=str(q["text"]),
                    minimum=int(q["minimum"]),
                    maximum=int(q["maximum"]),
                    higher_is_better=bool(q["higher_is_better"]),
                )
                for q in data["questions"]
            )
            definition = cls(
                code=str(data["code"]),
                name=str(data["name"]),
                questions=questions,
                introduction=str(data.get("introduction", "")),
                source=str(data.get("source", "")),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InvalidMeasureDefinition(f"Measure definition is incomplete: {error}") from error
        if not questions or len({q.key for q in questions}) != len(questions):
            raise InvalidMeasureDefinition("A measure needs questions with distinct keys.")
        if any(q.minimum >= q.maximum for q in questions):
            raise InvalidMeasureDefinition("Each question's minimum must be below its maximum.")
        return definition

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "introduction": self.introduction,
            "source": self.source,
            "questions": [q.__dict__ for q in self.questions],
        }

    def validate(self, raw: dict[str, object]) -> dict[str, int]:
        """Whole-number answers within each question's scale, or InvalidAnswers by key."""
        answers: dict[str, int] = {}
        errors: dict[str, str] = {}
        for q in self.questions:
            scale = f"from {q.minimum} to {q.maximum}"
            value = raw.get(q.key)
            text = "" if value is None else str(value).strip()
            if not text:
                errors[q.key] = f"Answer '{q.label}' with a number {scale}."
                continue
            try:
                number = int(text)
            except ValueError:
                errors[q.key] = f"'{q.label}' must be a whole number {scale}."
                continue
            if not q.minimum <= number <= q.maximum:
                errors[q.key] = (
                    f"'{q.label}' must be between {q.minimum} and {q.maximum}; {number} is outside."
                )
                continue
            answers[q.key] = number
        if errors:
            raise InvalidAnswers(errors)
        return answers


def load_definition(path: Path) -> MeasureDefinition:
    return MeasureDefinition.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


def built_in_definitions() -> list[MeasureDefinition]:
    return [load_definition(DATA_DIR / name) for name in BUILT_IN_MEASURES]


@dataclass(frozen=True)
class Change:
    question: Question
    first: int
    latest: int

    @property
    def difference(self) -> int:
        return self.latest - self.first

    @property
    def direction(self) -> str:
        """ "better", "worse" or "same", reading the question's direction of better."""
        if self.difference == 0:
            return "same"
        improved = self.difference > 0 if self.question.higher_is_better else self.difference < 0
        return "better" if improved else "worse"


def changes(
    definition: MeasureDefinition, first: dict[str, int], latest: dict[str, int]
) -> list[Change]:
    return [
        Change(q, first[q.key], latest[q.key])
        for q in definition.questions
        if q.key in first and q.key in latest
    ]
