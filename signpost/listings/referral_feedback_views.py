"""The public answer page behind a referral-feedback link, and the opt-in setting.

The answer page needs no account: the signed link is the permission. A tampered link
is refused (400), an expired one is gone (410), and each link is answered once.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectChoice, SubmitField
from wtforms.validators import Email, InputRequired, Length, Optional

from signpost.accounts.access import public, roles_required
from signpost.accounts.roles import ADMIN, ORG_EDITOR
from signpost.audit.log import record_audit
from signpost.directory.models import Organization
from signpost.extensions import db
from signpost.htmx import render_page
from signpost.listings import referral_feedback as feedback_actions
from signpost.listings.freshness_models import FEEDBACK_ANSWERS, ReferralFeedback
from signpost.listings.ownership import policy_for, require_organization_editor

bp = Blueprint("referral_feedback", __name__)


class AnswerForm(FlaskForm):
    answer = RadioField(
        "Did the person make contact?",
        choices=[SelectChoice(code, label) for code, label in FEEDBACK_ANSWERS.items()],
        validators=[InputRequired(message="Choose an answer.")],
    )


class PolicyForm(FlaskForm):
    email = EmailField(
        "Send referral e-mails to",
        validators=[
            Optional(),
            Email(message="Enter an e-mail address like team@example.org."),
            Length(max=255),
        ],
    )
    save = SubmitField("Save")
    stop = SubmitField("Stop these e-mails")


def _feedback_or_refusal(token: str) -> ReferralFeedback:
    try:
        feedback = feedback_actions.feedback_for_token(token)
    except feedback_actions.FeedbackLinkExpired:
        abort(_link_page("expired", 410))
    except feedback_actions.FeedbackLinkInvalid:
        abort(_link_page("invalid", 400))
    if feedback is None:
        abort(_link_page("invalid", 404))
    return feedback


def _link_page(problem: str, status: int):
    return render_page("listings/feedback_link_problem.html", problem=problem, status=status)


def _answer_page(feedback: ReferralFeedback, form: AnswerForm, token: str, **context):
    return render_page(
        "listings/feedback_answer.html",
        feedback=feedback,
        form=form,
        token=token,
        answers=FEEDBACK_ANSWERS,
        **context,
    )


@bp.get("/referral-feedback/<string:token>")
@public
def answer_page(token: str):
    return _answer_page(_feedback_or_refusal(token), AnswerForm(), token)


@bp.post("/referral-feedback/<string:token>")
@public
def answer(token: str):
    feedback = _feedback_or_refusal(token)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _answer_page(feedback, form, token, status=400)
    try:
        feedback_actions.answer_feedback(feedback, form.answer.data)
    except feedback_actions.AlreadyAnswered:
        return _answer_page(feedback, form, token, status=409)
    return _answer_page(feedback, form, token, thanks=True)


@bp.route("/organisations/<string:organization_id>/referral-feedback", methods=["GET", "POST"])
@roles_required(ADMIN, ORG_EDITOR)
def edit_policy(organization_id: str):
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        abort(404, description="We could not find that organisation.")
    require_organization_editor(current_user, organization.id)
    policy = policy_for(organization.id)
    form = PolicyForm(data={"email": policy.referral_feedback_email})
    if form.validate_on_submit():
        address = None if form.stop.data else (form.email.data or "").strip() or None
        policy.referral_feedback_email = address
        record_audit(
            "listing.referral_feedback_policy",
            "organization",
            organization.id,
            {"opted_in": address is not None},
        )
        db.session.commit()
        target = url_for("referral_feedback.edit_policy", organization_id=organization.id)
        return redirect(target, 303)
    db.session.commit()  # policy_for may have created the row with its defaults
    status = 400 if form.errors else 200
    return render_page(
        "listings/referral_feedback_policy.html",
        organization=organization,
        policy=policy,
        form=form,
        status=status,
    )
