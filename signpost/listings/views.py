"""The organisation editor's pages: their listings, the listing form, history, and claiming.

Every page that touches a listing checks ``require_organization_editor`` first, so an
editor trying another organisation's record gets 403 and an audit entry.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from wtforms import SelectField

from signpost.accounts.access import public, roles_required
from signpost.accounts.forms import ActionForm
from signpost.accounts.roles import ADMIN, ORG_EDITOR
from signpost.directory.queries import need_categories
from signpost.extensions import limiter
from signpost.htmx import render_page
from signpost.listings import actions, organization_actions, queries
from signpost.listings.forms import (
    ClaimForm,
    ListingForm,
    error_list,
    language_pairs,
    listing_form,
)
from signpost.listings.languages import language_choices
from signpost.listings.markdown import plain_description, render_description
from signpost.listings.ownership import require_organization_editor
from signpost.listings.snapshots import FIELD_LABELS, STATUS_NAMES, Snapshot
from signpost.web.search_form import options

bp = Blueprint("listings", __name__)

EDITORS = (ORG_EDITOR, ADMIN)
NEW_LISTING: Snapshot = {
    "status": "active",
    "is_free": True,
    "access_route": "either",
    "capacity_status": "accepting",
    "delivery_modes": ["in_person"],
    "languages": [{"code": "en", "name": "English"}],
}
SAVED_MESSAGES = {
    "published": "Your changes are published.",
    "proposed": "Thank you. Your changes will be published once an administrator has checked them.",
    "unchanged": "Nothing had changed, so nothing was published.",
}
STATUS_ACTIONS = {"pause": actions.PAUSED, "resume": actions.ACTIVE, "retire": actions.RETIRED}


class StatusForm(ActionForm):
    action = SelectField(choices=options((name, name) for name in STATUS_ACTIONS))


@bp.app_template_filter("markdown")
def _markdown_filter(text: str | None, new_tab: bool = False):
    return render_description(text, new_tab=new_tab)


@bp.app_template_filter("plain_text")
def _plain_text_filter(text: str | None) -> str:
    return plain_description(text)


@bp.app_context_processor
def _listing_helpers() -> dict:
    return {"field_labels": FIELD_LABELS, "status_names": STATUS_NAMES, "error_list": error_list}


@bp.get("/your-listings")
@roles_required(ORG_EDITOR)
def dashboard():
    organizations = queries.organizations_of(current_user)
    changes = queries.changes_for_organizations({o.id for o in organizations})
    pending = {c.service_id for c in changes if c.status == "pending"}
    return render_page(
        "listings/dashboard.html",
        organizations=organizations,
        changes=changes,
        pending=pending,
    )


def _form_for(snapshot: Snapshot | None, **hidden) -> ListingForm:
    categories = [(term.code, term.name) for term in need_categories()]
    return listing_form(snapshot, categories, language_choices(language_pairs(snapshot)), **hidden)


@bp.route(
    "/your-listings/organisations/<string:organization_id>/new-service", methods=["GET", "POST"]
)
@roles_required(*EDITORS)
def new_service(organization_id: str):
    organization = queries.organization_or_404(organization_id)
    require_organization_editor(current_user, organization.id)
    form = _form_for(NEW_LISTING)
    if form.validate_on_submit():
        outcome = actions.save_listing(current_user, None, organization.id, form.to_snapshot())
        flash(SAVED_MESSAGES[outcome.result])
        return redirect(_after_save(), 303)
    return render_page(
        "listings/edit.html",
        form=form,
        organization=organization,
        service=None,
        pending=None,
        conflict=None,
        status=400 if form.errors else 200,
    )


@bp.route("/your-listings/services/<string:service_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def edit_service(service_id: str):
    service = queries.service_for_editing(service_id)
    require_organization_editor(current_user, service.organization_id)
    snapshot, pending = actions.working_snapshot(service)
    form = _form_for(snapshot, version=service.version, pending_change=pending and pending.id)
    conflict = None
    if form.validate_on_submit():
        try:
            outcome = actions.save_listing(
                current_user, service, service.organization_id, form.to_snapshot(),
                base_version=_number(form.version.data),
                pending_id=_number(form.pending_change.data),
            )  # fmt: skip
        except actions.EditConflict as error:
            conflict = error
            form = _conflict_form(form, error, service.version, pending)
        else:
            flash(SAVED_MESSAGES[outcome.result])
            return redirect(_after_save(), 303)
    status = 409 if conflict else 400 if form.errors else 200
    return render_page(
        "listings/edit.html",
        form=form,
        organization=service.organization,
        service=service,
        pending=pending,
        conflict=conflict,
        status=status,
    )


def _conflict_form(form, conflict, version, pending) -> ListingForm:
    """The form again: what was typed, plus fields only the other person changed."""
    if conflict.merged is not None:
        form = _form_for(conflict.merged, formdata=False)
    form.version.data = str(version)
    form.pending_change.data = str(pending.id) if pending else ""
    return form


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _after_save() -> str:
    if current_user.role == ADMIN:
        return url_for("moderation.list_organizations")
    return url_for("listings.dashboard")


@bp.post("/your-listings/services/<string:service_id>/status")
@roles_required(*EDITORS)
def change_status(service_id: str):
    service = queries.service_for_editing(service_id)
    require_organization_editor(current_user, service.organization_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400, description="Choose pause, resume or retire.")
    actions.set_status(service, STATUS_ACTIONS[form.action.data], current_user)
    flash(f"{service.name}: {STATUS_NAMES[service.status].lower()}.")
    return redirect(_after_save(), 303)


@bp.get("/your-listings/services/<string:service_id>/history")
@roles_required(*EDITORS)
def service_history(service_id: str):
    service = queries.service_for_editing(service_id)
    require_organization_editor(current_user, service.organization_id)
    return render_page(
        "listings/history.html",
        service=service,
        versions=queries.history_of(service.id),
        restore_form=ActionForm(),
    )


@bp.post("/your-listings/services/<string:service_id>/history/<int:number>/restore")
@roles_required(*EDITORS)
def restore_version(service_id: str, number: int):
    service = queries.service_for_editing(service_id)
    require_organization_editor(current_user, service.organization_id)
    version = queries.version_or_404(service.id, number)
    if not ActionForm().validate_on_submit():
        abort(400, description="The form had expired. Try again.")
    outcome = actions.restore(service, version, current_user)
    flash(f"Version {number}: " + SAVED_MESSAGES[outcome.result])
    return redirect(url_for("listings.service_history", service_id=service.id), 303)


@bp.route("/organisations/claim", methods=["GET", "POST"])
@public
@limiter.limit("5 per minute", methods=["POST"])
def claim_organization():
    form = ClaimForm(organizations=queries.organization_choices())
    if request.method == "GET" and request.args.get("organisation"):
        form.organization_id.data = request.args["organisation"]
    if form.validate_on_submit():
        organization_actions.submit_claim(
            form.organization_id.data,
            name=form.name.data,
            email=form.email.data,
            role_in_group=form.role_in_group.data,
            note=form.note.data or "",
        )
        flash("Thank you. An administrator will check your request and email you.")
        return redirect(url_for("listings.claim_organization"), 303)
    return render_page("listings/claim.html", form=form, status=400 if form.errors else 200)
