"""Reporting a problem with a listing (anyone), and the open reports (editors, administrators)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, url_for
from flask_login import current_user

from signpost.accounts.access import public, roles_required
from signpost.accounts.roles import ADMIN, ORG_EDITOR
from signpost.directory.queries import get_published_service
from signpost.extensions import db, limiter
from signpost.htmx import is_fragment_request, render_page
from signpost.listings.ownership import require_organization_editor
from signpost.reports import actions, queries
from signpost.reports.forms import ProblemReportForm
from signpost.reports.models import ProblemReport

bp = Blueprint("reports", __name__)


def _report_rate_limit() -> str:
    return current_app.config["SIGNPOST_PROBLEM_REPORT_RATE_LIMIT"]


@bp.route("/services/<string:service_id>/report-a-problem", methods=["GET", "POST"])
@public
@limiter.limit(
    _report_rate_limit,
    methods=["POST"],
    error_message="You have sent several reports in a short time. Please try again later.",
)
def report_problem(service_id: str):
    service = get_published_service(service_id)
    if service is None:
        abort(404, description="We could not find that service. It may have closed or moved.")
    form = ProblemReportForm()
    if form.validate_on_submit():
        actions.report_problem(service, form.kind.data, form.note.data)
        flash("Thank you. We have told the people who keep this listing up to date.")
        return redirect(url_for("web.service_page", service_id=service.id), 303)
    status = 400 if form.errors else 200
    return render_page("reports/report_problem.html", service=service, form=form, status=status)


@bp.get("/reports")
@roles_required(ADMIN, ORG_EDITOR)
def open_reports():
    return render_page("reports/open_reports.html", reports=queries.open_reports_for(current_user))


@bp.post("/reports/<int:report_id>/resolve")
@roles_required(ADMIN, ORG_EDITOR)
def resolve(report_id: int):
    report = db.session.get(ProblemReport, report_id)
    if report is None:
        abort(404, description="We could not find that report.")
    require_organization_editor(current_user, report.organization_id)
    error = None
    try:
        actions.resolve_report(report, current_user)
    except actions.AlreadyResolved as refused:
        error = str(refused)
    if is_fragment_request():
        return render_page("reports/_report_row.html", report=report, error=error)
    return redirect(url_for("reports.open_reports"), 303)
