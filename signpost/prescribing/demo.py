"""A few invented patients for the demo link worker, so a development run shows a living
caseload (development only: SIGNPOST_DEMO_ACCOUNTS=1, set by ``make run``)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from signpost.accounts.models import User
from signpost.directory.models import Attribute, Service, TaxonomyTerm
from signpost.extensions import db
from signpost.prescribing import actions
from signpost.prescribing.models import OutcomeMeasure, Patient

DEMO_LINK_WORKER = "linkworker@example.org"

# (year of birth, full postcode, practice, ODS code, [(need, how, status after)], ONS4 baseline)
DEMO_PATIENTS = (
    (1948, "E15 4HT", "Stratford Village Surgery", "F84003",
     [("loneliness", "referred", "accepted"), ("bereavement", "signposted", None)],
     {"life_satisfaction": 3, "worthwhile": 4, "happiness": 3, "anxiety": 7}),
    (1979, "E13 9AX", "Plaistow Health Centre", "F84010",
     [("debt-money", "referred", None), ("welfare-benefits", "warm_handover", "accepted")],
     {"life_satisfaction": 4, "worthwhile": 5, "happiness": 4, "anxiety": 8}),
    (1961, "TR18 2EH", "Penzance Medical Practice", "L82047",
     [("physical-activity", "signposted", None)],
     {"life_satisfaction": 5, "worthwhile": 6, "happiness": 5, "anxiety": 5}),
)  # fmt: skip


def ensure_demo_patients() -> int:
    """Give the demo link worker their invented caseload once; returns patients created."""
    link_worker = db.session.scalar(select(User).where(User.email == DEMO_LINK_WORKER))
    if link_worker is None or _has_patients(link_worker):
        return 0
    actions.ensure_built_in_measures()
    ons4 = db.session.scalar(select(OutcomeMeasure).where(OutcomeMeasure.code == "ons4"))
    for year, postcode, practice, code, needs, baseline in DEMO_PATIENTS:
        details = actions.PatientDetails(year, postcode.split()[0], postcode, practice, code, None)
        patient = actions.create_patient(link_worker.id, details, referral_accepted=True)
        for need, how, later_status in needs:
            _prescribe(patient, need, how, later_status, link_worker.id)
        taken = date.today() - timedelta(days=14)
        actions.record_outcome(patient, ons4, baseline, "first_contact", taken, link_worker.id)
    return len(DEMO_PATIENTS)


def _has_patients(user: User) -> bool:
    return db.session.scalar(select(Patient.id).where(Patient.owner_id == user.id)) is not None


def _prescribe(patient: Patient, need: str, how: str, later_status: str | None, by_id) -> None:
    service = _a_service_for(need, patient.postcode_district[:2])
    if service is None:
        return
    follow_up = date.today() + timedelta(days=7)
    prescription = actions.prescribe_service(patient, service, need, how, by_id, follow_up)
    if later_status:
        actions.change_status(prescription, later_status, by_id)


def _a_service_for(need: str, area_prefix: str) -> Service | None:
    """The first active service in that need category, preferring the patient's area."""
    query = (
        select(Service)
        .join(Attribute, Attribute.service_id == Service.id)
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .where(TaxonomyTerm.code == need, Service.status == "active")
        .order_by(Service.name)
    )
    services = list(db.session.scalars(query))
    local = [s for s in services if any(
        sal.location.postal_code.startswith(area_prefix) for sal in s.service_at_locations
    )]  # fmt: skip
    return (local or services or [None])[0]
