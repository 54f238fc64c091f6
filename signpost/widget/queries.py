"""Reads for the widget and the practice administrator's pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from signpost.accounts.models import User
from signpost.accounts.roles import ADMIN, PRACTICE_ADMIN
from signpost.directory.models import TaxonomyTerm
from signpost.directory.queries import need_categories
from signpost.extensions import db
from signpost.widget.models import Practice, PracticeAdministrator, WidgetDailyCount

UK_TIME = ZoneInfo("Europe/London")


def uk_today() -> date:
    """The day as a practice in the UK counts it (midnight is local midnight)."""
    return datetime.now(UK_TIME).date()


def practice_by_slug(slug: str) -> Practice | None:
    return db.session.scalar(select(Practice).where(Practice.slug == slug))


def practices_for(user: User) -> list[Practice]:
    """Every practice for a directory administrator; a practice administrator's own."""
    query = select(Practice).order_by(Practice.name)
    if user.role != ADMIN:
        query = query.join(PracticeAdministrator).where(PracticeAdministrator.user_id == user.id)
    return list(db.session.scalars(query))


def may_administer(user: User, practice: Practice) -> bool:
    if user.role == ADMIN:
        return True
    if user.role != PRACTICE_ADMIN:
        return False
    link = db.session.scalar(
        select(PracticeAdministrator.id).where(
            PracticeAdministrator.user_id == user.id,
            PracticeAdministrator.practice_id == practice.id,
        )
    )
    return link is not None


def administrators_of(practice: Practice) -> list[User]:
    return sorted((link.user for link in practice.administrators), key=lambda user: user.email)


def practice_admin_by_email(email: str) -> User | None:
    return db.session.scalar(
        select(User).where(User.email == email.strip().lower(), User.role == PRACTICE_ADMIN)
    )


def featured_terms(practice: Practice) -> list[TaxonomyTerm]:
    """The need categories the widget offers: the practice's choice, or all of them."""
    terms = need_categories()
    chosen = set(practice.featured_categories or ())
    featured = [term for term in terms if term.code in chosen]
    return featured or terms


@dataclass(frozen=True)
class DayCounts:
    day: date
    searches: int = 0
    service_views: int = 0
    zero_result_searches: int = 0


def daily_counts(practice: Practice, days: int = 30) -> list[DayCounts]:
    """The last ``days`` days, newest first, with a row (of zeros) for every day."""
    today = uk_today()
    first = today - timedelta(days=days - 1)
    rows = db.session.scalars(
        select(WidgetDailyCount).where(
            WidgetDailyCount.practice_id == practice.id, WidgetDailyCount.day >= first
        )
    )
    by_day = {row.day: row for row in rows}
    counts = []
    for offset in range(days):
        day = today - timedelta(days=offset)
        row = by_day.get(day)
        counts.append(
            DayCounts(day, row.searches, row.service_views, row.zero_result_searches)
            if row
            else DayCounts(day)
        )
    return counts


def total_counts(counts: list[DayCounts]) -> DayCounts:
    return DayCounts(
        day=counts[-1].day if counts else uk_today(),
        searches=sum(c.searches for c in counts),
        service_views=sum(c.service_views for c in counts),
        zero_result_searches=sum(c.zero_result_searches for c in counts),
    )
