"""Writes for the link worker's workspace: each commits and records an audit entry.

Audit details carry ids, field names and status codes only, never the values a person
told us (no postcode, NHS number, need or reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from signpost.audit.log import record_audit
from signpost.directory.models import Service, utcnow
from signpost.extensions import db
from signpost.prescribing.models import (
    EPISODE_CLOSE_REASONS,
    FLAG_KINDS,
    Flag,
    OutcomeMeasure,
    OutcomeRecord,
    Patient,
    Prescription,
    PrescriptionStatusChange,
)
from signpost.prescribing.outcome_measures import (
    STAGES,
    MeasureDefinition,
    built_in_definitions,
)
from signpost.prescribing.refusals import ActionRefused
from signpost.prescribing.signals import referral_recorded
from signpost.prescribing.statuses import (
    HOW_OPTIONS,
    INITIAL_STATUS,
    check_transition,
)
from signpost.prescribing.themes import NEED_THEMES
from signpost.supervision.actions import queue_item

PATIENT_FIELDS = (
    "year_of_birth",
    "postcode_district",
    "full_postcode",
    "gp_practice_name",
    "gp_practice_code",
    "nhs_number",
)


@dataclass(frozen=True)
class PatientDetails:
    year_of_birth: int
    postcode_district: str
    full_postcode: str | None
    gp_practice_name: str
    gp_practice_code: str
    nhs_number: str | None


def record_view(patient: Patient, what: str = "patient") -> None:
    """Every read of a patient record leaves a row: who, when, from where, which page."""
    record_audit(f"{what}.view", "patient", patient.id)
    db.session.commit()


def create_patient(owner_id, details: PatientDetails, referral_accepted: bool) -> Patient:
    patient = Patient(owner_id=owner_id, **details.__dict__)
    if referral_accepted:
        patient.referral_recorded_on = date.today()
    db.session.add(patient)
    db.session.flush()
    record_audit("patient.create", "patient", patient.id, {"referral_recorded": referral_accepted})
    db.session.commit()
    return patient


def update_patient(patient: Patient, details: PatientDetails) -> list[str]:
    changed = [f for f in PATIENT_FIELDS if getattr(patient, f) != getattr(details, f)]
    for field in changed:
        setattr(patient, field, getattr(details, field))
    record_audit("patient.update", "patient", patient.id, {"fields": changed})
    db.session.commit()
    return changed


def record_referral_accepted(patient: Patient) -> None:
    """SNOMED 871731000000106, once per episode."""
    if patient.referral_recorded_on is not None:
        raise ActionRefused(
            "The referral to social prescribing is already recorded for this episode "
            f"(on {patient.referral_recorded_on:%d %B %Y})."
        )
    patient.referral_recorded_on = date.today()
    record_audit("patient.referral_recorded", "patient", patient.id)
    db.session.commit()


def record_declined(patient: Patient) -> None:
    """SNOMED 871711000000103."""
    if patient.declined_recorded_on is not None:
        raise ActionRefused("Declining social prescribing is already recorded for this episode.")
    patient.declined_recorded_on = date.today()
    record_audit("patient.declined_recorded", "patient", patient.id)
    db.session.commit()


def close_episode(patient: Patient, reason: str) -> None:
    """End this episode of support. Prescriptions keep their statuses: a person often goes
    on attending a group after the link worker's support ends.

    Refused while a safeguarding flag is open: that needs a supervisor's decision first.
    """
    if not patient.is_open:
        raise ActionRefused("This episode is already closed.")
    if reason not in EPISODE_CLOSE_REASONS:
        raise ActionRefused("Choose why the episode is ending.")
    if any(flag.is_open and flag.kind == "safeguarding" for flag in patient.flags):
        raise ActionRefused(
            "A safeguarding flag is still open. Discuss it with your supervisor and have it "
            "resolved before closing the episode."
        )
    patient.episode_closed_on = date.today()
    patient.episode_close_reason = reason
    record_audit("patient.episode_closed", "patient", patient.id, {"reason": reason})
    db.session.commit()


def start_new_episode(patient: Patient) -> None:
    """Re-open support for someone referred again: a new episode, so the SNOMED referral
    and declined codes can be recorded afresh."""
    if patient.is_open:
        raise ActionRefused("This person already has an open episode.")
    patient.episode_start = date.today()
    patient.episode_closed_on = None
    patient.episode_close_reason = None
    patient.referral_recorded_on = None
    patient.declined_recorded_on = None
    record_audit("patient.episode_started", "patient", patient.id)
    db.session.commit()


def set_focus(patient: Patient) -> None:
    record_audit("patient.focus", "patient", patient.id)
    db.session.commit()


def prescribe_service(
    patient: Patient,
    service: Service,
    need_theme: str,
    how: str,
    by_id,
    follow_up_date: date | None = None,
) -> Prescription:
    if not patient.is_open:
        raise ActionRefused("This person's episode is closed. Start a new episode first.")
    if need_theme not in NEED_THEMES:
        raise ActionRefused("Choose the need this service answers.")
    if how not in HOW_OPTIONS:
        raise ActionRefused("Choose how the person was connected to the service.")
    if service.status != "active":
        raise ActionRefused("That service is not listed at the moment, so it can't be prescribed.")
    status = INITIAL_STATUS[how]
    prescription = Prescription(
        patient=patient,
        service=service,
        need_theme=need_theme,
        how=how,
        status=status,
        follow_up_date=follow_up_date,
        created_by_id=by_id,
    )
    db.session.add(prescription)
    db.session.add(
        PrescriptionStatusChange(
            prescription=prescription, from_status=None, to_status=status, changed_by_id=by_id
        )
    )
    db.session.flush()
    record_audit(
        "prescription.create",
        "patient",
        patient.id,
        {"prescription_id": prescription.id, "service_id": service.id, "status": status},
    )
    db.session.commit()
    _after_referral(prescription)
    return prescription


def change_status(prescription: Prescription, new_status: str, by_id) -> None:
    """Move along the allowed transitions, or raise TransitionRefused in words."""
    old = prescription.status
    check_transition(old, new_status)
    now = utcnow()
    prescription.status = new_status
    prescription.status_changed_at = now
    db.session.add(
        PrescriptionStatusChange(
            prescription=prescription,
            from_status=old,
            to_status=new_status,
            changed_by_id=by_id,
            changed_at=now,
        )
    )
    record_audit(
        "prescription.status",
        "patient",
        prescription.patient_id,
        {"prescription_id": prescription.id, "from": old, "to": new_status},
    )
    db.session.commit()
    _after_referral(prescription)


def _after_referral(prescription: Prescription) -> None:
    """A referral just recorded: tell whoever listens (listings asks the organisation,
    if it opted in, whether the person made contact)."""
    if prescription.status == "referred":
        referral_recorded.send(prescription)


def set_follow_up(prescription: Prescription, follow_up: date | None) -> None:
    prescription.follow_up_date = follow_up
    record_audit(
        "prescription.follow_up",
        "patient",
        prescription.patient_id,
        {"prescription_id": prescription.id},
    )
    db.session.commit()


def ensure_built_in_measures() -> None:
    """Load the shipped measures (ONS4) into the database the first time they are needed."""
    for definition in built_in_definitions():
        if db.session.query(OutcomeMeasure).filter_by(code=definition.code).first() is None:
            db.session.add(
                OutcomeMeasure(
                    code=definition.code, name=definition.name, definition=definition.to_dict()
                )
            )
    db.session.commit()


def save_measure(definition: MeasureDefinition) -> OutcomeMeasure:
    measure = db.session.query(OutcomeMeasure).filter_by(code=definition.code).first()
    if measure is None:
        measure = OutcomeMeasure(code=definition.code)
        db.session.add(measure)
    measure.name = definition.name
    measure.definition = definition.to_dict()
    db.session.commit()
    return measure


def record_outcome(
    patient: Patient,
    measure: OutcomeMeasure,
    raw_answers: dict,
    stage: str,
    taken_at: date,
    by_id,
) -> OutcomeRecord:
    """Raises InvalidAnswers (by question) for answers outside the measure's scales."""
    if stage not in STAGES:
        raise ActionRefused("Choose whether this is the first contact or a follow-up.")
    if taken_at > date.today():
        raise ActionRefused("The date the answers were given can't be in the future.")
    answers = MeasureDefinition.from_dict(measure.definition).validate(raw_answers)
    record = OutcomeRecord(
        patient=patient,
        measure=measure,
        answers=answers,
        stage=stage,
        taken_at=taken_at,
        recorded_by_id=by_id,
    )
    db.session.add(record)
    db.session.flush()
    record_audit("outcome.create", "patient", patient.id, {"measure": measure.code, "stage": stage})
    db.session.commit()
    return record


def raise_flag(patient: Patient, kind: str, reason: str, by_id) -> Flag:
    """A need outside the role. Every flag goes straight onto the supervisor's queue."""
    reason = (reason or "").strip()
    if kind not in FLAG_KINDS:
        raise ActionRefused("Choose what kind of need this is.")
    if kind == "safeguarding" and len(reason) < 5:
        raise ActionRefused("A safeguarding flag needs a short reason: what was said or seen.")
    flag = Flag(patient=patient, kind=kind, reason=reason, created_by_id=by_id)
    db.session.add(flag)
    db.session.flush()
    queue_item(patient, "flag", reason, by_id, flag=flag, urgent=kind != "clinical")
    record_audit("flag.create", "patient", patient.id, {"flag_id": flag.id, "kind": kind})
    db.session.commit()
    return flag


def resolve_flag(flag: Flag, by_id) -> None:
    if flag.resolved_at is not None:
        raise ActionRefused("That flag is already resolved.")
    flag.resolved_at = datetime.now().replace(microsecond=0)
    flag.resolved_by_id = by_id
    record_audit("flag.resolve", "patient", flag.patient_id, {"flag_id": flag.id})
    db.session.commit()
