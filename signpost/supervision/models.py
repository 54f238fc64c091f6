"""Supervision queue items, notes and decisions. Who supervises whom is
``User.supervisor_id`` (set on the accounts administration page)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signpost.directory.models import new_id, utcnow
from signpost.extensions import db
from signpost.prescribing.models import USER_FK, Flag, Patient

ITEM_SOURCES = {"flag": "Flagged", "discussion": "Asked to discuss"}

# What a supervision conversation can decide, as data.
DECISIONS = {
    "continue": "Continue with the current plan",
    "refer_clinical": "Refer to the GP or clinical team",
    "safeguarding_referral": "Make a safeguarding referral",
    "crisis_referral": "Refer to crisis services now",
    "close_case": "Close the case",
    "discuss_again": "Discuss again at next supervision",
}


class SupervisionItem(db.Model):
    __tablename__ = "supervision_item"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    source: Mapped[str] = mapped_column(String(20))  # ITEM_SOURCES
    flag_id: Mapped[str | None] = mapped_column(ForeignKey("flag.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey(USER_FK), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey(USER_FK))

    patient: Mapped[Patient] = relationship()
    flag: Mapped[Flag | None] = relationship()
    notes: Mapped[list[SupervisionNote]] = relationship(
        back_populates="item", order_by="SupervisionNote.created_at"
    )

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class SupervisionNote(db.Model):
    __tablename__ = "supervision_note"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    item_id: Mapped[str] = mapped_column(ForeignKey("supervision_item.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey(USER_FK))
    notes: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(30))  # DECISIONS
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    item: Mapped[SupervisionItem] = relationship(back_populates="notes")
