"""Organisation editors: invited by an administrator, or by claiming a listed organisation."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from itsdangerous import TimestampSigner
from sqlalchemy import select

from signpost.accounts.actions import invitation_token
from signpost.accounts.models import User
from signpost.accounts.roles import ORG_EDITOR
from signpost.audit.models import AuditEvent
from signpost.extensions import db
from signpost.listings.models import OrganizationClaim
from signpost.listings.ownership import editable_organization_ids, policy_for
from tests.directory_factories import make_organization, make_service
from tests.factories import csrf_token
from tests.pages import parse_page

PASSWORD = "a long enough password"


def invite(admin, organization, email="new.editor@example.org"):
    path = f"/admin/organisations/{organization.id}"
    response = admin.post(
        f"{path}/invite",
        data={
            "csrf_token": csrf_token(admin, path),
            "invite-email": email,
            "invite-name": "Nia",
        },
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    return parse_page(response)


def set_password(client, link: str):
    path = link.replace("http://localhost", "")
    return client.post(
        path,
        data={"csrf_token": csrf_token(client, path), "password": PASSWORD, "confirm": PASSWORD},
    )


def test_invited_editor_sets_a_password_once_and_edits_their_organisation(app, admin, client):
    organization = make_organization(db.session, "Forest Gate Gardeners")
    make_service(db.session, "Community Allotment", organization=organization)
    page = invite(admin, organization)
    link = page.select_one("#invite-link").get_text()
    user = db.session.scalar(select(User).where(User.email == "new.editor@example.org"))
    assert user.role == ORG_EDITOR
    assert editable_organization_ids(user) == {organization.id}
    assert "Nia (new.editor@example.org): invited" in page.select_one("#editors").get_text()

    assert set_password(client, link).status_code == 302
    again = client.get(link.replace("http://localhost", ""))
    assert again.status_code == 404 and "This link is not valid" in again.get_data(as_text=True)

    client.post(
        "/login",
        data={
            "email": "new.editor@example.org",
            "password": PASSWORD,
            "csrf_token": csrf_token(client),
        },
    )
    dashboard = parse_page(client.get("/your-listings"))
    assert "Community Allotment" in dashboard.get_text()
    assert dashboard.find("a", string="Your listings") is not None


def test_invitation_expires_after_seven_days(app, admin, client, monkeypatch):
    organization = make_organization(db.session)
    link = invite(admin, organization).select_one("#invite-link").get_text()
    user = db.session.scalar(select(User).where(User.email == "new.editor@example.org"))
    six_days_ago = int(time.time()) - 6 * 24 * 3600
    eight_days_ago = int(time.time()) - 8 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: six_days_ago)
        recent = invitation_token(user)
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: eight_days_ago)
        old = invitation_token(user)
    assert client.get(link.replace("http://localhost", "")).status_code == 200
    assert client.get(f"/set-password/{recent}").status_code == 200
    response = client.get(f"/set-password/{old}")
    assert response.status_code == 404 and "This link is not valid" in response.get_data(
        as_text=True
    )


def test_tampered_invitation_is_refused(app, admin, client):
    organization = make_organization(db.session)
    link = invite(admin, organization).select_one("#invite-link").get_text()
    tampered = link[:-3] + ("abc" if not link.endswith("abc") else "xyz")
    assert client.get(tampered.replace("http://localhost", "")).status_code == 404


def test_inviting_a_staff_account_that_is_not_an_editor_is_refused(app, admin, client_as):
    organization = make_organization(db.session)
    link_worker = client_as("link_worker").user
    path = f"/admin/organisations/{organization.id}"
    response = admin.post(
        f"{path}/invite",
        data={"csrf_token": csrf_token(admin, path), "invite-email": link_worker.email},
    )
    assert response.status_code == 400
    assert "not an organisation editor" in response.get_data(as_text=True)
    assert editable_organization_ids(link_worker) == set()


def claim(client, organization, **fields):
    data = {
        "csrf_token": csrf_token(client, "/organisations/claim"),
        "organization_id": organization.id,
        "name": "Sam Okafor",
        "email": "Sam@Example.org",
        "role_in_group": "Coordinator",
        "note": "I run the Tuesday group.",
        **fields,
    }
    return client.post("/organisations/claim", data=data)


def test_claim_is_checked_then_approved_into_an_editor(app, admin, client, mailbox):
    organization = make_organization(db.session, "Plaistow Men's Shed")
    form = parse_page(client.get(f"/organisations/claim?organisation={organization.id}"))
    assert form.select_one("#organization_id option[selected]")["value"] == organization.id

    bad = claim(client, organization, email="nope", role_in_group="")
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Enter a real email address." in text and "Say what your role in the group is." in text

    assert claim(client, organization).status_code == 303
    queue = parse_page(admin.get("/admin/moderation"))
    card = queue.select_one("[data-claim-id]")
    assert "Sam Okafor (Coordinator), sam@example.org" in card.get_text()

    claim_id = card["data-claim-id"]
    response = admin.post(
        f"/admin/moderation/claims/{claim_id}/approve",
        data={"csrf_token": csrf_token(admin, "/admin/moderation")},
    )
    page = parse_page(response)
    link = page.select_one("#invite-link").get_text()
    assert "/set-password/" in link
    assert "We emailed them this link" in page.select_one("#invitation-mailed").get_text()
    (message,) = mailbox.to("sam@example.org")
    subject = message["Subject"].strip()
    assert subject == "Signpost: you can now update Plaistow Men's Shed's listings"
    body = mailbox.body(message)
    assert "Hello Sam Okafor" in body and "approved your request" in body
    (emailed_link,) = mailbox.links(message)
    assert emailed_link == link
    assert client.get(urlsplit(emailed_link).path).status_code == 200
    user = db.session.scalar(select(User).where(User.email == "sam@example.org"))
    assert editable_organization_ids(user) == {organization.id}
    assert db.session.get(OrganizationClaim, int(claim_id)).status == "approved"
    assert parse_page(admin.get("/admin/moderation")).select_one("[data-claim-id]") is None


def test_claim_can_be_refused_with_a_reason(app, admin, client, mailbox):
    organization = make_organization(db.session)
    claim(client, organization)
    claim_id = db.session.scalar(select(OrganizationClaim.id))
    response = admin.post(
        f"/admin/moderation/claims/{claim_id}/reject",
        data={
            "csrf_token": csrf_token(admin, "/admin/moderation"),
            "claim-reason": "Not known to the group",
        },
    )
    assert response.status_code == 303
    decided = db.session.get(OrganizationClaim, claim_id)
    assert decided.status == "rejected" and decided.reason == "Not known to the group"
    assert "We emailed them the reason." in admin.get("/admin/moderation").get_data(as_text=True)
    (message,) = mailbox.to("sam@example.org")
    assert message["Subject"].strip().startswith("Signpost: your request about")
    body = mailbox.body(message)
    assert "could not approve it" in body and "Their reason: Not known to the group" in body
    assert mailbox.links(message)[0].endswith("/organisations/claim")
    assert db.session.scalar(select(User).where(User.email == "sam@example.org")) is None


def test_admin_marks_an_organisation_trusted(app, admin):
    organization = make_organization(db.session, "Trusty Group")
    db.session.commit()
    listing_page = parse_page(admin.get("/admin/organisations"))
    assert "Trusty Group" in listing_page.select_one("#organizations").get_text()
    path = f"/admin/organisations/{organization.id}"
    response = admin.post(
        f"{path}/trust", data={"csrf_token": csrf_token(admin, path), "trusted": "y"}
    )
    assert response.status_code == 303
    assert policy_for(organization.id).trusted is True
    page = parse_page(admin.get(path))
    assert page.select_one("#trusted").has_attr("checked")
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "organization.trust_changed")
    )
    assert event.detail == {"trusted": True}
