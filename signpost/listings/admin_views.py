"""The directory administrator's pages: the moderation queue, claims, and organisations."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user

from signpost.accounts.access import roles_required
from signpost.accounts.roles import ADMIN
from signpost.directory.models import Service
from signpost.extensions import db
from signpost.htmx import render_page
from signpost.listings import actions, organization_actions, queries
from signpost.listings.forms import DecisionForm, InviteEditorForm, RejectForm, TrustForm
from signpost.listings.ownership import editors_of, policy_for
from signpost.listings.proposals import proposal_now, published_as_of
from signpost.listings.snapshots import compare, snapshot_of
from signpost.mail.links import external_url

bp = Blueprint("moderation", __name__, url_prefix="/admin")


@bp.get("/moderation")
@roles_required(ADMIN)
def queue():
    return render_page(
        "listings/moderation_queue.html",
        changes=queries.moderation_queue(),
        claims=queries.pending_claims(),
        reject_form=RejectForm(prefix="claim"),
        approve_form=DecisionForm(prefix="claim"),
    )


def _change_page(change, approve_form=None, reject_form=None, error=None, status=200):
    service = db.session.get(Service, change.service_id)
    current = snapshot_of(service) if service else None
    proposed = proposal_now(service, change) if service else change.snapshot
    return render_page(
        "listings/change.html",
        change=change,
        service=service,
        changes=compare(current, proposed),
        moved_on=_moved_on(service, change, current),
        approve_form=approve_form or DecisionForm(prefix="approve", formdata=None),
        reject_form=reject_form or RejectForm(prefix="reject", formdata=None),
        error=error,
        status=status,
    )


def _moved_on(service, change, current) -> bool:
    """Whether the listing's words changed after the editor proposed this."""
    if service is None or change.base_version is None:
        return False
    return bool(compare(published_as_of(service, change.base_version), current))


@bp.get("/moderation/changes/<int:change_id>")
@roles_required(ADMIN)
def show_change(change_id: int):
    return _change_page(queries.change_or_404(change_id))


@bp.post("/moderation/changes/<int:change_id>/approve")
@roles_required(ADMIN)
def approve_change(change_id: int):
    change = queries.change_or_404(change_id)
    form = DecisionForm(prefix="approve")
    if not form.validate_on_submit():
        return _change_page(change, approve_form=form, status=400)
    try:
        actions.approve(change, current_user, form.reason.data or "")
    except actions.ActionRefused as refused:
        return _change_page(change, error=refused.message, status=409)
    flash(f"Published the change to {change.snapshot['name']}.")
    return redirect(url_for("moderation.queue"), 303)


@bp.post("/moderation/changes/<int:change_id>/reject")
@roles_required(ADMIN)
def reject_change(change_id: int):
    change = queries.change_or_404(change_id)
    form = RejectForm(prefix="reject")
    if not form.validate_on_submit():
        return _change_page(change, reject_form=form, status=400)
    try:
        actions.reject(change, current_user, form.reason.data)
    except actions.ActionRefused as refused:
        return _change_page(change, error=refused.message, status=409)
    flash(f"Sent the change to {change.snapshot['name']} back to the editor.")
    return redirect(url_for("moderation.queue"), 303)


@bp.post("/moderation/claims/<int:claim_id>/approve")
@roles_required(ADMIN)
def approve_claim(claim_id: int):
    claim = queries.claim_or_404(claim_id)
    if not DecisionForm(prefix="claim").validate_on_submit():
        return redirect(url_for("moderation.queue"), 303)
    try:
        invitation = organization_actions.approve_claim(claim, current_user)
    except actions.ActionRefused as refused:
        flash(refused.message)
        return redirect(url_for("moderation.queue"), 303)
    return _organization_page(claim.organization, invitation=invitation)


@bp.post("/moderation/claims/<int:claim_id>/reject")
@roles_required(ADMIN)
def reject_claim(claim_id: int):
    claim = queries.claim_or_404(claim_id)
    form = RejectForm(prefix="claim")
    if not form.validate_on_submit():
        flash("Say why the request is refused.")
        return redirect(url_for("moderation.queue"), 303)
    mailed = organization_actions.reject_claim(claim, current_user, form.reason.data)
    told = "We emailed them the reason." if mailed else "We could not email them: tell them."
    flash(f"Refused the request from {claim.name}. {told}")
    return redirect(url_for("moderation.queue"), 303)


@bp.get("/organisations")
@roles_required(ADMIN)
def list_organizations():
    return render_page("listings/organizations.html", rows=queries.all_organizations())


def _organization_page(organization, invite_form=None, invitation=None, status=200):
    return render_page(
        "listings/organization.html",
        organization=organization,
        editors=editors_of(organization.id),
        trusted=policy_for(organization.id).trusted,
        trust_form=TrustForm(formdata=None, trusted=policy_for(organization.id).trusted),
        invite_form=invite_form or InviteEditorForm(prefix="invite", formdata=None),
        invitation=invitation,
        invite_link=invitation
        and invitation.token
        and external_url("accounts.set_password", token=invitation.token),
        status=status,
    )


@bp.get("/organisations/<string:organization_id>")
@roles_required(ADMIN)
def show_organization(organization_id: str):
    return _organization_page(queries.organization_or_404(organization_id))


@bp.post("/organisations/<string:organization_id>/trust")
@roles_required(ADMIN)
def change_trust(organization_id: str):
    organization = queries.organization_or_404(organization_id)
    form = TrustForm()
    if form.validate_on_submit():
        organization_actions.set_trusted(organization, bool(form.trusted.data))
        flash(
            "Trusted: edits publish at once." if form.trusted.data else "Edits now need approval."
        )
    return redirect(url_for("moderation.show_organization", organization_id=organization.id), 303)


@bp.post("/organisations/<string:organization_id>/invite")
@roles_required(ADMIN)
def invite_editor(organization_id: str):
    organization = queries.organization_or_404(organization_id)
    form = InviteEditorForm(prefix="invite")
    if not form.validate_on_submit():
        return _organization_page(organization, invite_form=form, status=400)
    try:
        invitation = organization_actions.invite_editor(
            organization, form.email.data, form.name.data or ""
        )
    except actions.ActionRefused as refused:
        form.email.errors = [refused.message]
        return _organization_page(organization, invite_form=form, status=400)
    return _organization_page(organization, invitation=invitation)
