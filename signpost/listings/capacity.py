"""Whether a service is taking referrals, changed by its organisation in one click.

A capacity change publishes at once (no moderation: it is the organisation's own,
time-sensitive word on the one thing link workers most need to know), is kept in the
listing's history like any published change (so a proposal waiting for approval is read
against it and approving that cannot undo it), and counts as a check of the listing.
Saving the same capacity again changes nothing and is not a check. Ranking reads
capacity in SQL at search time (``signpost.search.filters``).
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, SelectField
from wtforms.validators import InputRequired, NumberRange, Optional

from signpost.accounts.models import User
from signpost.audit.log import record_audit
from signpost.directory.models import Service
from signpost.directory.presenters import CAPACITY_LABELS
from signpost.listings import actions
from signpost.listings.snapshots import snapshot_of

MAX_WAITING_WEEKS = 104


class CapacityForm(FlaskForm):
    capacity_status = SelectField(
        "Taking referrals?",
        choices=[SelectChoice(code, label) for code, (label, _css) in CAPACITY_LABELS.items()],
        validators=[InputRequired(message="Choose whether you are taking referrals.")],
    )
    waiting_list_weeks = IntegerField(
        "Waiting time in weeks",
        validators=[
            Optional(),
            NumberRange(1, MAX_WAITING_WEEKS, message="Give the wait as 1 to 104 weeks."),
        ],
    )

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.capacity_status.data == "waiting_list" and self.waiting_list_weeks.data is None:
            self.waiting_list_weeks.errors = [
                "Give the waiting time in weeks (a rough guess is fine)."
            ]
            return False
        return True


def set_capacity(service: Service, status: str, weeks: int | None, user: User) -> bool:
    """Publish the new capacity; returns False (and writes nothing) when nothing changed."""
    weeks = weeks if status == "waiting_list" else None
    if (service.capacity_status, service.waiting_list_weeks) == (status, weeks):
        return False
    record_audit(
        "listing.capacity",
        "service",
        service.id,
        {"from": service.capacity_status, "to": status, "waiting_list_weeks": weeks},
        user_id=user.id,
    )
    snapshot = {**snapshot_of(service), "capacity_status": status, "waiting_list_weeks": weeks}
    label = CAPACITY_LABELS[status][0].lower() + (f", about {weeks} weeks" if weeks else "")
    actions.publish(
        service,
        snapshot,
        user,
        organization_id=service.organization_id,
        note=f"Capacity: {label}",
        confirmed=True,
    )
    return True
