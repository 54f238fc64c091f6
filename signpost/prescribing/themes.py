"""The "what matters to you" themes a prescription answers, as data.

Codes match the directory's need categories (TaxonomyTerm.code) where one exists, so a
theme chosen on a search result can be the category the result was found under.
"""

from __future__ import annotations

NEED_THEMES: dict[str, str] = {
    "loneliness": "Loneliness and isolation",
    "bereavement": "Bereavement",
    "mental-wellbeing": "Mental wellbeing",
    "physical-activity": "Physical activity",
    "arts-music": "Arts, music and creativity",
    "gardening-nature": "Gardening and nature",
    "debt-money": "Debt and money",
    "welfare-benefits": "Welfare benefits",
    "housing": "Housing",
    "food": "Food",
    "employment-volunteering": "Work and volunteering",
    "carers": "Caring for someone",
    "long-term-conditions": "Living with a long-term condition",
    "dementia": "Dementia",
    "substance-misuse": "Alcohol and drugs",
    "domestic-abuse": "Domestic abuse",
    "digital-skills": "Digital skills",
    "english-classes": "Learning English",
    "older-people": "Later life",
    "young-adults": "Young adults",
    "other": "Something else",
}


def theme_label(code: str | None) -> str:
    return NEED_THEMES.get(code or "", "Not recorded")
