"""Reminding organisation editors to check listings before they go stale.

A published listing is *due* when it was last verified (a person's check or a referral
answer) more than ``SIGNPOST_STALE_AFTER_DAYS - SIGNPOST_REMINDER_WARNING_DAYS`` days
ago, or never, and its editors were not reminded about it in the last
``SIGNPOST_REMINDER_INTERVAL_DAYS`` days. Each editor gets one e-mail listing all their
due listings; a listing is marked reminded once at least one of its editors got it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from signpost.accounts.models import User
from signpost.audit.log import record_audit
from signpost.directory.models import Service, utcnow
from signpost.extensions import db
from signpost.listings.freshness import freshness_row, last_verified
from signpost.listings.freshness_models import ListingFreshness
from signpost.listings.ownership import editors_of
from signpost.mail.links import external_url
from signpost.mail.sending import MailNotSent, send_mail


@dataclass
class ReminderPlan:
    by_editor: dict[int, list[Service]] = field(default_factory=dict)
    editors: dict[int, User] = field(default_factory=dict)
    without_editor: list[Service] = field(default_factory=list)

    @property
    def listing_count(self) -> int:
        return len({s.id for services in self.by_editor.values() for s in services})


@dataclass
class ReminderOutcome:
    sent: int = 0
    failed: int = 0
    listings: int = 0


def due_listings(now: datetime | None = None) -> list[Service]:
    now = now or utcnow()
    config = current_app.config
    warn_days = config["SIGNPOST_STALE_AFTER_DAYS"] - config["SIGNPOST_REMINDER_WARNING_DAYS"]
    due_before = now.date() - timedelta(days=max(warn_days, 0))
    reminded_before = now - timedelta(days=config["SIGNPOST_REMINDER_INTERVAL_DAYS"])
    statement = (
        select(Service)
        .outerjoin(ListingFreshness, ListingFreshness.service_id == Service.id)
        .where(
            Service.status == "active",
            or_(Service.assured_date.is_(None), Service.assured_date < due_before),
            or_(
                ListingFreshness.feedback_confirmed_on.is_(None),
                ListingFreshness.feedback_confirmed_on < due_before,
            ),
            or_(
                ListingFreshness.last_reminded_at.is_(None),
                ListingFreshness.last_reminded_at < reminded_before,
            ),
        )
        .options(selectinload(Service.organization))
        .order_by(Service.organization_id, Service.name)
    )
    return list(db.session.scalars(statement))


def plan_reminders(services: Iterable[Service]) -> ReminderPlan:
    plan = ReminderPlan()
    by_organization: dict[str, list[Service]] = defaultdict(list)
    for service in services:
        by_organization[service.organization_id].append(service)
    for organization_id, listed in by_organization.items():
        editors = editors_of(organization_id)
        if not editors:
            plan.without_editor.extend(listed)
        for editor in editors:
            plan.editors[editor.id] = editor
            plan.by_editor.setdefault(editor.id, []).extend(listed)
    return plan


def send_reminders(
    plan: ReminderPlan, progress: Callable[[Iterable], Iterable] = iter
) -> ReminderOutcome:
    """E-mail each editor once; record each listing as reminded when a mail got through."""
    outcome = ReminderOutcome()
    reminded: set[str] = set()
    for editor_id in progress(list(plan.by_editor)):
        editor, services = plan.editors[editor_id], plan.by_editor[editor_id]
        try:
            send_mail(editor.email, *reminder_email(editor, services))
        except MailNotSent as error:
            outcome.failed += 1
            current_app.logger.warning("Reminder to editor %s not sent: %s", editor.id, error)
            continue
        outcome.sent += 1
        for service in services:
            if service.id not in reminded:
                _mark_reminded(service)
                reminded.add(service.id)
        db.session.commit()  # a run that stops half-way does not repeat these
    outcome.listings = len(reminded)
    return outcome


def _mark_reminded(service: Service) -> None:
    freshness_row(service.id).last_reminded_at = utcnow()
    record_audit("listing.reminder_sent", "service", service.id)


def reminder_email(editor: User, services: list[Service]) -> tuple[str, str]:
    count = len(services)
    subject = f"Please check your Signpost listing{'s' if count != 1 else ''} ({count} due)"
    stale_days = current_app.config["SIGNPOST_STALE_AFTER_DAYS"]
    lines = [f"- {service.name}: {_checked_words(last_verified(service))}" for service in services]
    body = (
        f"Hello {editor.display_name},\n\n"
        f"Link workers trust listings that someone has checked recently. These listings "
        f"you look after have not been confirmed for a while; after {stale_days} days a "
        f'listing is marked "possibly out of date" and shown lower in searches.\n\n'
        + "\n".join(lines)
        + '\n\nIf a listing is still right, one click on "Still accurate" is enough; '
        "otherwise update it. Your listings:\n"
        f"{external_url('freshness.your_listings')}\n"
    )
    return subject, body


def _checked_words(verified: date | None) -> str:
    return f"last checked {verified:%-d %B %Y}" if verified else "never checked"
