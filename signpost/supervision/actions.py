"""Writes for supervision: queue items, notes and decisions. Each is audited."""

from __future__ import annotations

from signpost.audit.log import record_audit
from signpost.directory.models import utcnow
from signpost.extensions import db
from signpost.prescribing.models import Flag, Patient
from signpost.prescribing.refusals import ActionRefused
from signpost.supervision.models import DECISIONS, SupervisionItem, SupervisionNote


def queue_item(
    patient: Patient,
    source: str,
    reason: str,
    by_id,
    *,
    flag: Flag | None = None,
    urgent: bool = False,
) -> SupervisionItem:
    """Adds to the session; the caller commits with its own change."""
    item = SupervisionItem(
        patient=patient, source=source, reason=reason, raised_by_id=by_id, flag=flag, urgent=urgent
    )
    db.session.add(item)
    db.session.flush()
    return item


def ask_to_discuss(patient: Patient, reason: str, by_id) -> SupervisionItem:
    reason = (reason or "").strip()
    if not reason:
        raise ActionRefused("Say briefly what you would like to discuss.")
    item = queue_item(patient, "discussion", reason, by_id)
    record_audit("supervision.ask", "patient", patient.id, {"item_id": item.id})
    db.session.commit()
    return item


def add_note(item: SupervisionItem, notes: str, decision: str, close: bool, by_id) -> None:
    notes = (notes or "").strip()
    if not notes:
        raise ActionRefused("Write a note of what was discussed.")
    if decision not in DECISIONS:
        raise ActionRefused("Choose the decision made.")
    if not item.is_open:
        raise ActionRefused("This item is already closed.")
    db.session.add(SupervisionNote(item=item, author_id=by_id, notes=notes, decision=decision))
    if close:
        item.closed_at = utcnow()
        item.closed_by_id = by_id
        if item.flag is not None and item.flag.resolved_at is None:
            item.flag.resolved_at = item.closed_at
            item.flag.resolved_by_id = by_id
    record_audit(
        "supervision.note",
        "patient",
        item.patient_id,
        {"item_id": item.id, "decision": decision, "closed": close},
    )
    db.session.commit()
