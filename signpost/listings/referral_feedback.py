"""Closing the loop with groups that have no account: "did the person make contact?".

When a link worker records a referral to a service whose organisation has opted in
(``OrganizationPolicy.referral_feedback_email``), the organisation gets one e-mail with
a signed link (itsdangerous, valid ``SIGNPOST_REFERRAL_FEEDBACK_DAYS``). The public
answer page offers three answers; each is recorded once, moves the prescription through
the same status machine as the link worker's own buttons where the move is allowed
(yes -> accepted, not suitable -> declined, not yet -> no move), and counts as a sign
of life for the listing. The e-mail names only the referral's date and reference (the
prescription's, never the patient's).
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from signpost.audit.log import record_audit
from signpost.directory.models import utcnow
from signpost.extensions import db
from signpost.listings.freshness import record_sign_of_life
from signpost.listings.freshness_models import FEEDBACK_ANSWERS, ReferralFeedback
from signpost.listings.models import OrganizationPolicy
from signpost.mail.links import external_url
from signpost.mail.sending import MailNotSent, send_mail
from signpost.prescribing.actions import change_status
from signpost.prescribing.models import Prescription
from signpost.prescribing.signals import referral_recorded
from signpost.prescribing.statuses import TransitionRefused, check_transition

TOKEN_SALT = "signpost.referral-feedback"
STATUS_FOR_ANSWER = {"made_contact": "accepted", "not_suitable": "declined"}


class FeedbackLinkInvalid(ValueError):
    """Tampered, truncated or signed with another key."""


class FeedbackLinkExpired(ValueError):
    pass


class AlreadyAnswered(ValueError):
    pass


def referral_reference(prescription: Prescription) -> str:
    """A short reference for one prescription, e.g. ``R-3F2A9C1B``: the link worker and
    the group can both quote it, and it says nothing about the person."""
    return "R-" + prescription.id.replace("-", "")[:8].upper()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=TOKEN_SALT)


def token_for(feedback: ReferralFeedback) -> str:
    return _serializer().dumps(feedback.id)


def feedback_for_token(token: str) -> ReferralFeedback | None:
    """The request a link is for; raises FeedbackLinkInvalid or FeedbackLinkExpired."""
    max_age = current_app.config["SIGNPOST_REFERRAL_FEEDBACK_DAYS"] * 24 * 60 * 60
    try:
        feedback_id = _serializer().loads(token, max_age=max_age)
    except SignatureExpired as expired:
        raise FeedbackLinkExpired(str(expired)) from expired
    except BadSignature as bad:
        raise FeedbackLinkInvalid(str(bad)) from bad
    return db.session.get(ReferralFeedback, str(feedback_id))


@referral_recorded.connect
def _referral_recorded(prescription: Prescription, **_ignored) -> None:
    request_feedback(prescription)


def request_feedback(prescription: Prescription) -> ReferralFeedback | None:
    """E-mail the organisation, if it opted in, about a referral just recorded."""
    service = prescription.service
    policy = db.session.get(OrganizationPolicy, service.organization_id)
    if policy is None or not policy.referral_feedback_email:
        return None
    feedback = ReferralFeedback(
        prescription_id=prescription.id,
        service_id=service.id,
        organization_id=service.organization_id,
        reference=referral_reference(prescription),
        referred_on=date.today(),
        sent_to=policy.referral_feedback_email,
    )
    db.session.add(feedback)
    db.session.flush()
    try:
        send_mail(feedback.sent_to, *_feedback_email(feedback))
        feedback.sent_at = utcnow()
    except MailNotSent as error:
        current_app.logger.warning("Referral feedback %s not sent: %s", feedback.id, error)
    record_audit(
        "referral_feedback.request",
        "service",
        service.id,
        {"feedback_id": feedback.id, "sent": feedback.sent_at is not None},
    )
    db.session.commit()
    return feedback


def _feedback_email(feedback: ReferralFeedback) -> tuple[str, str]:
    when = f"{feedback.referred_on:%-d %B %Y}"
    subject = f"Did the person referred to {feedback.service.name} on {when} make contact?"
    days = current_app.config["SIGNPOST_REFERRAL_FEEDBACK_DAYS"]
    link = external_url("referral_feedback.answer_page", token=token_for(feedback))
    body = (
        f"Hello,\n\n"
        f"A link worker using Signpost referred someone to {feedback.service.name} "
        f"on {when} (reference {feedback.reference}).\n\n"
        f"Did the person we referred make contact? Answer in one click, no login needed:\n"
        f"{link}\n\n"
        f"The link works for {days} days and can be answered once. Your answer goes "
        f"straight to the link worker.\n\n"
        f"You get these e-mails because {feedback.organization.name} asked for them. "
        f"An editor of your organisation can stop them in Signpost.\n"
    )
    return subject, body


def answer_feedback(feedback: ReferralFeedback, answer: str) -> str | None:
    """Record the organisation's answer; returns the status the prescription moved to.

    The answer is kept even when the status cannot move (the link worker may already
    have moved it on); a second answer raises AlreadyAnswered.
    """
    if answer not in FEEDBACK_ANSWERS:
        raise ValueError(f"unknown answer {answer!r}")
    if feedback.answer is not None:
        raise AlreadyAnswered(feedback.answer)
    feedback.answer = answer
    feedback.answered_at = utcnow()
    record_sign_of_life(feedback.service_id)
    prescription = db.session.get(Prescription, feedback.prescription_id)
    feedback.moved_to = _allowed_move(prescription.status, STATUS_FOR_ANSWER.get(answer))
    record_audit(
        "referral_feedback.answer",
        "service",
        feedback.service_id,
        {"feedback_id": feedback.id, "answer": answer, "moved_to": feedback.moved_to},
    )
    if feedback.moved_to:
        change_status(prescription, feedback.moved_to, None)  # commits the answer too
    else:
        db.session.commit()
    return feedback.moved_to


def _allowed_move(current: str, target: str | None) -> str | None:
    if target is None or target == current:
        return None
    try:
        check_transition(current, target)
    except TransitionRefused:
        return None
    return target
