"""Whose patient records a signed-in user may see or change.

A link worker sees and changes only their own patients. A supervisor reads (never
changes) the patients of the link workers they supervise. Anyone else gets a 404, so a
record's existence is not revealed by its id.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

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


def visible_owner_ids() -> list:
    """The link workers whose patients the current user may read."""
    if current_user.role == LINK_WORKER:
        return [current_user.id]
    if current_user.role == SUPERVISOR:
        return team_member_ids(current_user.id)
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
