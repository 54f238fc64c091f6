"""Changing who looks after an organisation: invitations, claims, trust. Each change audited.

An invitation reuses the staff invitation of ``accounts.actions``: a signed link, valid for
7 days, that stops working once the password is set (``credentials_version``). Whoever
claimed an organisation is e-mailed the decision (with that link when approved); mail
trouble does not undo the decision, and the administrator is told so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import current_app
from sqlalchemy import select

from signpost.accounts import actions as account_actions
from signpost.accounts.models import User
from signpost.accounts.roles import ORG_EDITOR
from signpost.audit.log import record_audit
from signpost.directory.models import Organization, utcnow
from signpost.extensions import db
from signpost.listings.actions import ActionRefused
from signpost.listings.models import (
    CLAIM_APPROVED,
    CLAIM_PENDING,
    CLAIM_REJECTED,
    OrganizationClaim,
)
from signpost.listings.ownership import add_editor, policy_for
from signpost.mail.links import external_url
from signpost.mail.sending import MailNotSent, send_mail


@dataclass(frozen=True)
class Invitation:
    user: User
    token: str | None  # None: the account already has a password, so no link is needed
    mailed: bool = False  # the claimant was e-mailed about it


def invite_editor(organization: Organization, email: str, name: str = "") -> Invitation:
    """Tie an editor account to the organisation, creating and inviting it if new."""
    email = email.strip().lower()
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None and user.role != ORG_EDITOR:
        raise ActionRefused(
            "That email address belongs to a staff account that is not an organisation editor."
        )
    if user is None:
        user = account_actions.create_user(email, ORG_EDITOR, name)
    add_editor(user, organization.id)
    _audit("organization.editor_added", organization.id, user=user.id)
    db.session.commit()
    token = None if user.password_hash else account_actions.invitation_token(user)
    return Invitation(user, token)


def set_trusted(organization: Organization, trusted: bool) -> None:
    policy_for(organization.id).trusted = trusted
    record_audit(
        "organization.trust_changed", "organization", organization.id, {"trusted": trusted}
    )
    db.session.commit()


def submit_claim(
    organization_id: str, *, name: str, email: str, role_in_group: str, note: str
) -> OrganizationClaim:
    claim = OrganizationClaim(
        organization_id=organization_id,
        name=name.strip(),
        email=email.strip().lower(),
        role_in_group=role_in_group.strip(),
        note=note.strip(),
    )
    db.session.add(claim)
    db.session.flush()
    record_audit(
        "organization.claim_submitted", "organization", organization_id, {"claim": claim.id}
    )
    db.session.commit()
    return claim


def approve_claim(claim: OrganizationClaim, admin: User) -> Invitation:
    _check_pending(claim)
    invitation = invite_editor(claim.organization, claim.email, claim.name)
    _decide(claim, admin, CLAIM_APPROVED, "")
    record_audit(
        "organization.claim_approved", "organization", claim.organization_id, {"claim": claim.id}
    )
    db.session.commit()
    return replace(invitation, mailed=_tell_claimant(claim, *_approval_email(claim, invitation)))


def reject_claim(claim: OrganizationClaim, admin: User, reason: str) -> bool:
    """Refuse the claim; returns whether the claimant was e-mailed the reason."""
    _check_pending(claim)
    _decide(claim, admin, CLAIM_REJECTED, reason)
    record_audit(
        "organization.claim_rejected", "organization", claim.organization_id, {"claim": claim.id}
    )
    db.session.commit()
    return _tell_claimant(claim, *_refusal_email(claim))


def _tell_claimant(claim: OrganizationClaim, subject: str, body: str) -> bool:
    try:
        send_mail(claim.email, subject, body)
    except MailNotSent as error:
        current_app.logger.warning("Claim %s decision not e-mailed: %s", claim.id, error)
        return False
    return True


def _approval_email(claim: OrganizationClaim, invitation: Invitation) -> tuple[str, str]:
    name = claim.organization.name
    if invitation.token:
        link = external_url("accounts.set_password", token=invitation.token)
        start = f"Set your password to start (the link works once, for 7 days):\n{link}\n"
    else:
        start = f"Sign in with your Signpost account:\n{external_url('accounts.login')}\n"
    body = (
        f"Hello {claim.name},\n\n"
        f"A directory administrator approved your request to look after {name}'s listings "
        f"on Signpost. You can now keep them up to date yourself.\n\n{start}"
    )
    return f"Signpost: you can now update {name}'s listings", body


def _refusal_email(claim: OrganizationClaim) -> tuple[str, str]:
    name = claim.organization.name
    body = (
        f"Hello {claim.name},\n\n"
        f"A directory administrator looked at your request to look after {name}'s listings "
        f"on Signpost, and could not approve it.\n\n"
        f"Their reason: {claim.reason or '(none given)'}\n\n"
        f"If something has changed, you can ask again: "
        f"{external_url('listings.claim_organization')}\n"
    )
    return f"Signpost: your request about {name}", body


def _check_pending(claim: OrganizationClaim) -> None:
    if claim.status != CLAIM_PENDING:
        raise ActionRefused("That request has already been decided.")


def _decide(claim: OrganizationClaim, admin: User, status: str, reason: str) -> None:
    claim.status = status
    claim.decided_by_id = admin.id
    claim.decided_at = utcnow()
    claim.reason = reason.strip() or None


def _audit(action: str, organization_id: str, **detail) -> None:
    record_audit(action, "organization", organization_id, detail)
