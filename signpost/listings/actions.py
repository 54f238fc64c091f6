"""Changing listings: save (publish or propose), approve, reject, restore, pause, retire.

Only a published change touches the directory tables and the search index; a proposal is
a row in ``listing_change`` until an administrator approves it. Each write records an
audit entry with ids and field names (never the listing's words) and commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from signpost.accounts.models import User
from signpost.accounts.roles import ADMIN
from signpost.audit.log import record_audit
from signpost.directory.models import Service, new_id, utcnow
from signpost.extensions import db
from signpost.listings import proposals, queries
from signpost.listings.models import (
    CHANGE_PENDING,
    CHANGE_PUBLISHED,
    CHANGE_REJECTED,
    CHANGE_SUPERSEDED,
    ListingChange,
    ListingVersion,
    OrganizationPolicy,
)
from signpost.listings.snapshots import (
    FIELD_LABELS,
    FieldChange,
    Snapshot,
    apply_snapshot,
    changed_fields,
    compare,
    merge,
    snapshot_of,
)

PAUSED, RETIRED, ACTIVE = "temporarily closed", "defunct", "active"


class ActionRefused(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EditConflict(Exception):
    """Someone else changed the listing after this editor opened the form.

    ``changes`` is what they changed, and ``merged`` this editor's typed listing with the
    fields only they changed brought up to date. When the listing's state at the time the
    form opened is unknown, ``changes`` is where it now differs from what was typed.
    """

    def __init__(self, changes: list[FieldChange], merged: Snapshot | None = None) -> None:
        super().__init__("The listing changed while you were editing it.")
        self.changes = changes
        self.merged = merged  # what the form should show again; None: just what was typed

    @property
    def exact(self) -> bool:
        return self.merged is not None


@dataclass(frozen=True)
class SaveOutcome:
    result: str  # "published", "proposed" or "unchanged"
    version: ListingVersion | None = None
    change: ListingChange | None = None


def publishes_at_once(user: User, organization_id: str) -> bool:
    """Administrators' and trusted organisations' edits skip moderation."""
    if user.role == ADMIN:
        return True
    policy = db.session.get(OrganizationPolicy, organization_id)
    return bool(policy and policy.trusted)


def working_snapshot(service: Service) -> tuple[Snapshot, ListingChange | None]:
    """What an editor starts from: a change still waiting for approval (brought up to date
    with what was published since it was proposed), else the listing."""
    pending = queries.pending_change_for(service.id)
    return proposals.proposal_as_of(service, pending, service.version), pending


def check_not_stale(
    service: Service, base_version: int | None, pending_id: int | None, typed: Snapshot
) -> None:
    """Raise EditConflict if what the form started from has different words now.

    Compared by content, not by version number alone: a newer version whose words are
    the same as when the form was opened is no conflict.
    """
    pending = queries.pending_change_for(service.id)
    if service.version == base_version and (pending.id if pending else None) == pending_id:
        return
    now = proposals.proposal_as_of(service, pending, service.version)
    before = _snapshot_when_opened(service, base_version, pending_id)
    if before is None:
        if compare(typed, now):
            raise EditConflict(compare(typed, now))
        return
    if compare(before, now):
        raise EditConflict(compare(before, now), merge(before, now, typed))


def _snapshot_when_opened(service, base_version, pending_id) -> Snapshot | None:
    if base_version is None:
        return None
    change = db.session.get(ListingChange, pending_id) if pending_id else None
    if pending_id and (change is None or change.service_id != service.id):
        return None
    return proposals.proposal_as_of(service, change, base_version)


def save_listing(
    user: User,
    service: Service | None,
    organization_id: str,
    snapshot: Snapshot,
    *,
    base_version: int | None = None,
    pending_id: int | None = None,
) -> SaveOutcome:
    """An editor's save: published now (administrator, trusted group) or sent for approval."""
    if service is not None:
        check_not_stale(service, base_version, pending_id, snapshot)
    if publishes_at_once(user, organization_id):
        version = publish(service, snapshot, user, organization_id=organization_id)
        return SaveOutcome("published" if version else "unchanged", version=version)
    if service is not None and not compare(snapshot_of(service), snapshot):
        _withdraw_pending(service.id)
        db.session.commit()
        return SaveOutcome("unchanged")
    change = propose(service, snapshot, user, organization_id=organization_id)
    return SaveOutcome("proposed", change=change)


def propose(
    service: Service | None,
    snapshot: Snapshot,
    user: User,
    *,
    organization_id: str,
    note: str = "",
) -> ListingChange:
    """Queue a listing for moderation; an earlier waiting change to it is replaced."""
    service_id = service.id if service else new_id()
    _withdraw_pending(service_id)
    change = ListingChange(
        service_id=service_id,
        organization_id=organization_id,
        snapshot=snapshot,
        base_version=service.version if service else None,
        note=note,
        proposed_by_id=user.id,
    )
    db.session.add(change)
    db.session.flush()
    fields = changed_fields(snapshot_of(service) if service else None, snapshot)
    record_audit("listing.proposed", "service", service_id, {"change": change.id, "fields": fields})
    db.session.commit()
    return change


def _withdraw_pending(service_id: str) -> None:
    for change in db.session.scalars(
        select(ListingChange).where(
            ListingChange.service_id == service_id, ListingChange.status == CHANGE_PENDING
        )
    ):
        change.status = CHANGE_SUPERSEDED


