"""Reading listings for editors and administrators: their services, changes, history."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from signpost.accounts.models import User
from signpost.directory.models import (
    Attribute,
    Organization,
    Service,
    ServiceAtLocation,
)
from signpost.extensions import db
from signpost.listings.models import (
    CHANGE_PENDING,
    CHANGE_PUBLISHED,
    CHANGE_REJECTED,
    CHANGE_SUPERSEDED,
    CLAIM_PENDING,
    ListingChange,
    ListingVersion,
    OrganizationClaim,
    OrganizationEditor,
    OrganizationPolicy,
)
from signpost.listings.ownership import editable_organization_ids
from signpost.listings.snapshots import FieldChange, compare


def service_for_editing(service_id: str) -> Service:
    """Any service (published or not) with what the form shows, or 404."""
    service = db.session.scalar(
        select(Service)
        .where(Service.id == service_id)
        .options(
            selectinload(Service.attributes).selectinload(Attribute.taxonomy_term),
            selectinload(Service.service_at_locations).selectinload(ServiceAtLocation.location),
            selectinload(Service.schedules),
            selectinload(Service.languages),
            selectinload(Service.phones),
            selectinload(Service.service_areas),
        )
    )
    if service is None:
        abort(404, description="We could not find that listing.")
    return service


def organization_or_404(organization_id: str) -> Organization:
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        abort(404, description="We could not find that organisation.")
    return organization


def organizations_of(user: User) -> list[Organization]:
    """The organisations ``user`` edits, with their services, by name."""
    ids = editable_organization_ids(user)
    query = select(Organization).options(selectinload(Organization.services))
    if ids is not None:
        query = query.where(Organization.id.in_(ids))
    return list(db.session.scalars(query.order_by(Organization.name)))


def pending_change_for(service_id: str) -> ListingChange | None:
    return db.session.scalar(
        select(ListingChange)
        .where(ListingChange.service_id == service_id, ListingChange.status == CHANGE_PENDING)
        .order_by(ListingChange.id.desc())
    )


def pending_changes_for(service_id: str) -> list[ListingChange]:
    return list(
        db.session.scalars(
            select(ListingChange).where(
                ListingChange.service_id == service_id, ListingChange.status == CHANGE_PENDING
            )
        )
    )


def changes_for_organizations(organization_ids: set[str], limit: int = 50) -> list[ListingChange]:
    """Recent proposals of these organisations: waiting, published, sent back, or set aside
    by a later publish (superseded with a reason; one replaced by its editor has none)."""
    statuses = (CHANGE_PENDING, CHANGE_PUBLISHED, CHANGE_REJECTED)
    set_aside = (ListingChange.status == CHANGE_SUPERSEDED) & ListingChange.reason.is_not(None)
    return list(
        db.session.scalars(
            select(ListingChange)
            .where(
                ListingChange.organization_id.in_(organization_ids),
                ListingChange.status.in_(statuses) | set_aside,
            )
            .order_by(ListingChange.proposed_at.desc(), ListingChange.id.desc())
            .limit(limit)
        )
    )


def moderation_queue() -> list[ListingChange]:
    """Changes waiting for an administrator, oldest first."""
    return list(
        db.session.scalars(
            select(ListingChange)
            .where(ListingChange.status == CHANGE_PENDING)
            .options(selectinload(ListingChange.organization))
            .order_by(ListingChange.proposed_at, ListingChange.id)
        )
    )


def change_or_404(change_id: int) -> ListingChange:
    change = db.session.get(ListingChange, change_id)
    if change is None:
        abort(404, description="We could not find that change.")
    return change


def pending_claims() -> list[OrganizationClaim]:
    return list(
        db.session.scalars(
            select(OrganizationClaim)
            .where(OrganizationClaim.status == CLAIM_PENDING)
            .order_by(OrganizationClaim.created_at)
        )
    )


def claim_or_404(claim_id: int) -> OrganizationClaim:
    claim = db.session.get(OrganizationClaim, claim_id)
    if claim is None or claim.status != CLAIM_PENDING:
        abort(404, description="That request has already been decided, or does not exist.")
    return claim


@dataclass(frozen=True)
class HistoryEntry:
    version: ListingVersion
    changes: list[FieldChange]  # from the version before, in words

    @property
    def proposed_by(self) -> User | None:
        return self.version.change.proposed_by if self.version.change else None


def history_of(service_id: str) -> list[HistoryEntry]:
    """Published versions, newest first, each with what it changed and who asked for it.

    Version 1 of a listing that existed before its first edit here changed nothing: it is
    how the listing was.
    """
    versions = list(
        db.session.scalars(
            select(ListingVersion)
            .where(ListingVersion.service_id == service_id)
            .options(
                selectinload(ListingVersion.published_by),
                selectinload(ListingVersion.change).selectinload(ListingChange.proposed_by),
            )
            .order_by(ListingVersion.number.desc())
        )
    )
    entries = []
    for newer, older in zip(versions, [*versions[1:], None], strict=True):
        if older is None and not newer.changed_fields:
            entries.append(HistoryEntry(newer, []))
        else:
            entries.append(HistoryEntry(newer, compare(older and older.snapshot, newer.snapshot)))
    return entries


def version_or_404(service_id: str, number: int) -> ListingVersion:
    version = db.session.scalar(
        select(ListingVersion).where(
            ListingVersion.service_id == service_id, ListingVersion.number == number
        )
    )
    if version is None:
        abort(404, description="We could not find that version of the listing.")
    return version


def version_as_of(service_id: str, service_version: int) -> ListingVersion | None:
    """The published version an editor saw when the listing was at ``service_version``."""
    return db.session.scalar(
        select(ListingVersion)
        .where(
            ListingVersion.service_id == service_id,
            ListingVersion.service_version <= service_version,
        )
        .order_by(ListingVersion.number.desc())
    )


def first_version(service_id: str) -> ListingVersion | None:
    return db.session.scalar(
        select(ListingVersion).where(
            ListingVersion.service_id == service_id, ListingVersion.number == 1
        )
    )


def latest_version_number(service_id: str) -> int:
    number = db.session.scalar(
        select(func.max(ListingVersion.number)).where(ListingVersion.service_id == service_id)
    )
    return number or 0


def all_organizations() -> list[tuple[Organization, int, bool]]:
    """Every organisation with its number of editors and whether it is trusted."""
    editors = (
        select(OrganizationEditor.organization_id, func.count().label("editors"))
        .group_by(OrganizationEditor.organization_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Organization, func.coalesce(editors.c.editors, 0), OrganizationPolicy.trusted)
        .outerjoin(editors, editors.c.organization_id == Organization.id)
        .outerjoin(OrganizationPolicy, OrganizationPolicy.organization_id == Organization.id)
        .order_by(Organization.name)
    )
    return [(org, count, bool(trusted)) for org, count, trusted in rows]


def organization_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        select(Organization.id, Organization.name).order_by(Organization.name)
    )
    return [(row.id, row.name) for row in rows]
