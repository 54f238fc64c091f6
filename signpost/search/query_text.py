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

from whoosh.lang.porter import stem

from signpost.search.engine import EngineQuery, SearchEngine, WeightedTerm
from signpost.search.spelling import is_everyday_english, suggest_need_word

MAX_TEXT_CHARACTERS = 500
MAX_WORDS = 16
# Each extra word is another posting list to merge: enough synonyms to bridge the
# vocabulary gap, few enough to keep a search fast on 100,000 listings.
MAX_SYNONYM_WORDS = 10
TYPED_WEIGHT = 1.0
FORMAT_WORD_WEIGHT = 0.4
PHRASE_WORD_WEIGHT = 0.6
PHRASE_MEANING_WEIGHT = 0.8
SYNONYM_WEIGHT = 0.45
# Words for the kind or place of help rather than the need: they count for less beside a need word.
FORMAT_WORDS = frozenset(
    [
        "activities",
        "activity",
        "advice",
        "centre",
        "class",
        "classes",
        "club",
        "clubs",
        "course",
        "courses",
        "drop",
        "group",
        "groups",
        "home",
        "information",
        "meet",
        "meeting",
        "meetings",
        "programme",
        "project",
        "scheme",
        "session",
        "sessions",
        "workshop",
        "workshops",
    ]
)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# "16 year old", "aged 80", "72yo": an age tells the stage of life, not the word "old".
AGE = re.compile(
    r"\b(?:aged?\s+)?(\d{1,3})\s*-?\s*(?:years?|yrs?|y/?o)\b(?:\s*-?\s*old)?|\baged?\s+(\d{1,3})\b",
    re.IGNORECASE,
)
MIN_STEM_FOR_SYNONYMS = 4
YOUNG_ADULT_UP_TO = 25
LATER_LIFE_FROM = 60

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
        # Contractions, typed with or without the apostrophe.
        "cant",
        "cannot",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "wont",
        "ive",
        "hes",
        "shes",
        "theyre",
        "youre",
        # How a need is told, not what it is.
        "feel",
        "feels",
        "feeling",
        "felt",
        "bit",
        "quite",
        "always",
        "lately",
        "recently",
        "ago",
        "still",
        "last",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "patient",
        "client",
        "person",
        "find",
        "somewhere",
        "anything",
        "please",
    ]
)


@lru_cache(maxsize=1)
def synonym_map() -> dict[str, tuple[str, ...]]:
    data = json.loads(files("signpost.search").joinpath("synonyms.json").read_text("utf-8"))
    return {key: tuple(values) for key, values in data.items() if not key.startswith("_")}


@lru_cache(maxsize=1)
def need_words() -> frozenset[str]:
    """Single words the synonym map knows: candidates for correcting a typo."""
    return frozenset(word for key in synonym_map() for word in key.split())


@lru_cache(maxsize=1)
def _single_word_keys_by_stem() -> dict[str, str]:
    keys: dict[str, str] = {}
    for key in synonym_map():
        if " " not in key:
            keys.setdefault(stem(key), key)
    return keys


def synonym_key(word: str) -> str | None:
    """The synonym map's key for ``word``, or for another form of it ("financially" is
    found as "financial"), using the stemmer the index uses so both sides meet."""
    if word in synonym_map():
        return word
    root = stem(word)
    if len(root) < MIN_STEM_FOR_SYNONYMS:  # "using" and "useful" both stem to "us"
        return None
    return _single_word_keys_by_stem().get(root)


