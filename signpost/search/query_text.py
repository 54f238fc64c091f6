"""Turning what a link worker types into weighted words for the engine.

User text is never parsed as engine syntax: quotes, AND/OR/NOT, ``*`` and ``field:`` are
just characters, so no input can break a search. The steps: keep letters (any script),
drop filler words ("help with", "for", "since"), correct words the directory has never
seen ("dept" -> "debt"), then add the synonyms people use for the same need
("lonely" -> befriending, companionship) at a lower weight than the words typed.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib.resources import files

from signpost.search.engine import EngineQuery, SearchEngine, WeightedTerm

MAX_TEXT_CHARACTERS = 500
MAX_WORDS = 16
TYPED_WEIGHT = 1.0
SYNONYM_WEIGHT = 0.45
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

FILLER_WORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "for",
        "from",
        "get",
        "getting",
        "got",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "him",
        "his",
        "how",
        "i",
        "i'm",
        "im",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "like",
        "looking",
        "lot",
        "lots",
        "me",
        "more",
        "my",
        "need",
        "needs",
        "near",
        "nearby",
        "of",
        "on",
        "or",
        "our",
        "out",
        "over",
        "really",
        "she",
        "since",
        "so",
        "some",
        "someone",
        "something",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "they",
        "this",
        "those",
        "to",
        "too",
        "up",
        "us",
        "very",
        "want",
        "wants",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "who",
        "with",
        "would",
        "you",
        "your",
        "not",
        "help",
        "support",
        "service",
        "services",
        "local",
        "area",
    ]
)


@lru_cache(maxsize=1)
def synonym_map() -> dict[str, tuple[str, ...]]:
    data = json.loads(files("signpost.search").joinpath("synonyms.json").read_text("utf-8"))
    return {key: tuple(values) for key, values in data.items() if not key.startswith("_")}


def typed_words(text: str) -> list[str]:
    """The meaningful words of ``text``, lower-cased, in order, without repeats."""
    words = []
    for match in WORD.finditer(text[:MAX_TEXT_CHARACTERS].lower()):
        word = match.group().replace("'", "")
        if word not in FILLER_WORDS and len(word) > 1 and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def build_engine_query(text: str, engine: SearchEngine) -> EngineQuery:
    """Weighted terms for ``text``: typed words (corrected if unknown) plus their synonyms."""
    words = typed_words(text)
    synonyms = synonym_map()
    known = engine.known_words(words)
    corrections = {}
    for position, word in enumerate(words):
        if word in known or word in synonyms:
            continue
        corrected = engine.correct(word)
        if corrected and corrected != word:
            corrections[word] = corrected
            words[position] = corrected
    terms = [WeightedTerm(word, TYPED_WEIGHT) for word in words]
    seen = set(words)
    for key in _synonym_keys(words, synonyms):
        for expansion in synonyms[key]:
            for word in expansion.split():
                if word not in seen and word not in FILLER_WORDS:
                    seen.add(word)
                    terms.append(WeightedTerm(word, SYNONYM_WEIGHT))
    return EngineQuery(terms=terms, corrections=corrections)


def _synonym_keys(words: list[str], synonyms: dict) -> list[str]:
    """Two-word phrases first ("bad back", "husband died"), then single words."""
    keys = [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    keys += words
    return [key for key in keys if key in synonyms]


def corrected_text(text: str, corrections: dict[str, str]) -> str | None:
    """The typed text with each corrected word replaced, for "did you mean"."""
    if not corrections:
        return None

    def swap(match: re.Match) -> str:
        return corrections.get(match.group().lower(), match.group())

    return WORD.sub(swap, text[:MAX_TEXT_CHARACTERS])
