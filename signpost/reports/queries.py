"""Reading problem reports: the open ones a user may see."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from signpost.accounts.models import User
from signpost.accounts.roles import ADMIN
from signpost.extensions import db
from signpost.listings.ownership import editable_organization_ids
from signpost.reports.models import ProblemReport


def open_reports_for(user: User) -> list[ProblemReport]:
    """Administrators see every open report; editors their organisations' reports."""
    statement = (
        select(ProblemReport)
        .where(ProblemReport.resolved_at.is_(None))
        .options(selectinload(ProblemReport.service))
        .order_by(ProblemReport.created_at, ProblemReport.id)
    )
    allowed = editable_organization_ids(user)
    if allowed is not None:
        statement = statement.where(ProblemReport.organization_id.in_(allowed))
    return list(db.session.scalars(statement))


def administrators() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role == ADMIN, User.enabled.is_(True)).order_by(User.email)
        )
    )