def typed_words(text: str) -> list[str]:
    """The meaningful words of ``text``, lower-cased, in order, without repeats."""
    words = []
    for match in WORD.finditer(text[:MAX_TEXT_CHARACTERS].lower()):
        word = match.group().replace("'", "")
        if word not in FILLER_WORDS and len(word) > 1 and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def build_engine_query(text: str, engine: SearchEngine) -> EngineQuery:
    """Weighted terms for ``text``: typed words (corrected if misspelt) plus their synonyms.

    Weights say how sure we are a word names the need: a typed word 1.0; a word of the
    kind of help ("group", "class", "advice") 0.4 when a need word was typed too, so
    "art class" finds art before English classes; the words of a known phrase 0.6 and
    what the phrase means 0.8 ("weight loss" is about healthy weight, not bereavement);
    a synonym of a single word 0.45; the stage of life an age names ("16 year old") 1.0.
    """
    text, life_stages = _ages_as_life_stages(text)
    words = typed_words(text)
    corrections = _correct(words, engine)
    words = [corrections.get(word, word) for word in words]
    synonyms = synonym_map()
    phrases = [key for key in _two_word_keys(words) if key in synonyms]
    in_phrase = {word for phrase in phrases for word in phrase.split()}
    only_format_words = all(word in FORMAT_WORDS for word in words)
    terms = [
        WeightedTerm(word, _typed_weight(word, in_phrase, only_format_words)) for word in words
    ]
    expansions = [(phrase, PHRASE_MEANING_WEIGHT) for phrase in phrases]
    expansions += [(stage, TYPED_WEIGHT) for stage in life_stages]
    # A word inside a known phrase means what the phrase means: "lost mum" is about a
    # death, so "mum" does not also bring in carers.
    expansions += [
        (key, SYNONYM_WEIGHT)
        for key in (synonym_key(word) for word in words if word not in in_phrase)
        if key is not None
    ]
    terms += _synonym_terms(expansions, synonyms, seen=set(words))
    return EngineQuery(terms=terms, corrections=corrections)


def _ages_as_life_stages(text: str) -> tuple[str, list[str]]:
    """The text without its ages, and the synonym keys for the stages of life they name."""
    stages = []
    for match in AGE.finditer(text[:MAX_TEXT_CHARACTERS]):
        age = int(match.group(1) or match.group(2))
        if age <= YOUNG_ADULT_UP_TO:
            stages.append("young")
        elif age >= LATER_LIFE_FROM:
            stages.append("older")
    return AGE.sub(" ", text[:MAX_TEXT_CHARACTERS]), stages


def _typed_weight(word: str, in_phrase: set[str], only_format_words: bool) -> float:
    if word in FORMAT_WORDS and not only_format_words:
        return FORMAT_WORD_WEIGHT
    if word in in_phrase:
        return PHRASE_WORD_WEIGHT
    return TYPED_WEIGHT


def _synonym_terms(
    expansions: list[tuple[str, float]], synonyms: dict, seen: set[str]
) -> list[WeightedTerm]:
    terms = []
    for key, weight in expansions:
        for expansion in synonyms[key]:
            for word in expansion.split():
                if word in seen or word in FILLER_WORDS or len(terms) >= MAX_SYNONYM_WORDS:
                    continue
                seen.add(word)
                terms.append(WeightedTerm(word, weight))
    return terms


def _correct(words: list[str], engine: SearchEngine) -> dict[str, str]:
    """Typed word -> intended word, for the words that look misspelt (``spelling``)."""
    known = engine.known_words(words)
    corrections = {}
    for word in words:
        if word in known or synonym_key(word) or is_everyday_english(word):
            continue
        corrected = engine.correct(word) or suggest_need_word(word, need_words())
        if corrected and corrected != word:
            corrections[word] = corrected
    return corrections


def _two_word_keys(words: list[str]) -> list[str]:
    """Neighbouring pairs of typed words ("bad back", "husband died")."""
    return [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def corrected_text(text: str, corrections: dict[str, str]) -> str | None:
    """The typed text with each corrected word replaced, for "did you mean"."""
    if not corrections:
        return None

    def swap(match: re.Match) -> str:
        return corrections.get(match.group().lower(), match.group())

    return WORD.sub(swap, text[:MAX_TEXT_CHARACTERS])
