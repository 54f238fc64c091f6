"""The audit trail, read-only, for supervisors and administrators."""

from __future__ import annotations

from flask import Blueprint, request
from sqlalchemy import func, select

from signpost.accounts.access import roles_required
from signpost.accounts.models import User
from signpost.accounts.roles import ADMIN, SUPERVISOR
from signpost.audit.log import record_audit
from signpost.audit.models import AuditEvent
from signpost.extensions import db
from signpost.htmx import render_page

bp = Blueprint("audit", __name__)
PER_PAGE = 50


@bp.get("/audit")
@roles_required(SUPERVISOR, ADMIN)
def list_events():
    subject_type = request.args.get("subject_type", "").strip()[:50]
    subject_id = request.args.get("subject_id", "").strip()[:64]
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and int(page) > 0 else 1
    statement = select(AuditEvent)
    if subject_type:
        statement = statement.where(AuditEvent.subject_type == subject_type)
    if subject_id:
        statement = statement.where(AuditEvent.subject_id == subject_id)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    events = list(
        db.session.scalars(
            statement.order_by(AuditEvent.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
        )
    )
    users = {u.id: u for u in db.session.scalars(select(User))}
    record_audit("audit_viewed", "audit", subject_id or "-")
    db.session.commit()
    return render_page(
        "audit/events.html",
        events=events,
        users=users,
        page=page,
        more=total > page * PER_PAGE,
        subject_type=subject_type,
        subject_id=subject_id,
    )
