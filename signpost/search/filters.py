"""The search page's filters, as the engine's ``Filters``.

The engine holds every published service's facts, so filtering happens there with the
words, the distance and the ranking (``signpost.search.facts_table``); this module only
says what each of the page's choices means.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from signpost.directory.models import WEEKDAYS
from signpost.search.contract import SearchRequest
from signpost.search.engine import Filters

UK_TIME = ZoneInfo("Europe/London")
WEEKDAY_CODES = WEEKDAYS


def has_filters(request: SearchRequest) -> bool:
    return engine_filters(request) != Filters()


def engine_filters(request: SearchRequest, now: datetime | None = None) -> Filters:
    """``day="now"`` means open at this moment in the UK, whatever the server's zone."""
    weekday, moment = None, None
    if request.day == "now":
        current = (now or datetime.now(UK_TIME)).astimezone(UK_TIME)
        weekday = current.weekday()
        moment = current.hour * 3600 + current.minute * 60 + current.second
    elif request.day in WEEKDAYS:
        weekday = WEEKDAYS.index(request.day)
    return Filters(
        categories=tuple(request.categories),
        free_only=request.free_only,
        delivery_mode=request.delivery_mode,
        open_weekday=weekday,
        open_at=moment,
        age=request.age,
        language=request.language,
        wheelchair=request.wheelchair,
        self_referral=request.self_referral,
    )
