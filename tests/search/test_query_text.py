"""How typed text becomes weighted words: phrases, kinds of help, ages, the synonym data."""

from __future__ import annotations

import json
from importlib.resources import files

import pytest

from signpost.search.query_text import (
    FORMAT_WORD_WEIGHT,
    PHRASE_MEANING_WEIGHT,
    SYNONYM_WEIGHT,
    TYPED_WEIGHT,
    build_engine_query,
    synonym_key,
    synonym_map,
    typed_words,
)
from signpost.search.spelling import is_everyday_english, suggest_need_word


class VocabularyEngine:
    """An engine that knows a fixed list of words and corrects nothing itself."""

    def __init__(self, words=()):
        self.words = set(words)

    def known_words(self, words):
        return {word for word in words if word in self.words}

    def correct(self, word):
        return None


def weights(text: str, engine=None) -> dict[str, float]:
    query = build_engine_query(text, engine or VocabularyEngine())
    return {term.word: term.weight for term in query.terms}


def test_a_kind_of_help_counts_less_than_the_need():
    found = weights("art class")
    assert found["art"] == TYPED_WEIGHT
    assert found["class"] == FORMAT_WORD_WEIGHT


def test_kinds_of_help_alone_keep_their_weight():
    assert weights("groups")["groups"] == TYPED_WEIGHT


def test_a_phrase_means_more_than_its_words():
    found = weights("weight loss")
    assert found["healthy"] == PHRASE_MEANING_WEIGHT
    assert found["loss"] < TYPED_WEIGHT
    assert "bereavement" not in found


def test_a_word_inside_a_phrase_does_not_bring_its_own_synonyms():
    found = weights("lost my mum")
    assert "bereavement" in found
    assert "carers" not in found


def test_single_word_synonyms_are_weaker_than_typed_words():
    found = weights("lonely")
    assert found["lonely"] == TYPED_WEIGHT
    assert found["befriending"] == SYNONYM_WEIGHT


@pytest.mark.parametrize(
    ("text", "stage_word", "absent"),
    [
        ("16 year old feeling isolated", "youth", "older"),
        ("aged 82, lonely", "later", "youth"),
        ("72yo widower", "later", "youth"),
    ],
)
def test_an_age_names_a_stage_of_life(text, stage_word, absent):
    found = weights(text)
    assert stage_word in found
    assert absent not in found
    assert "old" not in found


def test_everyday_english_is_never_corrected():
    engine = VocabularyEngine()
    engine.correct = lambda word: "debt"  # would turn every unknown word into "debt"
    query = build_engine_query("passed away last year here", engine)
    assert query.corrections == {}


def test_a_misspelt_need_is_corrected_even_when_no_listing_uses_it():
    query = build_engine_query("lonley", VocabularyEngine())
    assert query.corrections == {"lonley": "lonely"}
    assert is_everyday_english("away") and not is_everyday_english("dept")
    assert suggest_need_word("alzeimers", frozenset(["alzheimers", "lonely"])) == "alzheimers"


def test_every_synonym_key_can_match_what_people_type():
    """A key must be one or two words left after filler words go, or it never matches."""
    raw = json.loads(files("signpost.search").joinpath("synonyms.json").read_text("utf-8"))
    for key in (key for key in raw if not key.startswith("_")):
        assert " ".join(typed_words(key)) == key, key
        assert len(key.split()) <= 2, key
        assert raw[key], key
    assert len(synonym_map()) > 300


def test_another_form_of_a_known_word_finds_its_synonyms():
    assert synonym_key("volunteered") == "volunteer"
    assert synonym_key("gardens") == "garden"
    assert synonym_key("using") is None  # "using" and "useful" share only the stem "us"
    assert "debt" in weights("struggling financially")
