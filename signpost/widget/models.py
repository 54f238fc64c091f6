"""GP practices, who administers them, and how often each practice's widget is used.

A practice has exactly one widget, so its settings are columns of ``Practice``. The daily
counts hold numbers only: no words searched, no postcode, nothing about the visitor.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from signpost.accounts.models import User
from signpost.directory.models import utcnow
from signpost.extensions import db
from signpost.widget.validation import (
    check_radius,
    normalise_accent_colour,
    normalise_origins,
    normalise_slug,
)

DEFAULT_ACCENT_COLOUR = "#005eb8"  # NHS blue
DEFAULT_RADIUS_MILES = 5


class Practice(db.Model):
    __tablename__ = "practice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    ods_code: Mapped[str | None] = mapped_column(String(10))
    # The widget's default search centre: where the practice is.
    home_postcode: Mapped[str] = mapped_column(String(8))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    radius_miles: Mapped[int] = mapped_column(Integer, default=DEFAULT_RADIUS_MILES)
    heading: Mapped[str] = mapped_column(String(120), default="Find local support")
    accent_colour: Mapped[str] = mapped_column(String(7), default=DEFAULT_ACCENT_COLOUR)
    featured_categories: Mapped[list] = mapped_column(JSON, default=list)  # taxonomy term codes
    # Websites allowed to frame the widget, each "scheme://host[:port]".
    allowed_origins: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    administrators: Mapped[list[PracticeAdministrator]] = relationship(
        back_populates="practice", cascade="all, delete-orphan"
    )

    @validates("slug")
    def _check_slug(self, _key: str, value: str) -> str:
        return normalise_slug(value)

    @validates("accent_colour")
    def _check_accent_colour(self, _key: str, value: str) -> str:
        return normalise_accent_colour(value)

    @validates("allowed_origins")
    def _check_origins(self, _key: str, value: list[str]) -> list[str]:
        return normalise_origins(list(value))

    @validates("radius_miles")
    def _check_radius(self, _key: str, value: int) -> int:
        return check_radius(int(value))


class PracticeAdministrator(db.Model):
    """A practice administrator account tied to one practice (one person may run several)."""

    __tablename__ = "practice_administrator"
    __table_args__ = (UniqueConstraint("user_id", "practice_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship()
    practice: Mapped[Practice] = relationship(back_populates="administrators")


class WidgetDailyCount(db.Model):
    """How often one practice's widget was used on one day (UK local date).

    Incremented in SQL (``searches = searches + 1``), never read-modify-write, so two
    server processes counting at the same moment cannot lose a count.
    """

    __tablename__ = "widget_daily_count"
    __table_args__ = (UniqueConstraint("practice_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The unique (practice_id, day) index serves every lookup: no index of its own.
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id"))
    day: Mapped[date] = mapped_column(Date)
    searches: Mapped[int] = mapped_column(Integer, default=0)
    service_views: Mapped[int] = mapped_column(Integer, default=0)
    zero_result_searches: Mapped[int] = mapped_column(Integer, default=0)
