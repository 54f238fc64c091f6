"""Whose patient records a signed-in user may see or change.

A link worker sees and changes only their own patients. A supervisor reads (never
changes) the patients of the link workers they supervise, and of link workers who have
no supervisor. Anyone else gets a 404, so a record's existence is not revealed by its id.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from signpost.accounts.models import User
from signpost.accounts.roles import LINK_WORKER, SUPERVISOR
from signpost.extensions import db
from signpost.prescribing.models import Patient, Prescription


def team_member_ids(supervisor_id) -> list:
    """The link workers whose supervisor (``User.supervisor_id``) this is."""
    return list(
        db.session.scalars(
            select(User.id)
            .where(User.supervisor_id == supervisor_id, User.role == LINK_WORKER)
            .order_by(User.email)
        )
    )


def unsupervised_link_worker_ids() -> list:
    """Link workers with no active supervisor: none set, or one disabled or no longer in
    the supervisor role. Their flags and requests would otherwise reach no queue."""
    supervisor = aliased(User)
    return list(
        db.session.scalars(
            select(User.id)
            .outerjoin(supervisor, User.supervisor_id == supervisor.id)
            .where(
                User.role == LINK_WORKER,
                or_(
                    supervisor.id.is_(None),
                    supervisor.role != SUPERVISOR,
                    supervisor.enabled.is_(False),
                ),
            )
            .order_by(User.email)
        )
    )


def supervised_owner_ids(supervisor_id) -> list:
    """Whose cases a supervisor sees: their own team, and every link worker who has no
    supervisor (so every supervisor sees those until an administrator assigns one)."""
    return team_member_ids(supervisor_id) + unsupervised_link_worker_ids()


def visible_owner_ids() -> list:
    """The link workers whose patients the current user may read."""
    if current_user.role == LINK_WORKER:
        return [current_user.id]
    if current_user.role == SUPERVISOR:
        return supervised_owner_ids(current_user.id)
    return []


def can_read(patient: Patient) -> bool:
    return patient.owner_id in visible_owner_ids()


def can_change(patient: Patient) -> bool:
    return current_user.role == LINK_WORKER and patient.owner_id == current_user.id


def readable_patient(patient_id: str) -> Patient:
    patient = db.session.get(Patient, patient_id)
    if patient is None or not can_read(patient):
        abort(404)
    return patient


def changeable_patient(patient_id: str) -> Patient:
    patient = db.session.get(Patient, patient_id)
    if patient is None or not can_change(patient):
        abort(404)
    return patient


def changeable_prescription(prescription_id: str) -> Prescription:
    prescription = db.session.get(Prescription, prescription_id)
    if prescription is None or not can_change(prescription.patient):
        abort(404)
    return prescription
