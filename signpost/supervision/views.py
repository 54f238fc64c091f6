"""Supervisor pages: the queue, one item with its notes, and the team's caseloads.

Supervisors read patient records of their own team only and never change them; what
they write is supervision notes and decisions.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user

from signpost.accounts.access import roles_required
from signpost.accounts.roles import SUPERVISOR
from signpost.audit.log import record_audit
from signpost.extensions import db
from signpost.htmx import render_page
from signpost.prescribing.patient_access import team_member_ids, unsupervised_link_worker_ids
from signpost.prescribing.refusals import ActionRefused
from signpost.supervision import actions, queries
from signpost.supervision.forms import NoteForm
from signpost.supervision.models import DECISIONS, ITEM_SOURCES

bp = Blueprint("supervision", __name__, url_prefix="/supervision")


@bp.get("/")
@roles_required(SUPERVISOR)
def queue():
    return render_page(
        "supervision/queue.html",
        items=queries.queue(current_user.id),
        sources=ITEM_SOURCES,
        unsupervised=set(unsupervised_link_worker_ids()),
    )


@bp.route("/items/<uuid:item_id>", methods=["GET", "POST"])
@roles_required(SUPERVISOR)
def show_item(item_id):
    item = queries.item_for_supervisor(str(item_id), current_user.id)
    if item is None:
        abort(404)
    form = NoteForm()
    error = None
    if form.validate_on_submit():
        try:
            actions.add_note(
                item, form.notes.data, form.decision.data, form.close.data, current_user.id
            )
            return redirect(url_for("supervision.show_item", item_id=item.id), code=303)
        except ActionRefused as refused:
            error = refused.message
    else:
        record_audit("supervision_item.view", "patient", item.patient_id, {"item_id": item.id})
        db.session.commit()
    status = 422 if (error or form.errors) else 200
    return render_page(
        "supervision/item.html",
        status=status,
        item=item,
        form=form,
        error=error,
        sources=ITEM_SOURCES,
        decisions=DECISIONS,
    )


@bp.get("/team")
@roles_required(SUPERVISOR)
def team():
    return render_page(
        "supervision/team.html", rows=queries.team_figures(current_user.id, date.today())
    )


@bp.get("/team/<int:user_id>/caseload")
@roles_required(SUPERVISOR)
def team_caseload(user_id):
    from signpost.accounts.models import User
    from signpost.prescribing.views import _caseload_page

    if user_id not in team_member_ids(current_user.id):
        abort(404)
    return _caseload_page(user_id, read_only=True, owner=db.session.get(User, user_id))
