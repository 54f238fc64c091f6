"""When a listing counts as possibly out of date: one rule for the pages, the search
ranking and the reminders (``SIGNPOST_STALE_AFTER_DAYS``)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app


def stale_after_days() -> int:
    return current_app.config["SIGNPOST_STALE_AFTER_DAYS"]


def stale_before(today: date | None = None) -> date:
    """Listings last verified before this day are possibly out of date."""
    return (today or date.today()) - timedelta(days=stale_after_days())
