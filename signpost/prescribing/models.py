"""Patient records, what was prescribed, its history, outcomes and flags.

Kept to the minimum a link worker needs. No name, no address: a pseudonymous reference
is what people see, and the full postcode (optional) is used only to measure distance.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signpost.accounts.models import User
from signpost.directory.models import Service, new_id, utcnow
from signpost.extensions import db

USER_FK = "user_account.id"

# No 0/O, 1/I/L, 5/S: references are read over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXYZ2346789"


def new_reference() -> str:
    """A pseudonymous reference such as ``SP-7KQ3X9``, unique in practice (29^6 ~ 600 million)."""
    return "SP-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


class Patient(db.Model):
    __tablename__ = "patient"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    reference: Mapped[str] = mapped_column(String(12), unique=True, default=new_reference)
    year_of_birth: Mapped[int] = mapped_column(Integer)
    postcode_district: Mapped[str] = mapped_column(String(4))
    # Optional, only to search from: never shown in a URL, title or log.
    full_postcode: Mapped[str | None] = mapped_column(String(8))
    gp_practice_name: Mapped[str] = mapped_column(String(255), default="")
    gp_practice_code: Mapped[str] = mapped_column(String(10), default="", index=True)  # ODS
    nhs_number: Mapped[str | None] = mapped_column(String(10))
    owner_id: Mapped[int] = mapped_column(ForeignKey(USER_FK), index=True)
    episode_start: Mapped[date] = mapped_column(Date, default=date.today)
    episode_closed_on: Mapped[date | None] = mapped_column(Date)
    episode_close_reason: Mapped[str | None] = mapped_column(String(20))  # EPISODE_CLOSE_REASONS
    # SNOMED CT 871731000000106, recorded once per episode when the referral is accepted.
    referral_recorded_on: Mapped[date | None] = mapped_column(Date)
    # SNOMED CT 871711000000103.
    declined_recorded_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    prescriptions: Mapped[list[Prescription]] = relationship(
        back_populates="patient", order_by="Prescription.created_at"
    )
    outcome_records: Mapped[list[OutcomeRecord]] = relationship(
        back_populates="patient", order_by="OutcomeRecord.taken_at"
    )
    flags: Mapped[list[Flag]] = relationship(back_populates="patient", order_by="Flag.created_at")

    @property
    def is_open(self) -> bool:
        return self.episode_closed_on is None

    @property
    def search_postcode(self) -> str:
        return self.full_postcode or self.postcode_district


class Prescription(db.Model):
    """One service prescribed for one person, for one need."""

    __tablename__ = "prescription"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    need_theme: Mapped[str] = mapped_column(String(50))  # themes.NEED_THEMES
    how: Mapped[str] = mapped_column(String(20))  # statuses.HOW_OPTIONS
    status: Mapped[str] = mapped_column(String(20), index=True)  # statuses.STATUSES
    status_changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    follow_up_date: Mapped[date | None] = mapped_column(Date, index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey(USER_FK))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    patient: Mapped[Patient] = relationship(back_populates="prescriptions")
    service: Mapped[Service] = relationship()
    history: Mapped[list[PrescriptionStatusChange]] = relationship(
        back_populates="prescription", order_by="PrescriptionStatusChange.changed_at"
    )


class PrescriptionStatusChange(db.Model):
    __tablename__ = "prescription_status_change"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    prescription_id: Mapped[str] = mapped_column(ForeignKey("prescription.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    # None: the organisation answered a referral-feedback e-mail (no account; see
    # signpost.listings.referral_feedback), so no staff member made the change.
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey(USER_FK))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    prescription: Mapped[Prescription] = relationship(back_populates="history")


class OutcomeMeasure(db.Model):
    """A measure's definition (outcome_measures.MeasureDefinition.to_dict) stored as data."""

    __tablename__ = "outcome_measure"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(50), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    definition: Mapped[dict] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class OutcomeRecord(db.Model):
    __tablename__ = "outcome_record"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    measure_id: Mapped[str] = mapped_column(ForeignKey("outcome_measure.id"))
    answers: Mapped[dict] = mapped_column(JSON)  # {question key: whole number}
    stage: Mapped[str] = mapped_column(String(20))  # outcome_measures.STAGES
    taken_at: Mapped[date] = mapped_column(Date, default=date.today)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey(USER_FK))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    patient: Mapped[Patient] = relationship(back_populates="outcome_records")
    measure: Mapped[OutcomeMeasure] = relationship()


# Why a link worker's episode of support ended; shown to supervisors and in the GP message.
EPISODE_CLOSE_REASONS = {
    "goals_met": "What mattered is in place: goals met",
    "connected": "Connected to services and no longer needs link worker support",
    "disengaged": "Stopped engaging after attempts to contact",
    "declined": "Declined further support",
    "moved": "Moved away or changed GP practice",
    "clinical": "Needs are clinical: handed back to the practice",
    "other": "Other",
}

FLAG_KINDS = {
    "clinical": "Clinical need (outside the link worker role)",
    "safeguarding": "Safeguarding concern",
    "risk": "Risk to self or others",
}


class Flag(db.Model):
    """A need flagged as outside the link worker's role; it goes to supervision."""

    __tablename__ = "flag"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # FLAG_KINDS
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey(USER_FK))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey(USER_FK))

    patient: Mapped[Patient] = relationship(back_populates="flags")

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
