"""Which organisations a signed-in user may edit, and the refusal when they may not.

Administrators may edit every organisation; an organisation editor only those they are
tied to. A refused attempt is answered 403 and written to the audit trail, so a supervisor
or administrator can see someone trying records that are not theirs.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from signpost.accounts.models import User
from signpost.accounts.roles import ADMIN, ORG_EDITOR
from signpost.audit.log import record_audit
from signpost.extensions import db
from signpost.listings.models import OrganizationEditor, OrganizationPolicy


def editable_organization_ids(user: User) -> set[str] | None:
    """The ids ``user`` may edit; ``None`` means every organisation (administrators)."""
    if user.role == ADMIN:
        return None
    if user.role != ORG_EDITOR:
        return set()
    rows = db.session.scalars(
        select(OrganizationEditor.organization_id).where(OrganizationEditor.user_id == user.id)
    )
    return set(rows)


def may_edit_organization(user: User, organization_id: str) -> bool:
    allowed = editable_organization_ids(user)
    return allowed is None or organization_id in allowed


def require_organization_editor(user: User, organization_id: str) -> None:
    """Abort with 403 (and an audit entry) unless ``user`` may edit the organisation."""
    if may_edit_organization(user, organization_id):
        return
    record_audit("listing.edit_refused", "organization", organization_id, user_id=user.id)
    db.session.commit()
    abort(403, description="You can only change your own organisation's listings.")


def editors_of(organization_id: str) -> list[User]:
    """Enabled editor accounts tied to the organisation (for reminders and problem reports)."""
    query = (
        select(User)
        .join(OrganizationEditor, OrganizationEditor.user_id == User.id)
        .where(OrganizationEditor.organization_id == organization_id, User.enabled.is_(True))
        .order_by(User.email)
    )
    return list(db.session.scalars(query))


def policy_for(organization_id: str) -> OrganizationPolicy:
    """The organisation's policy row, created with safe defaults (untrusted, not opted in)."""
    policy = db.session.get(OrganizationPolicy, organization_id)
    if policy is None:
        policy = OrganizationPolicy(organization_id=organization_id, trusted=False)
        db.session.add(policy)
        db.session.flush()
    return policy


def add_editor(user: User, organization_id: str) -> OrganizationEditor:
    """Tie an editor to an organisation (idempotent); the caller commits."""
    link = db.session.scalar(
        select(OrganizationEditor).where(
            OrganizationEditor.user_id == user.id,
            OrganizationEditor.organization_id == organization_id,
        )
    )
    if link is None:
        link = OrganizationEditor(user_id=user.id, organization_id=organization_id)
        db.session.add(link)
        db.session.flush()
    return link
