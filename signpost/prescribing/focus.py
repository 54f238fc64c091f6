"""The patient "in focus": the search page searches from their postcode and each result
offers "Add to <reference>'s plan". Only the patient's opaque id is kept, in the
session; the postcode never goes into a URL.

The web room's search page calls ``focus_patient_origin()`` and, when it returns a
postcode and the searcher typed none, uses it as ``SearchRequest.postcode``.
"""

from __future__ import annotations

from flask import has_request_context, session
from flask_login import current_user

from signpost.accounts.roles import LINK_WORKER
from signpost.extensions import db
from signpost.prescribing.models import Patient

SESSION_KEY = "focus_patient_id"


def set_focus_patient(patient: Patient | None) -> None:
    if patient is None:
        session.pop(SESSION_KEY, None)
    else:
        session[SESSION_KEY] = patient.id


def drop_focus_on(patient: Patient) -> None:
    """Forget the focus if it is this patient (their episode just closed)."""
    if session.get(SESSION_KEY) == patient.id:
        session.pop(SESSION_KEY)


def focus_patient() -> Patient | None:
    """The current link worker's focus patient, if it is still theirs and open."""
    if not has_request_context() or not current_user.is_authenticated:
        return None
    if current_user.role != LINK_WORKER:
        return None
    patient_id = session.get(SESSION_KEY)
    if not patient_id:
        return None
    # The session's identity map makes repeat calls (one per search result) cheap.
    patient = db.session.get(Patient, patient_id)
    if patient and patient.owner_id == current_user.id and patient.is_open:
        return patient
    return None


def focus_patient_origin() -> str | None:
    """The postcode to search from (full if recorded, else the district), or None."""
    patient = focus_patient()
    return patient.search_postcode if patient else None
