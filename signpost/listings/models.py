"""Who may edit which organisation's listings, and how each organisation's edits are handled.

Kept apart from the Open Referral tables in ``directory.models``: these are Signpost's own
working data about editors, not part of the published directory, so export never sees them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
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


# What happened to a proposed change.
CHANGE_PENDING = "pending"
CHANGE_PUBLISHED = "published"
CHANGE_REJECTED = "rejected"
CHANGE_SUPERSEDED = "superseded"  # the editor saved again before anyone decided


class ListingChange(db.Model):
    """A listing as an editor proposed it, waiting for (or decided by) an administrator.

    ``snapshot`` is the whole proposed listing (``listings.snapshots``); ``base_version`` is
    the ``Service.version`` it was edited from, ``None`` for a new service. The service id
    is kept without a foreign key because a proposed new service has no row until approval.
    """

    __tablename__ = "listing_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(String(36), index=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    snapshot: Mapped[dict] = mapped_column(JSON)
    base_version: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(20), default=CHANGE_PENDING, index=True)
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    proposed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)

    organization: Mapped[Organization] = relationship()
    proposed_by: Mapped[User] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_new_service(self) -> bool:
        return self.base_version is None


class ListingVersion(db.Model):
    """A published state of a listing, kept for history and restore.

    ``number`` counts a service's published versions (1, 2, 3...); ``service_version`` is
    the ``Service.version`` the snapshot corresponds to, for showing what changed since an
    editor opened the form. Version 1 of a listing that existed before its first edit here
    records it as it was (``published_by`` empty).
    """

    __tablename__ = "listing_version"
    __table_args__ = (UniqueConstraint("service_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    service_version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict] = mapped_column(JSON)
    changed_fields: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(String(255), default="")
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    change_id: Mapped[int | None] = mapped_column(ForeignKey("listing_change.id"))

    published_by: Mapped[User | None] = relationship()
    change: Mapped[ListingChange | None] = relationship()  # the proposal it published, if any


CLAIM_PENDING = "pending"
CLAIM_APPROVED = "approved"
CLAIM_REJECTED = "rejected"


class OrganizationClaim(db.Model):
    """A group asking to look after an organisation's listings; an administrator decides."""

    __tablename__ = "organization_claim"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(255))
    role_in_group: Mapped[str] = mapped_column(String(255))
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=CLAIM_PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)

    organization: Mapped[Organization] = relationship()
