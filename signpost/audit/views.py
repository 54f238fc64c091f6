"""The audit trail, read-only, for supervisors and administrators."""

from __future__ import annotations

from flask import Blueprint, request

from signpost.accounts.access import roles_required
from signpost.accounts.roles import ADMIN, SUPERVISOR
from signpost.audit import queries
from signpost.audit.forms import AuditFilterForm
from signpost.audit.log import record_audit
from signpost.extensions import db
from signpost.htmx import render_page

bp = Blueprint("audit", __name__)
PER_PAGE = 50


@bp.get("/audit")
@roles_required(SUPERVISOR, ADMIN)
def list_events():
    form = AuditFilterForm(request.args)
    if not form.validate():
        return render_page(
            "audit/events.html", form=form, events=[], users={}, page=1, more=False, status=400
        )
    subject_type = (form.subject_type.data or "").strip()
    subject_id = (form.subject_id.data or "").strip()
    page = form.page_number()
    events, more = queries.events_page(subject_type, subject_id, page, PER_PAGE)
    record_audit("audit_viewed", "audit", subject_id or "-")
    db.session.commit()
    return render_page(
        "audit/events.html",
        form=form,
        events=events,
        users=queries.users_by_id(),
        page=page,
        more=more,
        subject_type=subject_type,
        subject_id=subject_id,
    )
