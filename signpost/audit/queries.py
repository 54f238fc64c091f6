"""Reads of the audit trail."""

from __future__ import annotations

from sqlalchemy import func, select

from signpost.accounts.models import User
from signpost.audit.models import AuditEvent
from signpost.extensions import db


def events_page(
    subject_type: str, subject_id: str, page: int, per_page: int
) -> tuple[list[AuditEvent], bool]:
    """One page of entries, newest first, and whether there are older ones."""
    statement = select(AuditEvent)
    if subject_type:
        statement = statement.where(AuditEvent.subject_type == subject_type)
    if subject_id:
        statement = statement.where(AuditEvent.subject_id == subject_id)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    events = db.session.scalars(
        statement.order_by(AuditEvent.id.desc()).limit(per_page).offset((page - 1) * per_page)
    )
    return list(events), total > page * per_page


def users_by_id() -> dict[int, User]:
    return {u.id: u for u in db.session.scalars(select(User))}
