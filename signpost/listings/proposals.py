"""A waiting change read against the listing as it is now.

A proposal's snapshot is kept exactly as the editor sent it. What it *changes* is where it
differs from the listing it was edited from (its ``base_version``); every change to a
listing's content is kept as a ``ListingVersion`` (form saves, approvals, restores, status
and capacity clicks; "still accurate" changes no content, so it moves neither
``Service.version`` nor ``last_modified``), so that listing can always be read back.
Brought up to date with ``snapshots.merge``, a proposal keeps its own changes and takes
everything else from the listing as published since, so approving it never undoes a
pause, a capacity change or another published edit.
"""

from __future__ import annotations

from signpost.directory.models import Service
from signpost.listings import queries
from signpost.listings.models import ListingChange
from signpost.listings.snapshots import FIELD_LABELS, Snapshot, describe, merge, snapshot_of


def published_as_of(service: Service, service_version: int) -> Snapshot:
    """The published listing's content when ``service.version`` was ``service_version``.

    The newest version kept at or before it; before the first one, version 1 (the listing
    as it was before its first edit here); a listing never changed here is as it is now.
    """
    if service_version == service.version:
        return snapshot_of(service)
    version = queries.version_as_of(service.id, service_version) or queries.first_version(
        service.id
    )
    return version.snapshot if version else snapshot_of(service)


def proposal_as_of(
    service: Service, change: ListingChange | None, service_version: int
) -> Snapshot:
    """What an editor works from: the listing at ``service_version`` with ``change`` on top."""
    published = published_as_of(service, service_version)
    if change is None:
        return published
    if change.base_version is None:
        return change.snapshot
    base = published_as_of(service, change.base_version)
    return merge(base, published, change.snapshot)


def proposal_now(service: Service, change: ListingChange) -> Snapshot:
    """The listing as approving ``change`` would publish it now."""
    return proposal_as_of(service, change, service.version)


def clashing_fields(
    change: ListingChange, service: Service, before: Snapshot, after: Snapshot
) -> list[str]:
    """Fields ``change`` changes that a publish (``before`` -> ``after``) set to something else."""
    if change.base_version is None:
        return []
    base = describe(published_as_of(service, change.base_version))
    mine, old, new = describe(change.snapshot), describe(before), describe(after)
    return [
        key
        for key in FIELD_LABELS
        if mine[key] != base[key] and old[key] != new[key] and mine[key] != new[key]
    ]
