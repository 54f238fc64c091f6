"""Closing the loop: a referral e-mails the opted-in organisation a signed link; its
answer moves the prescription through the status machine, once, and proves the listing alive."""

from __future__ import annotations

import time
from datetime import date
from urllib.parse import urlsplit

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select

from signpost.accounts.roles import LINK_WORKER
from signpost.audit.models import AuditEvent
from signpost.extensions import db
from signpost.listings.freshness_models import ListingFreshness, ReferralFeedback
from signpost.listings.ownership import policy_for
from signpost.listings.referral_feedback import referral_reference, token_for
from signpost.prescribing.models import Prescription
from tests.factories import csrf_token, make_user
from tests.listings.conftest import signed_in
from tests.pages import parse_page
from tests.prescribing.conftest import acting_as, details

ORG_INBOX = "referrals@stratford.example.org"


@pytest.fixture
def referral(app, listings):
    """A patient of a link worker, the listing's organisation opted in to feedback."""
    from signpost.prescribing import actions

    policy_for(listings.ours.id).referral_feedback_email = ORG_INBOX
    db.session.commit()
    link_worker = make_user(LINK_WORKER, email="lw@practice.example.org")
    with acting_as(app, link_worker):
        patient = actions.create_patient(link_worker.id, details(), referral_accepted=True)
    client = signed_in(app, link_worker)
    return patient, client


def _refer(app, client, patient, service, how="referred"):
    token = csrf_token(client, f"/patients/{patient.id}")
    response = client.post(
        f"/patients/{patient.id}/prescriptions",
        data={
            "csrf_token": token,
            "service_id": service.id,
            "need_theme": "loneliness",
            "how": how,
        },
    )
    assert response.status_code in (302, 303), response.get_data(as_text=True)
    return db.session.scalar(
        select(Prescription)
        .where(Prescription.service_id == service.id)
        .order_by(Prescription.created_at.desc())
    )


def _answer(client, path, answer):
    token = csrf_token(client, path)
    return client.post(path, data={"csrf_token": token, "answer": answer})


def test_referral_emails_the_organisation_and_yes_moves_to_accepted(
    app, listings, referral, mailbox
):
    patient, link_worker = referral
    app.config["SIGNPOST_BASE_URL"] = "https://signpost.example.org"
    prescription = _refer(app, link_worker, patient, listings.service)
    assert prescription.status == "referred"

    (message,) = mailbox.to(ORG_INBOX)
    body = mailbox.body(message)
    reference = referral_reference(prescription)
    assert f"{date.today():%-d %B %Y}" in body and f"reference {reference}" in body
    for private in (patient.reference, patient.nhs_number, patient.full_postcode, "1956"):
        assert private not in body and private not in message["Subject"]
    (link,) = mailbox.links(message)
    assert link.startswith("https://signpost.example.org/referral-feedback/")

    public = app.test_client()  # no account, no login
    path = urlsplit(link).path
    page = parse_page(public.get(path))
    question = page.h1.get_text(" ", strip=True)
    assert f"referred on {date.today():%-d %B %Y} (reference {reference}) make contact" in question
    buttons = [b.get_text(strip=True) for b in page.select("#feedback-form button")]
    assert buttons == ["Yes, they made contact", "Not yet", "The service was not suitable"]

    response = _answer(public, path, "made_contact")
    assert response.status_code == 200
    assert "Thank you" in parse_page(response).select_one("#feedback-thanks").get_text()
    db.session.refresh(prescription)
    assert prescription.status == "accepted"
    assert prescription.history[-1].changed_by_id is None
    assert [c.to_status for c in prescription.history] == ["referred", "accepted"]
    feedback = db.session.scalar(select(ReferralFeedback))
    assert (feedback.answer, feedback.moved_to) == ("made_contact", "accepted")
    sign_of_life = db.session.get(ListingFreshness, listings.service.id)
    assert sign_of_life.feedback_confirmed_on == date.today()
    answered = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "referral_feedback.answer")
    )
    assert answered.detail["answer"] == "made_contact" and answered.user_id is None

    again = _answer(public, path, "not_suitable")
    assert again.status_code == 409
    assert "already answered" in parse_page(again).select_one("#already-answered").get_text()
    assert db.session.get(Prescription, prescription.id).status == "accepted"


def test_not_yet_is_recorded_without_moving_the_status(app, listings, referral, mailbox):
    patient, link_worker = referral
    prescription = _refer(app, link_worker, patient, listings.service)
    path = urlsplit(mailbox.links(mailbox.messages[0])[0]).path
    assert _answer(app.test_client(), path, "not_yet").status_code == 200
    db.session.refresh(prescription)
    assert prescription.status == "referred"
    assert db.session.scalar(select(ReferralFeedback)).answer == "not_yet"


