"""What a whoosh document holds: a service's words, field by field, and its facts.

Field weights: a word in the service name counts three times a word in its description,
a category word twice. The organisation's name is not indexed: it matched too much
("Citizens Advice") for what it added. No field keeps word positions: user text is never
a phrase query, and positions made the index three times larger. The facts
(``ServiceFacts``) are stored as a tuple of plain values, quick to read back when a
segment's documents are loaded.
"""

from __future__ import annotations

from datetime import date

from whoosh.analysis import LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.fields import ID, STORED, TEXT, Schema

from signpost.search.engine import Building, Opening, ServiceDocument, ServiceFacts
from signpost.search.whoosh_scoring import FieldTerm

FIELD_WEIGHTS = {"name": 3.0, "categories": 2.0, "description": 1.0}
WORD_PATTERN = r"[^\W\d_]+"  # letters only, any script


def build_schema() -> Schema:
    stemmed = StemmingAnalyzer(expression=WORD_PATTERN, cachesize=50000)
    plain = RegexTokenizer(WORD_PATTERN) | LowercaseFilter()
    return Schema(
        id=ID(stored=True, unique=True),
        name=TEXT(analyzer=stemmed, phrase=False),
        description=TEXT(analyzer=stemmed, phrase=False),
        categories=TEXT(analyzer=stemmed, phrase=False),
        # Unstemmed words of names and categories: the vocabulary for spelling correction.
        # (Descriptions would double the postings, and so the build time, for words that
        # are rarely what a link worker meant: the needs are named in these two.)
        words=TEXT(analyzer=plain, phrase=False),
        # ServiceFacts as a tuple; on the outbox document, the outbox position it holds.
        facts=STORED,
    )


def field_terms(searcher, word: str, weight: float) -> list[FieldTerm]:
    return [
        FieldTerm(field, token.text, weight * field_weight)
        for field, field_weight in FIELD_WEIGHTS.items()
        for token in searcher.schema[field].analyzer(word)
    ]


def fields_of(document: ServiceDocument) -> dict:
    return {
        "id": document.id,
        "name": document.name,
        "description": document.description,
        "categories": document.categories,
        "words": f"{document.name} {document.categories}",
        "facts": facts_to_stored(document.facts),
    }


def facts_to_stored(facts: ServiceFacts) -> tuple:
    """Plain values (fast to unpickle when a segment's documents are read)."""
    return (
        facts.name,
        facts.organization_id,
        facts.capacity_status,
        facts.verified_on.toordinal() if facts.verified_on else 0,
        facts.last_modified,
        facts.is_free,
        facts.delivery_modes,
        facts.access_route,
        facts.minimum_age,
        facts.maximum_age,
        facts.category_codes,
        facts.term_ids,
        facts.taxonomy_ids,
        facts.languages,
        tuple((o.weekday, o.opens_at, o.closes_at) for o in facts.openings),
        tuple((b.latitude, b.longitude, b.wheelchair_accessible) for b in facts.buildings),
    )


def facts_from_stored(stored: tuple) -> ServiceFacts:
    (name, organization_id, capacity, verified, modified, free, modes, route) = stored[:8]
    (minimum_age, maximum_age, codes, terms, taxonomies, languages) = stored[8:14]
    openings, buildings = stored[14:]
    return ServiceFacts(
        name=name,
        organization_id=organization_id,
        capacity_status=capacity,
        verified_on=date.fromordinal(verified) if verified else None,
        last_modified=modified,
        is_free=free,
        delivery_modes=modes,
        access_route=route,
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        category_codes=codes,
        term_ids=terms,
        taxonomy_ids=taxonomies,
        languages=languages,
        openings=tuple(Opening(*opening) for opening in openings),
        buildings=tuple(Building(*building) for building in buildings),
    )
