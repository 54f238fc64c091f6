"""``record_audit``: add an entry to the audit trail in the caller's transaction.

The caller commits, so the entry and the change it records land together or not at all.
``detail`` must never hold patient data: ids and field names, not values.
"""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from signpost.audit.models import AuditEvent
from signpost.extensions import db


def record_audit(
    action: str,
    subject_type: str,
    subject_id: str | int,
    detail: dict | None = None,
    *,
    user_id: int | None = None,
) -> AuditEvent:
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    entry = AuditEvent(
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        detail=detail,
        user_id=user_id,
        remote_addr=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    return entry
