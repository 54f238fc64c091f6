"""The link worker's pages. Patients are addressed by opaque ids only; every page that
shows a patient record, and every change, leaves an audit row."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from signpost.accounts.access import roles_required
from signpost.accounts.roles import LINK_WORKER, SUPERVISOR
from signpost.audit.log import record_audit
from signpost.directory.models import Service
from signpost.extensions import db
from signpost.htmx import is_fragment_request, render_page
from signpost.prescribing import actions, forms, gp_message, presenters, queries, safety
from signpost.prescribing.focus import drop_focus_on, focus_patient, set_focus_patient
from signpost.prescribing.outcome_measures import InvalidAnswers, MeasureDefinition
from signpost.prescribing.patient_access import (
    can_change,
    changeable_patient,
    changeable_prescription,
    readable_patient,
    visible_owner_ids,
)
from signpost.prescribing.statuses import STATUSES, TransitionRefused
from signpost.prescribing.themes import NEED_THEMES

bp = Blueprint("prescribing", __name__)

FOLLOW_UP_AFTER = timedelta(days=14)


@bp.app_context_processor
def workspace_context() -> dict:
    return {
        "focus_patient": focus_patient,
        "crisis_numbers": safety.crisis_numbers,
        "safeguarding_contact": safety.safeguarding_contact,
        "sp": presenters,
        "need_themes": NEED_THEMES,
        "statuses": STATUSES,
        "flag_guidance": safety.FLAG_GUIDANCE,
        "show_crisis_panel": _show_crisis_panel,
    }


def _show_crisis_panel() -> bool:
    return current_user.is_authenticated and current_user.role in (LINK_WORKER, SUPERVISOR)


def _back_to_patient(patient_id: str) -> Response:
    return redirect(url_for("prescribing.show_patient", patient_id=patient_id), code=303)


@bp.get("/caseload")
@roles_required(LINK_WORKER)
def caseload():
    return _caseload_page(current_user.id, read_only=False)


def _caseload_page(owner_id, read_only: bool, owner=None):
    today = date.today()
    due_today, overdue = queries.follow_ups([owner_id], today)
    record_audit("caseload.view", "user", str(owner_id))
    db.session.commit()
    return render_page(
        "prescribing/caseload.html",
        patients=queries.patients_of([owner_id]),
        closed=queries.recently_closed([owner_id]),
        due_today=due_today,
        overdue=overdue,
        activity=queries.recent_activity([owner_id]),
        figures=queries.caseload_figures(owner_id, today),
        read_only=read_only,
        owner=owner,
        status_form=forms.StatusForm(),
    )


@bp.route("/patients/new", methods=["GET", "POST"])
@roles_required(LINK_WORKER)
def new_patient():
    form = forms.PatientForm()
    if form.validate_on_submit():
        patient = actions.create_patient(
            current_user.id, form.details(), form.referral_accepted.data
        )
        return _back_to_patient(patient.id)
    return render_page("prescribing/patient_form.html", form=form, patient=None)


@bp.route("/patients/<uuid:patient_id>/edit", methods=["GET", "POST"])
@roles_required(LINK_WORKER)
def edit_patient(patient_id):
    patient = changeable_patient(str(patient_id))
    form = forms.PatientForm(
        obj=patient,
        data=None if request.method == "POST" else {"postcode": patient.search_postcode},
    )
    if form.validate_on_submit():
        actions.update_patient(patient, form.details())
        return _back_to_patient(patient.id)
    if request.method == "GET":
        actions.record_view(patient, "patient.edit")
    return render_page("prescribing/patient_form.html", form=form, patient=patient)


@bp.get("/patients/<uuid:patient_id>")
@roles_required(LINK_WORKER, SUPERVISOR)
def show_patient(patient_id):
    patient = readable_patient(str(patient_id))
    actions.record_view(patient)
    return _patient_page(patient)


def _patient_page(patient, status: int = 200, **forms_in_error):
    from signpost.supervision.queries import items_for_patient

    return render_page(
        "prescribing/patient.html",
        status=status,
        patient=patient,
        editable=can_change(patient),
        outcomes=queries.outcome_summaries(patient),
        measures=queries.active_measures(),
        supervision_items=items_for_patient(patient),
        status_form=forms.StatusForm(),
        confirm_form=forms.ConfirmForm(),
        flag_form=forms_in_error.get("flag_form") or forms.FlagForm(prefix="flag"),
        discuss_form=forms_in_error.get("discuss_form") or forms.DiscussForm(prefix="discuss"),
        close_form=forms_in_error.get("close_form") or forms.CloseEpisodeForm(prefix="close"),
        error=forms_in_error.get("error"),
        is_focus=(focus_patient() is not None and focus_patient().id == patient.id),
    )


@bp.post("/patients/<uuid:patient_id>/focus")
@roles_required(LINK_WORKER)
def focus_on_patient(patient_id):
    patient = changeable_patient(str(patient_id))
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    set_focus_patient(patient)
    actions.set_focus(patient)
    return redirect(url_for("web.search_page"), code=303)


@bp.post("/focus/clear")
@roles_required(LINK_WORKER)
def clear_focus():
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    set_focus_patient(None)
    return redirect(url_for("prescribing.caseload"), code=303)


@bp.post("/patients/<uuid:patient_id>/referral-accepted")
@roles_required(LINK_WORKER)
def record_referral(patient_id):
    return _snomed_action(str(patient_id), actions.record_referral_accepted)


@bp.post("/patients/<uuid:patient_id>/declined")
@roles_required(LINK_WORKER)
def record_declined(patient_id):
    return _snomed_action(str(patient_id), actions.record_declined)


def _snomed_action(patient_id: str, action):
    patient = changeable_patient(patient_id)
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action(patient)
    except actions.ActionRefused as refused:
        return _patient_page(patient, status=409, error=refused.message)
    return _back_to_patient(patient.id)


@bp.post("/patients/<uuid:patient_id>/prescriptions")
@roles_required(LINK_WORKER)
def add_to_plan(patient_id):
    """From a search result: add the service to this patient's plan in one click."""
    patient = changeable_patient(str(patient_id))
    form = forms.PrescribeForm()
    valid = form.validate_on_submit()
    service = db.session.get(Service, form.service_id.data) if valid else None
    if service is None:
        abort(400, description="Choose a service, the need it answers and how.")
    try:
        prescription = actions.prescribe_service(
            patient,
            service,
            form.need_theme.data,
            form.how.data,
            current_user.id,
            follow_up_date=date.today() + FOLLOW_UP_AFTER,
        )
    except actions.ActionRefused as refused:
        abort(409, description=refused.message)
    if is_fragment_request():
        return render_page(
            "prescribing/_result_actions.html", added=prescription, item=None, status=200
        )
    return _back_to_patient(patient.id)


