"""Reads for supervisors: the queue and the team's caseload figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from signpost.extensions import db
from signpost.prescribing.models import Patient
from signpost.prescribing.patient_access import supervised_owner_ids, team_member_ids
from signpost.prescribing.queries import CaseloadFigures, caseload_figures
from signpost.supervision.models import SupervisionItem


def queue(supervisor_id, include_closed: bool = False) -> list[SupervisionItem]:
    """Open items for the supervisor's team and for link workers with no supervisor:
    urgent first, then oldest first."""
    query = (
        select(SupervisionItem)
        .join(Patient)
        .where(Patient.owner_id.in_(supervised_owner_ids(supervisor_id)))
    )
    if not include_closed:
        query = query.where(SupervisionItem.closed_at.is_(None))
    query = query.order_by(SupervisionItem.urgent.desc(), SupervisionItem.created_at)
    return list(db.session.scalars(query))


def item_for_supervisor(item_id: str, supervisor_id) -> SupervisionItem | None:
    item = db.session.get(SupervisionItem, item_id)
    if item is None or item.patient.owner_id not in supervised_owner_ids(supervisor_id):
        return None
    return item


def items_for_patient(patient: Patient) -> list[SupervisionItem]:
    return list(
        db.session.scalars(
            select(SupervisionItem)
            .where(SupervisionItem.patient_id == patient.id)
            .order_by(SupervisionItem.created_at.desc())
        )
    )


@dataclass
class TeamRow:
    link_worker: object  # the User
    figures: CaseloadFigures


def team_figures(supervisor_id, today: date) -> list[TeamRow]:
    from signpost.accounts.models import User

    rows = []
    for user_id in team_member_ids(supervisor_id):
        user = db.session.get(User, user_id)
        rows.append(TeamRow(user, caseload_figures(user_id, today)))
    return rows