def publish(
    service: Service | None,
    snapshot: Snapshot,
    user: User,
    *,
    organization_id: str,
    service_id: str | None = None,
    note: str = "",
    change: ListingChange | None = None,
    confirmed: bool = False,
) -> ListingVersion | None:
    """Make ``snapshot`` the published listing and keep it as a new version.

    Returns None, writing nothing, when the listing would not change. Sets
    ``last_modified`` (the row changed), and ``assured_date`` only when ``confirmed``
    (the organisation itself said so, as a capacity click does). Changes still waiting
    for approval are then settled (``_settle_waiting_changes``).
    """
    before = snapshot_of(service) if service is not None else None
    fields = changed_fields(before, snapshot)
    if not fields:
        return None
    if service is None:
        service = Service(id=service_id or new_id(), organization_id=organization_id)
        db.session.add(service)
    elif queries.latest_version_number(service.id) == 0:
        _keep_listing_as_it_was(service, before)
    apply_snapshot(service, snapshot)
    if confirmed:
        service.assured_date = date.today()
    db.session.flush()
    version = ListingVersion(
        service_id=service.id,
        number=queries.latest_version_number(service.id) + 1,
        service_version=service.version,
        snapshot=snapshot_of(service),
        changed_fields=fields,
        note=note,
        published_by_id=user.id,
        change_id=change.id if change else None,
    )
    db.session.add(version)
    db.session.flush()
    record_audit(
        "listing.published", "service", service.id, {"version": version.number, "fields": fields}
    )
    if before is not None:
        _settle_waiting_changes(service, before, version, user)
    db.session.commit()  # the search outbox re-indexes it in this transaction's wake
    return version


def _settle_waiting_changes(
    service: Service, before: Snapshot, version: ListingVersion, user: User
) -> None:
    """After a publish, set aside (with a note the proposer sees) each waiting change that
    now clashes with it, or that it already published in full; any other stays waiting,
    read against the new listing (``proposals``), so approving it undoes nothing."""
    when = f"{version.published_at or utcnow():%-d %B %Y}"
    for change in queries.pending_changes_for(service.id):
        clashes = proposals.clashing_fields(change, service, before, version.snapshot)
        if clashes:
            labels = ", ".join(FIELD_LABELS[key].lower() for key in clashes)
            reason = (
                f"Not published: {user.display_name} changed the {labels} on {when}, "
                "after you proposed this. Edit the listing again to make your change."
            )
        elif not compare(version.snapshot, proposals.proposal_now(service, change)):
            reason = f"Already published: everything it proposed was published on {when}."
        else:
            continue
        _decide(change, user, CHANGE_SUPERSEDED, reason)
        record_audit(
            "listing.change_set_aside",
            "listing_change",
            change.id,
            {"service": service.id, "version": version.number, "fields": clashes},
        )


def _keep_listing_as_it_was(service: Service, before: Snapshot) -> None:
    """Version 1 of a listing first edited here is how it was (imported or seeded)."""
    db.session.add(
        ListingVersion(
            service_id=service.id,
            number=1,
            service_version=service.version,
            snapshot=before,
            changed_fields=[],
            note="As listed before its first edit in Signpost",
        )
    )
    db.session.flush()


def approve(change: ListingChange, admin: User, reason: str = "") -> ListingVersion | None:
    if change.status != CHANGE_PENDING:
        raise ActionRefused("That change has already been decided.")
    service = db.session.get(Service, change.service_id)
    if service is None and not change.is_new_service:
        raise ActionRefused("That listing no longer exists, so the change cannot be published.")
    _decide(change, admin, CHANGE_PUBLISHED, reason)
    record_audit("listing.approved", "listing_change", change.id, {"service": change.service_id})
    version = publish(
        service,
        proposals.proposal_now(service, change) if service else change.snapshot,
        admin,
        organization_id=change.organization_id,
        service_id=change.service_id,
        note=change.note or "Approved after moderation",
        change=change,
    )
    db.session.commit()
    return version


def reject(change: ListingChange, admin: User, reason: str) -> None:
    if change.status != CHANGE_PENDING:
        raise ActionRefused("That change has already been decided.")
    _decide(change, admin, CHANGE_REJECTED, reason)
    record_audit("listing.rejected", "listing_change", change.id, {"service": change.service_id})
    db.session.commit()


def _decide(change: ListingChange, admin: User, status: str, reason: str) -> None:
    change.status = status
    change.decided_by_id = admin.id
    change.decided_at = utcnow()
    change.reason = reason.strip() or None


def restore(service: Service, version: ListingVersion, user: User) -> SaveOutcome:
    """Publish an earlier version as a new one (through moderation for untrusted editors)."""
    note = f"Restored version {version.number}"
    record_audit("listing.restore_requested", "service", service.id, {"version": version.number})
    if publishes_at_once(user, service.organization_id):
        published = publish(
            service, version.snapshot, user, organization_id=service.organization_id, note=note
        )
        db.session.commit()
        return SaveOutcome("published" if published else "unchanged", version=published)
    change = propose(
        service, version.snapshot, user, organization_id=service.organization_id, note=note
    )
    return SaveOutcome("proposed", change=change)


def set_status(service: Service, status: str, user: User) -> ListingVersion | None:
    """Pause, resume or retire a listing at once.

    No moderation: the words were approved already, and hiding a listing that cannot
    take people must never wait for an administrator.
    """
    snapshot = snapshot_of(service)
    snapshot["status"] = status
    notes = {PAUSED: "Paused", RETIRED: "Retired", ACTIVE: "Published again"}
    return publish(
        service,
        snapshot,
        user,
        organization_id=service.organization_id,
        note=notes.get(status, "Status changed"),
    )