@bp.post("/prescriptions/<uuid:prescription_id>/status")
@roles_required(LINK_WORKER)
def change_status(prescription_id):
    prescription = changeable_prescription(str(prescription_id))
    form = forms.StatusForm()
    error = None
    if not form.validate_on_submit():
        error = "; ".join(e for errors in form.errors.values() for e in errors)
    else:
        try:
            actions.change_status(prescription, form.status.data, current_user.id)
        except TransitionRefused as refused:
            error = refused.message
    if is_fragment_request():
        return render_page(
            "prescribing/_status_control.html",
            prescription=prescription,
            status_form=forms.StatusForm(formdata=None),
            status_place=form.place.data if form.place.data in forms.STATUS_PLACES else None,
            error=error,
        )
    if error:
        abort(409, description=error)
    return _back_to_patient(prescription.patient_id)


@bp.post("/prescriptions/<uuid:prescription_id>/follow-up")
@roles_required(LINK_WORKER)
def set_follow_up(prescription_id):
    prescription = changeable_prescription(str(prescription_id))
    form = forms.FollowUpForm()
    if not form.validate_on_submit():
        abort(400, description="Enter the follow-up date as a real date.")
    actions.set_follow_up(prescription, form.follow_up_date.data)
    return _back_to_patient(prescription.patient_id)


@bp.route("/patients/<uuid:patient_id>/outcomes/new", methods=["GET", "POST"])
@roles_required(LINK_WORKER)
def record_outcome(patient_id):
    patient = changeable_patient(str(patient_id))
    actions.ensure_built_in_measures()
    measure = queries.active_measure(request.values.get("measure", "ons4"))
    if measure is None:
        abort(404)
    definition = MeasureDefinition.from_dict(measure.definition)
    has_first = any(r.stage == "first_contact" for r in patient.outcome_records)
    form = forms.OutcomeForm(
        measure=measure.code, stage="follow_up" if has_first else "first_contact"
    )
    answer_errors: dict[str, str] = {}
    error = None
    if form.validate_on_submit():
        try:
            actions.record_outcome(
                patient,
                measure,
                request.form.to_dict(),
                form.stage.data,
                form.taken_at.data,
                current_user.id,
            )
            return _back_to_patient(patient.id)
        except InvalidAnswers as invalid:
            answer_errors = invalid.errors
        except actions.ActionRefused as refused:
            error = refused.message
    elif request.method == "GET":
        actions.record_view(patient, "patient.outcomes")
    status = 422 if (answer_errors or error or form.errors) else 200
    return render_page(
        "prescribing/outcome_form.html",
        status=status,
        patient=patient,
        form=form,
        definition=definition,
        answer_errors=answer_errors,
        error=error,
        values=request.form,
    )


