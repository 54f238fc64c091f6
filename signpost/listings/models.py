"""Who may edit which organisation's listings, and how each organisation's edits are handled.

Kept apart from the Open Referral tables in ``directory.models``: these are Signpost's own
working data about editors, not part of the published directory, so export never sees them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signpost.accounts.models import User
from signpost.directory.models import Organization, utcnow
from signpost.extensions import db


class OrganizationEditor(db.Model):
    """An organisation editor account tied to one organisation (an editor may have several)."""

    __tablename__ = "organization_editor"
    __table_args__ = (UniqueConstraint("user_id", "organization_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()
    organization: Mapped[Organization] = relationship()


class OrganizationPolicy(db.Model):
    """How Signpost treats one organisation's edits and referrals.

    ``trusted``: its editors' changes publish at once instead of waiting for moderation.
    ``referral_feedback_email``: where "did the person make contact?" e-mails go when the
    organisation has opted in to hearing about referrals; ``None`` means not opted in.
    """

    __tablename__ = "organization_policy"

    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), primary_key=True)
    trusted: Mapped[bool] = mapped_column(Boolean, default=False)
    referral_feedback_email: Mapped[str | None] = mapped_column(String(255))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    organization: Mapped[Organization] = relationship()
