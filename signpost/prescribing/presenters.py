"""Formatting for pages, the handout and the message back to the GP."""

from __future__ import annotations

from datetime import date

from signpost.directory.models import WEEKDAYS, Service
from signpost.prescribing.models import EPISODE_CLOSE_REASONS, FLAG_KINDS
from signpost.prescribing.nhs_number import format_nhs_number
from signpost.prescribing.outcome_measures import STAGES
from signpost.prescribing.statuses import HOW_OPTIONS, STATUSES, allowed_next
from signpost.prescribing.themes import theme_label

DAY_NAMES = dict(
    zip(
        WEEKDAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
HOW_SHORT = {"signposted": "Signposted", "referred": "Referred", "warm_handover": "Warm handover"}


def long_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def status_label(code: str) -> str:
    return STATUSES[code].label if code in STATUSES else code


def next_statuses(code: str) -> list[tuple[str, str]]:
    return [(c, STATUSES[c].label) for c in allowed_next(code)]


def clock(value) -> str:
    if value is None:
        return ""
    text = value.strftime("%I:%M%p").lstrip("0").lower()
    return text.replace(":00", "")


def opening_times(service: Service) -> list[str]:
    lines = []
    for schedule in sorted(service.schedules, key=lambda s: WEEKDAYS.index(s.byday)):
        day = DAY_NAMES.get(schedule.byday, schedule.byday)
        if schedule.opens_at and schedule.closes_at:
            lines.append(f"{day}, {clock(schedule.opens_at)} to {clock(schedule.closes_at)}")
        else:
            lines.append(day)
        if schedule.description:
            lines[-1] += f" ({schedule.description})"
    return lines


def addresses(service: Service) -> list[str]:
    return [
        ", ".join(
            part
            for part in (loc.name, loc.address_1, loc.address_2, loc.city, loc.postal_code)
            if part
        )
        for loc in service.locations
    ]


def contact_lines(service: Service) -> list[str]:
    lines = [
        f"Phone {p.number}" + (f" ({p.description})" if p.description else "")
        for p in service.phones
    ]
    for contact in service.contacts:
        who = contact.name or contact.title or "Contact"
        bits = [b for b in (contact.phone, contact.email) if b]
        if bits:
            lines.append(f"{who}: {', '.join(bits)}")
    if service.email:
        lines.append(f"Email {service.email}")
    if service.url:
        lines.append(f"Website {service.url}")
    if service.organization and service.organization.phone and not service.phones:
        lines.append(f"Phone {service.organization.phone}")
    return lines


def how_to_join(service: Service) -> str:
    if service.application_process:
        return service.application_process
    return {
        "self": "You can contact them yourself.",
        "professional": "Your link worker will make the referral for you.",
        "either": "You can contact them yourself, or your link worker can refer you.",
    }.get(service.access_route, "")


__all__ = [
    "EPISODE_CLOSE_REASONS",
    "FLAG_KINDS",
    "HOW_OPTIONS",
    "HOW_SHORT",
    "STAGES",
    "addresses",
    "contact_lines",
    "format_nhs_number",
    "how_to_join",
    "long_date",
    "next_statuses",
    "opening_times",
    "status_label",
    "theme_label",
]