@bp.post("/patients/<uuid:patient_id>/flags")
@roles_required(LINK_WORKER)
def raise_flag(patient_id):
    patient = changeable_patient(str(patient_id))
    form = forms.FlagForm(prefix="flag")
    if form.validate_on_submit():
        try:
            actions.raise_flag(patient, form.kind.data, form.reason.data, current_user.id)
            return _back_to_patient(patient.id)
        except actions.ActionRefused as refused:
            form.reason.errors = [refused.message]
    return _patient_page(patient, status=422, flag_form=form)


@bp.post("/patients/<uuid:patient_id>/discuss")
@roles_required(LINK_WORKER)
def ask_to_discuss(patient_id):
    from signpost.supervision.actions import ask_to_discuss as ask

    patient = changeable_patient(str(patient_id))
    form = forms.DiscussForm(prefix="discuss")
    if form.validate_on_submit():
        ask(patient, form.reason.data, current_user.id)
        return _back_to_patient(patient.id)
    return _patient_page(patient, status=422, discuss_form=form)


@bp.post("/patients/<uuid:patient_id>/close")
@roles_required(LINK_WORKER)
def close_episode(patient_id):
    patient = changeable_patient(str(patient_id))
    form = forms.CloseEpisodeForm(prefix="close")
    if form.validate_on_submit():
        try:
            actions.close_episode(patient, form.reason.data)
        except actions.ActionRefused as refused:
            return _patient_page(patient, status=409, error=refused.message)
        drop_focus_on(patient)
        flash("Episode closed. It is listed under “Recently closed” on your caseload.")
        return redirect(url_for("prescribing.caseload"), code=303)
    return _patient_page(patient, status=422, close_form=form)


@bp.post("/patients/<uuid:patient_id>/reopen")
@roles_required(LINK_WORKER)
def start_new_episode(patient_id):
    return _snomed_action(str(patient_id), actions.start_new_episode)


@bp.get("/patients/<uuid:patient_id>/handout")
@roles_required(LINK_WORKER, SUPERVISOR)
def handout(patient_id):
    patient = readable_patient(str(patient_id))
    actions.record_view(patient, "patient.handout")
    shown = [p for p in patient.prescriptions if p.status not in ("declined", "withdrawn")]
    return render_template("prescribing/handout.html", patient=patient, prescriptions=shown)


@bp.get("/patients/<uuid:patient_id>/gp-message")
@roles_required(LINK_WORKER, SUPERVISOR)
def gp_message_page(patient_id):
    patient = readable_patient(str(patient_id))
    actions.record_view(patient, "patient.gp_message")
    return render_page(
        "prescribing/gp_message.html", patient=patient, text=gp_message.message_text(patient)
    )


@bp.get("/gp-export")
@roles_required(LINK_WORKER, SUPERVISOR)
def gp_export():
    form = forms.PracticeExportForm(request.args)
    if request.args and form.validate():
        practice = form.practice.data  # a checked ODS code: fits the audit subject_id
        owners, start, end = visible_owner_ids(), form.start.data, form.end.data
        rows = queries.prescriptions_for_practice(owners, practice, start, end)
        declined = queries.declined_at_practice(owners, practice, start, end)
        record_audit(
            "gp_export.download",
            "practice",
            practice,
            {
                "from": start.isoformat(),
                "to": end.isoformat(),
                "rows": len(rows),
                "declined": len(declined),
            },
        )
        db.session.commit()
        filename = f"signpost-{practice}-{form.start.data}-{form.end.data}.csv"
        return Response(
            gp_message.practice_csv(rows, declined),
            mimetype="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Cache-Control": "no-store",
            },
        )
    status = 422 if request.args else 200
    return render_page("prescribing/gp_export.html", form=form, status=status)
