"""Searches that found nothing: the raw material for an unmet-need report.

Only the words, the filters and the postcode district are kept, never a full postcode,
so a row cannot point at a patient's home.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from signpost.directory.models import utcnow
from signpost.extensions import db


class UnmetNeedSearch(db.Model):
    __tablename__ = "unmet_need_search"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    searched_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    words: Mapped[str] = mapped_column(Text, default="")
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    postcode_district: Mapped[str | None] = mapped_column(String(4))
    source: Mapped[str] = mapped_column(String(20), default="web")
