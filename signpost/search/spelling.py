"""Which typed words are misspellings, and what they were meant to be.

A word is left alone when the directory uses it (in any form: "worries" is known because
listings say "worry"), when the synonym map knows it, or when it is an everyday English
word: "passed away last year" must not become "passed way east hear" just because no
listing says "away". The English word list is pyspellchecker's (word frequencies from
subtitles and books); it holds common words and not typos, so "dept", "lonley" and
"benifits" are still corrected.

Corrections are looked for first among the directory's own words (they can be found),
then among the words people use for needs (the synonym map's keys: "alzeimers" ->
"alzheimers", which the map then turns into "dementia" and "memory"; "lonley" -> "lonely",
as pyspellchecker counts two swapped letters as one slip).
"""

from __future__ import annotations

from functools import lru_cache

from spellchecker import SpellChecker

MIN_CORRECTABLE_LENGTH = 4


@lru_cache(maxsize=1)
def _english() -> SpellChecker:
    return SpellChecker(language="en", distance=1)


def is_everyday_english(word: str) -> bool:
    return word in _english()


@lru_cache(maxsize=4)
def _need_words_speller(need_words: frozenset[str]) -> SpellChecker:
    speller = SpellChecker(language=None, distance=1, case_sensitive=True)
    speller.word_frequency.load_words(sorted(need_words))
    return speller


def suggest_need_word(word: str, need_words: frozenset[str]) -> str | None:
    if len(word) < MIN_CORRECTABLE_LENGTH:
        return None
    speller = _need_words_speller(need_words)
    candidates = speller.candidates(word) or set()
    found = sorted(candidate for candidate in candidates if candidate in need_words)
    return found[0] if found else None
