"""Writes for practices and their widgets: each commits and records an audit entry,
except the usage counts, which are anonymous numbers and need no audit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.dialects import postgresql, sqlite

from signpost.accounts.models import User
from signpost.audit.log import record_audit
from signpost.extensions import db
from signpost.geo.postcodes import locate_postcode
from signpost.widget.models import Practice, PracticeAdministrator, WidgetDailyCount
from signpost.widget.queries import uk_today

COUNTED = ("searches", "service_views", "zero_result_searches")


@dataclass(frozen=True)
class WidgetSettings:
    heading: str
    home_postcode: str
    radius_miles: int
    accent_colour: str
    featured_categories: list[str]
    allowed_origins: list[str]


def create_practice(slug: str, name: str, home_postcode: str, ods_code: str | None) -> Practice:
    """A practice with a widget centred on its postcode, framable nowhere until origins are set.

    Raises PostcodeError (with a message) if the postcode cannot be located.
    """
    located = locate_postcode(home_postcode)
    practice = Practice(
        slug=slug,
        name=name.strip(),
        ods_code=ods_code or None,
        home_postcode=located.postcode,
        latitude=located.latitude,
        longitude=located.longitude,
        featured_categories=[],
        allowed_origins=[],
    )
    db.session.add(practice)
    db.session.flush()
    record_audit("practice.create", "practice", practice.id)
    db.session.commit()
    return practice


def update_widget(practice: Practice, settings: WidgetSettings) -> None:
    """Save the widget's settings. Raises PostcodeError for a postcode that cannot be located."""
    if settings.home_postcode != practice.home_postcode:
        located = locate_postcode(settings.home_postcode)
        practice.home_postcode = located.postcode
        practice.latitude, practice.longitude = located.latitude, located.longitude
    changed = [
        name
        for name, value in vars(settings).items()
        if name != "home_postcode" and getattr(practice, name) != value
    ]
    for name in changed:
        setattr(practice, name, getattr(settings, name))
    record_audit("practice.widget_update", "practice", practice.id, {"fields": sorted(changed)})
    db.session.commit()


def add_administrator(practice: Practice, user: User) -> None:
    """Tie a practice administrator account to the practice (idempotent)."""
    if any(link.user_id == user.id for link in practice.administrators):
        return
    practice.administrators.append(PracticeAdministrator(user_id=user.id))
    record_audit("practice.admin_add", "practice", practice.id, {"user_id": user.id})
    db.session.commit()


def remove_administrator(practice: Practice, user_id: int) -> None:
    for link in list(practice.administrators):
        if link.user_id == user_id:
            practice.administrators.remove(link)
            record_audit("practice.admin_remove", "practice", practice.id, {"user_id": user_id})
    db.session.commit()


def record_refused_access(practice: Practice, user: User) -> None:
    """Someone tried a practice that is not theirs: leave a trace for the administrators."""
    record_audit("practice.access_refused", "practice", practice.id, user_id=user.id)
    db.session.commit()


def count_widget_use(practice_id: int, *names: str) -> None:
    """Add one to each named count for today, in one atomic statement.

    ``INSERT ... ON CONFLICT DO UPDATE SET n = n + 1`` (SQLite and PostgreSQL both have it):
    the database does the adding, so workers counting at the same moment never lose one.
    """
    unknown = set(names) - set(COUNTED)
    if unknown or not names:
        raise ValueError(f"Not a widget count: {sorted(unknown) or 'none given'}")
    table = WidgetDailyCount.__table__
    values = {name: int(name in names) for name in COUNTED}
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(practice_id=practice_id, day=uk_today(), **values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.practice_id, table.c.day],
        set_={name: table.c[name] + 1 for name in names},
    )
    db.session.execute(statement)
    db.session.commit()
