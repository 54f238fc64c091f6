"""The message back to the GP, shaped on the PRSB Social Prescribing Information
Standard's four groups: the person, their needs and concerns, the support offered
(including the services prescribed) and outcomes. Copy-ready text for one person, and a
CSV per practice and date range for the practice to import or read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from signpost.prescribing.models import FLAG_KINDS, Patient, Prescription
from signpost.prescribing.nhs_number import format_nhs_number
from signpost.prescribing.outcome_measures import Change
from signpost.prescribing.presenters import HOW_SHORT, long_date, status_label
from signpost.prescribing.queries import outcome_summaries
from signpost.prescribing.snomed import REFERRAL_TO_SOCIAL_PRESCRIBING, SOCIAL_PRESCRIBING_DECLINED
from signpost.prescribing.themes import theme_label


def person_lines(patient: Patient) -> list[str]:
    lines = [f"Signpost reference: {patient.reference}"]
    if patient.nhs_number:
        lines.append(f"NHS number: {format_nhs_number(patient.nhs_number)}")
    lines.append(f"Year of birth: {patient.year_of_birth}")
    practice = " ".join(b for b in (patient.gp_practice_name, f"({patient.gp_practice_code})") if b)
    lines.append(f"GP practice: {practice}")
    lines.append(f"Episode started: {long_date(patient.episode_start)}")
    for concept, recorded in (
        (REFERRAL_TO_SOCIAL_PRESCRIBING, patient.referral_recorded_on),
        (SOCIAL_PRESCRIBING_DECLINED, patient.declined_recorded_on),
    ):
        if recorded:
            lines.append(f"SNOMED CT: {concept} on {long_date(recorded)}")
    return lines


def needs_lines(patient: Patient) -> list[str]:
    themes = sorted({theme_label(p.need_theme) for p in patient.prescriptions})
    lines = [f"What matters to the person: {', '.join(themes) or 'not yet recorded'}"]
    open_kinds = sorted({FLAG_KINDS[f.kind] for f in patient.flags if f.is_open})
    if open_kinds:
        lines.append(
            f"Needs outside the link worker role, raised with supervision: {'; '.join(open_kinds)}"
        )
    return lines


def support_lines(patient: Patient) -> list[str]:
    if not patient.prescriptions:
        return ["No services prescribed yet."]
    return [_support_line(p) for p in patient.prescriptions]


def _support_line(p: Prescription) -> str:
    how = HOW_SHORT.get(p.how, p.how).lower()
    return (
        f"- {p.service.name}: {how} on {long_date(p.created_at.date())}"
        f" for {theme_label(p.need_theme).lower()}; now {status_label(p.status).lower()}"
        f" (since {long_date(p.status_changed_at.date())})"
    )


def outcome_lines(patient: Patient) -> list[str]:
    lines = []
    for summary in outcome_summaries(patient):
        first, latest = summary.first, summary.latest_follow_up
        lines.append(f"{summary.definition.name}:")
        for question in summary.definition.questions:
            parts = []
            if first:
                parts.append(f"first contact {first.answers.get(question.key)}")
            if latest:
                parts.append(f"latest follow-up {latest.answers.get(question.key)}")
            change = next((c for c in summary.changes if c.question.key == question.key), None)
            if change:
                parts.append(f"change {_change_text(change)}")
            lines.append(f"- {question.label}: {', '.join(parts)}")
    return lines or ["No outcome measures recorded yet."]


def _change_text(change: Change) -> str:
    return f"{change.difference:+d} ({change.direction})"


def message_text(patient: Patient) -> str:
    groups = (
        ("1. About the person", person_lines(patient)),
        ("2. Needs and concerns", needs_lines(patient)),
        ("3. Support offered, including services prescribed", support_lines(patient)),
        ("4. Outcomes", outcome_lines(patient)),
    )
    blocks = ["Social prescribing update from the link worker"]
    for heading, lines in groups:
        blocks.append("\n".join([heading, *lines]))
    return "\n\n".join(blocks) + "\n"


# One row per service prescribed in the range, and one for each person who declined
# social prescribing in the range with nothing prescribed. By PRSB group: the person,
# needs and concerns, support offered, outcomes.
CSV_COLUMNS = (
    "signpost_reference",
    "nhs_number",
    "year_of_birth",
    "gp_practice_code",
    "episode_start",
    "snomed_code",
    "snomed_term",
    "snomed_recorded_on",
    "needs_and_concerns",
    "need",
    "service",
    "organisation",
    "how",
    "status",
    "prescribed_on",
    "status_since",
    "follow_up_date",
    "outcomes",
)


def _safe_cell(value: object) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; make them plain text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _person_cells(patient: Patient, declined_row: bool) -> tuple:
    concept, recorded = REFERRAL_TO_SOCIAL_PRESCRIBING, patient.referral_recorded_on
    if declined_row or (recorded is None and patient.declined_recorded_on):
        concept, recorded = SOCIAL_PRESCRIBING_DECLINED, patient.declined_recorded_on
    return (
        patient.reference,
        patient.nhs_number or "",
        patient.year_of_birth,
        patient.gp_practice_code,
        patient.episode_start.isoformat(),
        concept.code if recorded else "",
        concept.term if recorded else "",
        recorded.isoformat() if recorded else "",
        "; ".join(sorted({theme_label(p.need_theme) for p in patient.prescriptions})),
    )


def _support_cells(p: Prescription | None) -> tuple:
    if p is None:
        return ("",) * 8
    return (
        theme_label(p.need_theme),
        p.service.name,
        p.service.organization.name if p.service.organization else "",
        HOW_SHORT.get(p.how, p.how),
        status_label(p.status),
        p.created_at.date().isoformat(),
        p.status_changed_at.date().isoformat(),
        p.follow_up_date.isoformat() if p.follow_up_date else "",
    )


def outcomes_cell(patient: Patient) -> str:
    """Each measure's latest follow-up against first contact, question by question."""
    parts = []
    for summary in outcome_summaries(patient):
        if summary.changes:
            changes = "; ".join(f"{c.question.label} {_change_text(c)}" for c in summary.changes)
            parts.append(f"{summary.definition.name}: {changes}")
        elif summary.first:
            parts.append(f"{summary.definition.name}: first contact only, no follow-up yet")
    return " | ".join(parts)


def practice_csv(prescriptions: Iterable[Prescription], declined: Iterable[Patient] = ()) -> str:
    """``declined``: people who declined in the range; those with no prescription row get
    a row of their own (the declined code, no service)."""
    prescriptions = list(prescriptions)
    listed = {p.patient_id for p in prescriptions}
    entries = [(p.patient, p) for p in prescriptions]
    entries += [(patient, None) for patient in declined if patient.id not in listed]
    entries.sort(key=lambda entry: entry[0].reference)  # stable: services stay in date order
    outcomes: dict[str, str] = {}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for patient, prescription in entries:
        if patient.id not in outcomes:
            outcomes[patient.id] = outcomes_cell(patient)
        values = (
            *_person_cells(patient, declined_row=prescription is None),
            *_support_cells(prescription),
            outcomes[patient.id],
        )
        writer.writerow([_safe_cell(v) for v in values])
    return buffer.getvalue()
