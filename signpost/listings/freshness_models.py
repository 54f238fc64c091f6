"""Signpost's own record of how alive each listing is, beside the Open Referral row.

Why not columns on ``service``: a referral answer or a reminder is not an edit of the
listing. Writing them here leaves the service's ``version`` (optimistic locking for
editors) and ``last_modified`` (what API consumers sync on) alone, and export never sees
them. A person's check stays in ``Service.assured_date`` (Open Referral's field); a
group answering a referral-feedback e-mail is a *sign of life* recorded here, and
freshness uses whichever is newer (``signpost.listings.freshness.last_verified``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from signpost.directory.models import Organization, Service, new_id, utcnow
from signpost.extensions import db


class ListingFreshness(db.Model):
    __tablename__ = "listing_freshness"

    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), primary_key=True)
    # The organisation answered a referral-feedback e-mail about this service on this day.
    feedback_confirmed_on: Mapped[date | None] = mapped_column(Date)
    # When its editors were last e-mailed a "please check your listing" reminder.
    last_reminded_at: Mapped[datetime | None] = mapped_column(DateTime)

    service: Mapped[Service] = relationship(
        backref=backref("freshness", uselist=False, lazy="selectin", cascade="all, delete-orphan")
    )


FEEDBACK_ANSWERS = {
    "made_contact": "Yes, they made contact",
    "not_yet": "Not yet",
    "not_suitable": "The service was not suitable",
}


class ReferralFeedback(db.Model):
    """One "did the person we referred make contact?" question sent to an organisation.

    Holds no patient data: the prescription's short reference and the referral date are
    all the organisation is told.
    """

    __tablename__ = "referral_feedback"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    prescription_id: Mapped[str] = mapped_column(ForeignKey("prescription.id"), index=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    reference: Mapped[str] = mapped_column(String(16))
    referred_on: Mapped[date] = mapped_column(Date)
    sent_to: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)  # None: the relay refused it
    answer: Mapped[str | None] = mapped_column(String(20))  # FEEDBACK_ANSWERS
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The prescription status the answer moved to; None when it did not (or could not) move.
    moved_to: Mapped[str | None] = mapped_column(String(20))

    service: Mapped[Service] = relationship()
    organization: Mapped[Organization] = relationship()
