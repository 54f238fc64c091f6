"""The search engine interface: what the rest of Signpost needs from a full-text engine.

Callers never import whoosh. A PostgreSQL full-text engine for multi-server deployments
can implement the same four operations and be chosen in ``engine_for_app``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol


class SearchUnavailable(Exception):
    """The index cannot be read (missing, corrupt, unreadable).

    Raised by an engine's reading operations instead of answering "no matches", and left
    to propagate through ``search_services``: callers show "search is unavailable", never
    "nothing found" (which would send a person away believing no help exists).
    """

    # What every caller (web page, widget, API) tells the person, and when to ask again.
    message = "Search is unavailable at the moment, try again in a few minutes."
    retry_after_seconds = 60


@dataclass(frozen=True)
class ServiceDocument:
    """The searchable text of one published service."""

    id: str
    name: str
    description: str
    categories: str  # category names and descriptions
    organization: str


@dataclass(frozen=True)
class WeightedTerm:
    """One word to look for, with how much a match counts (typed words 1.0, synonyms less)."""

    word: str
    weight: float = 1.0


@dataclass
class EngineQuery:
    terms: list[WeightedTerm]
    corrections: dict[str, str] = field(default_factory=dict)  # typed -> corrected word


class SearchEngine(Protocol):
    """Reading operations raise ``SearchUnavailable`` when the index cannot be read."""

    def index_documents(self, documents: Iterable[ServiceDocument]) -> None: ...

    def remove(self, service_ids: Iterable[str]) -> None: ...

    def rebuild(self, documents: Iterable[ServiceDocument]) -> int: ...

    def search(
        self, query: EngineQuery, allowed_ids: set[str] | None, limit: int
    ) -> list[tuple[str, float]]:
        """Matching service ids with raw text scores, best first."""
        ...

    def known_words(self, words: list[str]) -> set[str]:
        """Which of these (unstemmed) words occur anywhere in the index."""
        ...

    def correct(self, word: str) -> str | None:
        """The closest indexed word to a misspelt one, or None."""
        ...

    def document_count(self) -> int: ...

    def version(self) -> object:
        """A value that changes with every change to the index (None if there is none)."""
        ...

    def built_at(self) -> float | None:
        """When the index last changed (epoch seconds), or None if there is no index."""
        ...
