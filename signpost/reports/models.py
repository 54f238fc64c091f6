"""Problems reported with a listing, kept until an editor or administrator resolves them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signpost.accounts.models import User
from signpost.directory.models import Service, utcnow
from signpost.extensions import db

PROBLEM_KINDS = {
    "closed": "The service has closed or stopped running",
    "wrong_contact": "The contact details are wrong",
    "wrong_times": "The opening times are wrong",
    "other": "Something else",
}


class ProblemReport(db.Model):
    __tablename__ = "problem_report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    # Copied from the service when reported, so each organisation's editors see theirs.
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # PROBLEM_KINDS
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    service: Mapped[Service] = relationship()
    resolved_by: Mapped[User | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def kind_label(self) -> str:
        return PROBLEM_KINDS.get(self.kind, self.kind)
