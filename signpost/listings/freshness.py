"""How current a listing is, and the one-click "still accurate" check.

Two dates feed freshness and are never confused with ``last_modified``:

* ``Service.assured_date``: a person (the organisation's editor, or an administrator)
  confirmed the whole listing, here or at the source an import came from;
* ``ListingFreshness.feedback_confirmed_on``: the organisation answered a referral
  feedback e-mail, which proves the group is there, though not that every detail is right.

``last_verified`` is the newer of the two; a listing older than
``SIGNPOST_STALE_AFTER_DAYS`` is "possibly out of date" and ranks lower.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from signpost.accounts.models import User
from signpost.audit.log import record_audit
from signpost.directory.freshness import stale_before
from signpost.directory.models import Service
from signpost.extensions import db
from signpost.listings.freshness_models import ListingFreshness
from signpost.listings.ownership import editable_organization_ids
from signpost.search.outbox import record_changed_services


def newer(*dates: date | None) -> date | None:
    known = [value for value in dates if value is not None]
    return max(known) if known else None


def feedback_date(service: Service) -> date | None:
    return service.freshness.feedback_confirmed_on if service.freshness else None


def last_verified(service: Service) -> date | None:
    """When a person last checked the listing, or the group last showed it is there."""
    return newer(service.assured_date, feedback_date(service))


def is_possibly_out_of_date(service: Service, today: date | None = None) -> bool:
    verified = last_verified(service)
    return verified is None or verified < stale_before(today)


def freshness_row(service_id: str) -> ListingFreshness:
    row = db.session.get(ListingFreshness, service_id)
    if row is None:
        row = ListingFreshness(service_id=service_id)
        db.session.add(row)
    return row


def confirm_still_accurate(service: Service, user: User) -> None:
    """A person says the listing is right as it stands: that is a check (assured_date).

    Nothing in the listing changed, so neither ``last_modified`` nor ``Service.version``
    moves: one UPDATE of ``assured_date`` alone, outside the unit of work (which would bump
    the version and check it) and naming ``last_modified`` as itself (or its ``onupdate``
    would set it). Setting today's date twice is harmless, so a double click or a capacity
    change saved at the same moment never turns a confirmation into a conflict.
    """
    db.session.execute(
        update(Service)
        .where(Service.id == service.id)
        .values(assured_date=date.today(), last_modified=Service.last_modified)
    )
    record_changed_services(db.session, [service.id])  # search ranks by freshness
    record_audit("listing.confirmed", "service", service.id, user_id=user.id)
    db.session.commit()


def record_sign_of_life(service_id: str, on: date | None = None) -> None:
    """The organisation answered about a referral; the caller commits."""
    row = freshness_row(service_id)
    row.feedback_confirmed_on = newer(row.feedback_confirmed_on, on or date.today())


def listings_to_keep_current(user: User, limit: int = 200) -> list[Service]:
    """The services ``user`` may confirm, least recently verified first.

    Editors get their organisations' listings; administrators the whole directory's
    published listings (capped: the page is a worklist, not an export).
    """
    allowed = editable_organization_ids(user)
    statement = select(Service).options(selectinload(Service.organization))
    if allowed is None:
        statement = statement.where(Service.status == "active")
    else:
        statement = statement.where(Service.organization_id.in_(allowed))
    # Ordered in SQL by the person's check (nulls first, portably) so the cap keeps the
    # oldest; then exactly, counting referral feedback too.
    statement = statement.order_by(Service.assured_date.is_not(None), Service.assured_date)
    services = list(db.session.scalars(statement.limit(limit)))
    services.sort(key=lambda s: (last_verified(s) or date.min, s.name.lower()))
    return services
