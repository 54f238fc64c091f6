"""Words for directory data, so templates show "Mondays, 10am to 4pm" not raw columns."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time

from signpost.directory.models import Schedule, Service

DAY_NAMES = {
    "MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
    "FR": "Friday", "SA": "Saturday", "SU": "Sunday",
}  # fmt: skip
DAY_ORDER = list(DAY_NAMES)
CAPACITY_LABELS = {
    "accepting": ("Accepting referrals", "nhsuk-tag--green"),
    "waiting_list": ("Waiting list", "nhsuk-tag--yellow"),
    "full": ("Full", "nhsuk-tag--red"),
    "paused": ("Paused", "nhsuk-tag--grey"),
}
ACCESS_LABELS = {
    "self": "People can refer themselves",
    "professional": "Referral from a professional needed",
    "either": "Self-referral or professional referral",
}
MODE_NAMES = {
    "offers_in_person": "in person",
    "offers_online": "online",
    "offers_telephone": "by telephone",
    "offers_home_visit": "home visits",
}


def clock(value: time | None) -> str:
    """10:00 -> "10am", 13:30 -> "1:30pm", 12:00 -> "midday"."""
    if value is None:
        return ""
    if value == time(12, 0):
        return "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def opening_times(schedules: list[Schedule]) -> list[str]:
    """One line per distinct time slot: "Mondays and Wednesdays, 10am to 4pm"."""
    slots: dict[tuple, list[str]] = defaultdict(list)
    for entry in sorted(schedules, key=lambda s: (DAY_ORDER.index(s.byday), s.opens_at or time())):
        slots[(entry.opens_at, entry.closes_at)].append(entry.byday)
    lines = []
    for (opens, closes), days in slots.items():
        names = [DAY_NAMES[day] + "s" for day in days]
        joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        lines.append(f"{joined}, {clock(opens)} to {clock(closes)}" if opens else joined)
    return lines


def distance_text(miles: float | None) -> str:
    if miles is None:
        return ""
    if miles < 0.1:
        return "less than 0.1 miles"
    return f"{miles:.1f} miles"


def cost_text(service: Service) -> str:
    if service.is_free:
        return "Free"
    return service.fees_description or "There is a charge"


def capacity(service: Service) -> tuple[str, str]:
    label, css = CAPACITY_LABELS.get(service.capacity_status, (service.capacity_status, ""))
    if service.capacity_status == "waiting_list" and service.waiting_list_weeks:
        label = f"Waiting list: about {service.waiting_list_weeks} weeks"
    return label, css


def delivery_modes(service: Service) -> str:
    modes = [name for column, name in MODE_NAMES.items() if getattr(service, column)]
    return ", ".join(modes).capitalize() if modes else ""


def age_range(service: Service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is None and high is None:
        return "All ages"
    if high is None:
        return f"Aged {low} and over"
    if low is None:
        return f"Aged {high} and under"
    return f"Aged {low} to {high}"


def verified_text(assured: date | None, today: date | None = None) -> str:
    """How long since a person last checked the listing, in words."""
    if assured is None:
        return "Not yet verified"
    days = ((today or date.today()) - assured).days
    if days <= 0:
        return "Verified today"
    if days < 31:
        return f"Verified {days} day{'s' if days != 1 else ''} ago"
    months = days // 30
    if months < 12:
        return f"Verified {months} month{'s' if months != 1 else ''} ago"
    return f"Verified {assured.strftime('%B %Y')}"


def category_names(service: Service) -> list[str]:
    return [attribute.taxonomy_term.name for attribute in service.attributes]


def remote_label(service: Service) -> str:
    """What a service with no building is: "Telephone service", "Online service"."""
    if service.offers_telephone and service.offers_online:
        return "Telephone and online service"
    if service.offers_telephone:
        return "Telephone service"
    if service.offers_online:
        return "Online service"
    return "Area-wide service"