def test_answer_is_kept_when_the_status_cannot_move(app, listings, referral, mailbox):
    patient, link_worker = referral
    prescription = _refer(app, link_worker, patient, listings.service)
    token = csrf_token(link_worker, f"/patients/{patient.id}")
    link_worker.post(
        f"/prescriptions/{prescription.id}/status", data={"csrf_token": token, "status": "accepted"}
    )
    path = urlsplit(mailbox.links(mailbox.messages[0])[0]).path
    response = _answer(app.test_client(), path, "not_suitable")
    assert response.status_code == 200
    db.session.refresh(prescription)
    assert prescription.status == "accepted"  # accepted -> declined is not an allowed move
    feedback = db.session.scalar(select(ReferralFeedback))
    assert (feedback.answer, feedback.moved_to) == ("not_suitable", None)


def test_signposting_and_organisations_not_opted_in_get_no_email(app, listings, referral, mailbox):
    patient, link_worker = referral
    _refer(app, link_worker, patient, listings.service, how="signposted")
    _refer(app, link_worker, patient, listings.their_service)
    assert mailbox.messages == []
    assert db.session.scalar(select(ReferralFeedback)) is None


def test_moving_a_suggestion_to_referred_asks_too(app, listings, referral, mailbox):
    patient, link_worker = referral
    prescription = _refer(app, link_worker, patient, listings.service, how="signposted")
    token = csrf_token(link_worker, f"/patients/{patient.id}")
    link_worker.post(
        f"/prescriptions/{prescription.id}/status", data={"csrf_token": token, "status": "referred"}
    )
    assert len(mailbox.to(ORG_INBOX)) == 1


def test_tampered_and_expired_links_are_refused(app, listings, referral, mailbox, monkeypatch):
    patient, link_worker = referral
    _refer(app, link_worker, patient, listings.service)
    path = urlsplit(mailbox.links(mailbox.messages[0])[0]).path
    public = app.test_client()

    tampered = path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB")
    response = public.get(tampered)
    assert response.status_code == 400
    assert parse_page(response).h1.get_text() == "This link is not valid"
    token = csrf_token(public, "/")
    response = public.post(tampered, data={"csrf_token": token, "answer": "made_contact"})
    assert response.status_code == 400
    assert db.session.scalar(select(ReferralFeedback)).answer is None

    feedback = db.session.scalar(select(ReferralFeedback))
    month_ago = int(time.time()) - 31 * 24 * 60 * 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: month_ago)
    expired = token_for(feedback)
    monkeypatch.undo()
    response = public.get(f"/referral-feedback/{expired}")
    assert response.status_code == 410
    assert parse_page(response).h1.get_text() == "This link has expired"
    assert db.session.get(ReferralFeedback, feedback.id).answer is None


def test_editor_sets_and_clears_the_feedback_address(app, listings):
    editor = signed_in(app, listings.editor)
    path = f"/organisations/{listings.ours.id}/referral-feedback"
    page = parse_page(editor.get(path))
    assert "not receiving" in page.select_one("#feedback-status").get_text()

    token = csrf_token(editor, path)
    bad = editor.post(path, data={"csrf_token": token, "email": "not an address", "save": "Save"})
    assert bad.status_code == 400
    assert "Enter an e-mail address" in parse_page(bad).get_text()

    response = editor.post(path, data={"csrf_token": token, "email": ORG_INBOX, "save": "Save"})
    assert response.status_code == 303
    assert policy_for(listings.ours.id).referral_feedback_email == ORG_INBOX
    assert ORG_INBOX in parse_page(editor.get(path)).select_one("#feedback-status").get_text()

    editor.post(path, data={"csrf_token": token, "stop": "Stop these e-mails"})
    db.session.expire_all()
    assert policy_for(listings.ours.id).referral_feedback_email is None
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "listing.referral_feedback_policy")
    )
    assert [e.detail["opted_in"] for e in events] == [True, False]


def test_only_the_organisations_editors_and_admins_set_the_address(app, listings):
    path = f"/organisations/{listings.ours.id}/referral-feedback"
    assert signed_in(app, listings.admin).get(path).status_code == 200
    other = signed_in(app, listings.other_editor)
    assert other.get(path).status_code == 403
    token = csrf_token(other, "/")
    response = other.post(path, data={"csrf_token": token, "email": "x@example.org"})
    assert response.status_code == 403
    assert policy_for(listings.ours.id).referral_feedback_email is None
