"""Reads for the link worker's workspace. Callers pass in whose records to read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from signpost.extensions import db
from signpost.prescribing.models import (
    Flag,
    OutcomeMeasure,
    OutcomeRecord,
    Patient,
    Prescription,
    PrescriptionStatusChange,
)
from signpost.prescribing.outcome_measures import Change, MeasureDefinition, changes
from signpost.prescribing.statuses import OPEN_STATUSES

LONG_CASE = timedelta(weeks=12)


def patients_of(owner_ids: list, open_only: bool = True) -> list[Patient]:
    query = select(Patient).where(Patient.owner_id.in_(owner_ids))
    if open_only:
        query = query.where(Patient.episode_closed_on.is_(None))
    return list(db.session.scalars(query.order_by(Patient.episode_start, Patient.reference)))


def recently_closed(owner_ids: list, limit: int = 20) -> list[Patient]:
    """Closed episodes, newest first, so a person referred again can be found and re-opened."""
    query = (
        select(Patient)
        .where(Patient.owner_id.in_(owner_ids), Patient.episode_closed_on.is_not(None))
        .order_by(Patient.episode_closed_on.desc(), Patient.reference)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def follow_ups(owner_ids: list, today: date) -> tuple[list[Prescription], list[Prescription]]:
    """Open prescriptions with a follow-up due today, and those overdue (oldest first)."""
    query = (
        select(Prescription)
        .join(Patient)
        .where(
            Patient.owner_id.in_(owner_ids),
            Prescription.status.in_(OPEN_STATUSES),
            Prescription.follow_up_date <= today,
        )
        .order_by(Prescription.follow_up_date, Prescription.created_at)
    )
    rows = list(db.session.scalars(query))
    return (
        [p for p in rows if p.follow_up_date == today],
        [p for p in rows if p.follow_up_date < today],
    )


def recent_activity(owner_ids: list, limit: int = 10) -> list[PrescriptionStatusChange]:
    query = (
        select(PrescriptionStatusChange)
        .join(Prescription)
        .join(Patient)
        .where(Patient.owner_id.in_(owner_ids))
        .order_by(PrescriptionStatusChange.changed_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def active_measure(code: str) -> OutcomeMeasure | None:
    """The active measure with this code. Picked from the (few) active measures, so a
    code typed into the URL never reaches SQL (PostgreSQL refuses NUL with an error)."""
    return next((m for m in active_measures() if m.code == code), None)


def active_measures() -> list[OutcomeMeasure]:
    return list(
        db.session.scalars(
            select(OutcomeMeasure).where(OutcomeMeasure.active).order_by(OutcomeMeasure.name)
        )
    )


@dataclass
class OutcomeSummary:
    measure: OutcomeMeasure
    definition: MeasureDefinition
    records: list[OutcomeRecord]
    changes: list[Change]  # latest follow-up against first contact; empty until both exist

    @property
    def first(self) -> OutcomeRecord | None:
        return next((r for r in self.records if r.stage == "first_contact"), None)

    @property
    def latest_follow_up(self) -> OutcomeRecord | None:
        return next((r for r in reversed(self.records) if r.stage == "follow_up"), None)


def outcome_summaries(patient: Patient) -> list[OutcomeSummary]:
    by_measure: dict[str, list[OutcomeRecord]] = {}
    for record in sorted(patient.outcome_records, key=lambda r: (r.taken_at, r.created_at)):
        by_measure.setdefault(record.measure_id, []).append(record)
    summaries = []
    for records in by_measure.values():
        measure = records[0].measure
        definition = MeasureDefinition.from_dict(measure.definition)
        summary = OutcomeSummary(measure, definition, records, [])
        if summary.first and summary.latest_follow_up:
            summary.changes = changes(
                definition, summary.first.answers, summary.latest_follow_up.answers
            )
        summaries.append(summary)
    return summaries


@dataclass
class CaseloadFigures:
    open_cases: int
    overdue_follow_ups: int
    open_flags: int
    flags_raised: int
    long_open_cases: int  # open longer than 12 weeks


def caseload_figures(owner_id, today: date) -> CaseloadFigures:
    mine = Patient.owner_id == owner_id
    open_case = Patient.episode_closed_on.is_(None)
    count = db.session.scalar
    return CaseloadFigures(
        open_cases=count(select(func.count(Patient.id)).where(mine, open_case)),
        overdue_follow_ups=count(
            select(func.count(Prescription.id))
            .join(Patient)
            .where(
                mine,
                Prescription.status.in_(OPEN_STATUSES),
                Prescription.follow_up_date < today,
            )
        ),
        open_flags=count(
            select(func.count(Flag.id)).join(Patient).where(mine, Flag.resolved_at.is_(None))
        ),
        flags_raised=count(select(func.count(Flag.id)).join(Patient).where(mine)),
        long_open_cases=count(
            select(func.count(Patient.id)).where(
                mine, open_case, Patient.episode_start < today - LONG_CASE
            )
        ),
    )


def prescriptions_for_practice(
    owner_ids: list, practice_code: str, start: date, end: date
) -> list[Prescription]:
    """Prescriptions made between ``start`` and ``end`` (inclusive) at one GP practice."""
    query = (
        select(Prescription)
        .join(Patient)
        .where(
            Patient.owner_id.in_(owner_ids),
            func.upper(Patient.gp_practice_code) == practice_code.upper(),
            Prescription.created_at >= datetime.combine(start, datetime.min.time()),
            Prescription.created_at
            < datetime.combine(end + timedelta(days=1), datetime.min.time()),
        )
        .order_by(Patient.reference, Prescription.created_at)
    )
    return list(db.session.scalars(query))


def declined_at_practice(
    owner_ids: list, practice_code: str, start: date, end: date
) -> list[Patient]:
    """People at one GP practice who declined social prescribing (SNOMED CT
    871711000000103) between ``start`` and ``end`` (inclusive)."""
    query = (
        select(Patient)
        .where(
            Patient.owner_id.in_(owner_ids),
            func.upper(Patient.gp_practice_code) == practice_code.upper(),
            Patient.declined_recorded_on >= start,
            Patient.declined_recorded_on <= end,
        )
        .order_by(Patient.reference)
    )
    return list(db.session.scalars(query))
