"""Keeping the search index in step with the database.

Callers that change published listings call ``index_service`` / ``remove_service`` after
their commit, in the same request. ``rebuild_index_if_stale`` runs at start-up: a missing
index, or one older than the newest listing change, is rebuilt from the database.
"""

from __future__ import annotations

from datetime import UTC

from flask import current_app
from sqlalchemy import func, select, text
from tqdm import tqdm

from signpost.directory.models import Service
from signpost.extensions import db
from signpost.search.documents import published_documents
from signpost.search.engine import SearchEngine, SearchUnavailable
from signpost.search.whoosh_engine import WhooshEngine

_engines: dict[str, WhooshEngine] = {}


def search_engine() -> SearchEngine:
    """The engine for this app's index directory (one per directory per process)."""
    directory = current_app.config["SIGNPOST_INDEX_DIR"]
    if directory not in _engines:
        _engines[directory] = WhooshEngine(directory)
    return _engines[directory]


def index_service(service_id: str) -> None:
    """Add or refresh one service; a service no longer published is removed."""
    documents = list(published_documents([service_id]))
    if documents:
        search_engine().index_documents(documents)
    else:
        search_engine().remove([service_id])


def remove_service(service_id: str) -> None:
    search_engine().remove([service_id])


def rebuild_index(progress: bool = False) -> int:
    """Rebuild the whole index from the database; returns how many services it holds."""
    total = db.session.scalar(
        select(func.count()).select_from(Service).where(Service.status == "active")
    )
    documents = tqdm(
        published_documents(), total=total, unit="service", desc="Indexing", disable=not progress
    )
    return search_engine().rebuild(documents)


def index_is_stale() -> bool:
    engine = search_engine()
    built_at = engine.built_at()
    if built_at is None:
        return True
    newest, published = db.session.execute(
        select(func.max(Service.last_modified), func.count()).where(Service.status == "active")
    ).one()
    try:
        if published != engine.document_count():
            return True
    except SearchUnavailable:  # damaged: rebuilding it is the repair
        return True
    return newest is not None and newest.replace(tzinfo=UTC).timestamp() > built_at


def rebuild_index_if_stale() -> bool:
    if not index_is_stale():
        return False
    rebuild_index()
    return True


def refresh_planner_statistics() -> None:
    """ANALYZE the database: run after bulk loads (``flask reindex`` does).

    Without statistics SQLite guesses that ``service.status = 'active'`` is selective and
    walks every listing through that index, instead of starting from the buildings inside
    the postcode's box (on 100,000 listings, hundreds of milliseconds instead of tens).
    """
    db.session.execute(text("ANALYZE"))
    db.session.commit()
