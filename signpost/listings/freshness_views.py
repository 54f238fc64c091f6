"""Organisations keep their listings current: "still accurate", capacity, their worklist.

Each control replaces itself after an htmx POST (200 with the fragment); without
JavaScript the same POST answers 303 back to the page it came from.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, request, url_for
from flask_login import current_user

from signpost.accounts.access import roles_required
from signpost.accounts.roles import ADMIN, ORG_EDITOR
from signpost.directory.models import Service
from signpost.extensions import db
from signpost.htmx import is_fragment_request, render_page
from signpost.listings import freshness
from signpost.listings.capacity import CapacityForm, set_capacity
from signpost.listings.ownership import may_edit_organization, require_organization_editor

bp = Blueprint("freshness", __name__)


@bp.app_context_processor
def _freshness_helpers() -> dict:
    return {"listing_freshness": freshness, "may_edit_listing": may_edit_listing}


def may_edit_listing(service: Service) -> bool:
    return current_user.is_authenticated and may_edit_organization(
        current_user, service.organization_id
    )


def _editable_service(service_id: str) -> Service:
    service = db.session.get(Service, service_id)
    if service is None:
        abort(404, description="We could not find that listing.")
    require_organization_editor(current_user, service.organization_id)
    return service


def _back_to(default: str):
    """303 to the local page the form came from (its ``next`` field), else ``default``."""
    target = request.form.get("next", "")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        target = default
    return redirect(target, code=303)


@bp.post("/services/<string:service_id>/still-accurate")
@roles_required(ADMIN, ORG_EDITOR)
def confirm_still_accurate(service_id: str):
    service = _editable_service(service_id)  # CSRFProtect has already checked the token
    freshness.confirm_still_accurate(service, current_user)
    if is_fragment_request():
        return render_page("listings/_freshness.html", service=service, editable=True, done=True)
    return _back_to(url_for("web.service_page", service_id=service.id))


@bp.post("/services/<string:service_id>/capacity")
@roles_required(ADMIN, ORG_EDITOR)
def change_capacity(service_id: str):
    service = _editable_service(service_id)
    form = CapacityForm()
    changed = None
    if form.validate_on_submit():
        changed = set_capacity(
            service, form.capacity_status.data, form.waiting_list_weeks.data, current_user
        )
    elif not is_fragment_request():
        messages = [message for errors in form.errors.values() for message in errors]
        abort(400, description=" ".join(messages))
    if is_fragment_request():
        return render_page(
            "listings/_capacity.html",
            service=service,
            capacity_form=form,
            editable=True,
            changed=changed,
        )
    return _back_to(url_for("web.service_page", service_id=service.id))


@bp.get("/your-listings/keep-current")
@roles_required(ADMIN, ORG_EDITOR)
def your_listings():
    services = freshness.listings_to_keep_current(current_user)
    return render_page("listings/your_listings.html", services=services)
