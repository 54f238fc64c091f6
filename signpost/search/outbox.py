"""The search outbox: every change that alters what search shows leaves a job, in the
same database transaction as the change.

Nobody has to remember to re-index: session events notice any insert, update or
delete of a service or of what a search reads about it (its buildings, openings,
categories, languages, the referral answers that keep it fresh, a category's words),
and ``before_commit`` writes one ``SearchIndexJob`` per service. A job is only an
instruction to re-read that service; an index applies jobs in position order and
records the last position it holds (``signpost.search.indexer``).

Positions come from one counter row, raised in the committing transaction: its row lock
(PostgreSQL) or the single writer (SQLite) hands out positions in commit order, so an
index that holds position P has seen every change committed before P + 1, and a rebuild
can note P before it reads the directory and apply whatever comes after.

Code that changes these tables with a bulk UPDATE (which no session event sees) calls
``record_changed_services``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import (
    DDL,
    BigInteger,
    DateTime,
    Integer,
    String,
    event,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from signpost.directory.models import utcnow
from signpost.extensions import db

PENDING = "search_outbox_pending"  # session.info: service ids changed in this transaction
WRITTEN = "search_outbox_written"  # session.info: jobs written, to apply after the commit

CHILD_TABLES = frozenset(
    {"service_at_location", "schedule", "attribute", "language", "listing_freshness"}
)


class SearchIndexJob(db.Model):
    __tablename__ = "search_index_job"

    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    service_id: Mapped[str] = mapped_column(String(36))
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)


class SearchOutboxCounter(db.Model):
    """One row: the last position handed out."""

    __tablename__ = "search_outbox_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, nullable=False)


event.listen(
    SearchOutboxCounter.__table__,
    "after_create",
    DDL("INSERT INTO search_outbox_counter (id, position) VALUES (1, 0)"),
)


def committed_position(session: Session) -> int:
    return session.scalar(select(SearchOutboxCounter.position).where(SearchOutboxCounter.id == 1))


def record_changed_services(session: Session, service_ids: Iterable[str]) -> None:
    """Re-index these services when this transaction commits."""
    session.info.setdefault(PENDING, set()).update(service_ids)


_in_transaction = []  # called with (session, service ids, last position) after jobs are written


def install(session_factory, in_transaction=None) -> None:
    """Watch every session ``session_factory`` makes (``db.session``); once.

    ``in_transaction(session, service_ids, position)``, if given, runs in each committing
    transaction right after its jobs are written, holding the counter's lock: an engine
    whose index lives in the same database updates it there (``postgres_engine``).
    """
    if in_transaction is not None and in_transaction not in _in_transaction:
        _in_transaction.append(in_transaction)
    if not event.contains(session_factory, "after_flush", _note_changes):
        event.listen(session_factory, "after_flush", _note_changes)
        event.listen(session_factory, "before_commit", _write_jobs)
        event.listen(session_factory, "after_soft_rollback", _forget_changes)


def _note_changes(session: Session, _flush_context) -> None:
    changed = session.info.setdefault(PENDING, set())
    connection = session.connection()
    for instance in (*session.new, *session.dirty, *session.deleted):
        table = getattr(type(instance), "__tablename__", None)
        if table == "service":
            changed.update(_values(instance, "id"))
        elif table in CHILD_TABLES:
            changed.update(_values(instance, "service_id"))
        elif table == "location" and _really_changed(session, instance):
            changed.update(_services_at(connection, instance.id))
        elif table == "taxonomy_term" and _really_changed(session, instance):
            changed.update(_services_in_category(connection, instance.id))
    changed.discard(None)


def _values(instance, attribute: str) -> list:
    """The attribute's value now and before this flush, without loading anything (a
    deleted row cannot be reloaded)."""
    history = inspect(instance).attrs[attribute].history
    return [*history.added, *history.unchanged, *history.deleted]


def _really_changed(session: Session, instance) -> bool:
    return instance in session.new or instance in session.deleted or session.is_modified(instance)


def _services_at(connection, location_id: str) -> list[str]:
    links = db.metadata.tables["service_at_location"]
    return list(
        connection.scalars(select(links.c.service_id).where(links.c.location_id == location_id))
    )


def _services_in_category(connection, term_id: str) -> list[str]:
    """Its services, and those of the categories beneath it (they match its code)."""
    attributes = db.metadata.tables["attribute"]
    terms = db.metadata.tables["taxonomy_term"]
    narrower = select(terms.c.id).where(terms.c.parent_id == term_id)
    return list(
        connection.scalars(
            select(attributes.c.service_id).where(
                (attributes.c.taxonomy_term_id == term_id)
                | attributes.c.taxonomy_term_id.in_(narrower)
            )
        )
    )


def _write_jobs(session: Session) -> None:
    session.flush()
    changed = sorted(session.info.pop(PENDING, ()))
    if not changed:
        return
    connection = session.connection()
    counter = SearchOutboxCounter.__table__
    connection.execute(
        update(counter).where(counter.c.id == 1).values(position=counter.c.position + len(changed))
    )
    last = connection.scalar(select(counter.c.position).where(counter.c.id == 1))
    now = utcnow()
    connection.execute(
        insert(SearchIndexJob.__table__),
        [
            {"position": last - len(changed) + number, "service_id": service_id, "recorded_at": now}
            for number, service_id in enumerate(changed, start=1)
        ],
    )
    for callback in _in_transaction:
        callback(session, changed, last)
    session.info[WRITTEN] = True


def _forget_changes(session: Session, previous_transaction) -> None:
    """A rolled-back transaction's changes never happened (a savepoint's may stay: keep
    them, as an extra job only re-reads a service)."""
    if previous_transaction.parent is None:
        session.info.pop(PENDING, None)
        session.info.pop(WRITTEN, None)
