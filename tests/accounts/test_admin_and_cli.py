"""Administering accounts: invitations, roles, supervisors, the CLI and demo accounts."""

from __future__ import annotations

import re

import pyotp

from signpost.accounts.demo import DEMO_PASSWORD, ensure_demo_accounts
from signpost.accounts.models import User
from signpost.accounts.roles import ADMIN, LINK_WORKER, SUPERVISOR
from signpost.audit.models import AuditEvent
from signpost.extensions import db
from tests.factories import csrf_token, login, make_user
from tests.pages import parse_page


def test_admin_invites_and_the_link_works_once(app, client_as):
    admin = client_as(ADMIN)
    token = csrf_token(admin, "/admin/users")
    response = admin.post(
        "/admin/users/invite",
        data={
            "invite-email": "New.Worker@Example.org",
            "invite-name": "New",
            "invite-role": LINK_WORKER,
            "csrf_token": token,
        },
    )
    link = parse_page(response).find(id="invite-link").get_text()
    path = re.sub(r"^https?://[^/]+", "", link)
    invited = app.test_client()
    form_token = csrf_token(invited, path)
    done = invited.post(
        path,
        data={
            "password": "a brand new password",
            "confirm": "a brand new password",
            "csrf_token": form_token,
        },
    )
    assert done.status_code == 302
    user = db.session.query(User).filter_by(email="new.worker@example.org").one()
    assert user.role == LINK_WORKER and user.password_hash
    assert invited.get(path).status_code == 404, "the link is single-use"


def test_tampered_invitation_link_is_refused(app, client):
    assert client.get("/set-password/not-a-real-token").status_code == 404


def test_admin_changes_role_supervisor_and_disables(app, client_as):
    admin = client_as(ADMIN)
    supervisor = make_user(SUPERVISOR)
    worker = make_user(LINK_WORKER)
    token = csrf_token(admin, "/admin/users")
    prefix = f"user-{worker.id}-"
    response = admin.post(
        f"/admin/users/{worker.id}",
        data={
            prefix + "role": LINK_WORKER,
            prefix + "supervisor_id": str(supervisor.id),
            "csrf_token": token,
        },
    )
    assert response.status_code == 303
    db.session.refresh(worker)
    assert worker.supervisor_id == supervisor.id and worker.enabled is False
    audit = db.session.query(AuditEvent).filter_by(action="user_changed").one()
    assert audit.subject_id == str(worker.id)


def test_only_admins_reach_the_accounts_page(app, client_as):
    assert client_as(LINK_WORKER).get("/admin/users").status_code == 403
    assert client_as(SUPERVISOR).get("/admin/users").status_code == 403
    assert client_as(ADMIN).get("/admin/users").status_code == 200


def test_create_user_command(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "create-user",
            "cli@example.org",
            "--role",
            "supervisor",
            "--password",
            "long enough password",
        ]
    )
    assert result.exit_code == 0, result.output
    assert db.session.query(User).filter_by(email="cli@example.org").one().role == SUPERVISOR
    again = runner.invoke(
        args=["create-user", "cli@example.org", "--role", "admin", "--password", "x" * 12]
    )
    assert again.exit_code != 0 and "already" in again.output
    short = runner.invoke(
        args=["create-user", "s@example.org", "--role", "admin", "--password", "short"]
    )
    assert short.exit_code != 0


def test_demo_accounts_only_when_enabled(app, client):
    assert ensure_demo_accounts() == 0
    app.config["SIGNPOST_DEMO_ACCOUNTS"] = True
    assert ensure_demo_accounts() == 5
    assert ensure_demo_accounts() == 0
    worker = db.session.query(User).filter_by(email="linkworker@example.org").one()
    assert worker.supervisor.email == "supervisor@example.org"
    assert login(client, worker, DEMO_PASSWORD).status_code == 302


def _change(admin_client, user, **fields):
    prefix = f"user-{user.id}-"
    data = {prefix + key: value for key, value in fields.items()}
    return admin_client.post(
        f"/admin/users/{user.id}",
        data={**data, "csrf_token": csrf_token(admin_client, "/admin/users")},
    )


def test_the_last_enabled_administrator_cannot_be_disabled_or_demoted(app, client_as):
    admin = client_as(ADMIN)
    me = admin.user
    for change in ({"role": ADMIN}, {"role": LINK_WORKER, "enabled": "y"}):  # off; demoted
        response = _change(admin, me, supervisor_id="", **change)
        assert response.status_code == 409
        summary = parse_page(response).select_one(".nhsuk-error-summary").get_text()
        assert "only enabled directory administrator" in summary
        db.session.refresh(me)
        assert (me.role, me.enabled) == (ADMIN, True)
    assert db.session.query(AuditEvent).filter_by(action="user_changed").count() == 0

    make_user(ADMIN, email="second.admin@example.org")
    assert _change(admin, me, role=LINK_WORKER, supervisor_id="", enabled="y").status_code == 303
    db.session.refresh(me)
    assert me.role == LINK_WORKER


def test_admin_unlocks_a_locked_account(app, client, client_as):
    worker = make_user(LINK_WORKER)
    for _ in range(5):
        login(client, worker, password="not the password")
    assert "locked" in login(client, worker).get_data(as_text=True)
    admin = client_as(ADMIN)
    row = parse_page(admin.get("/admin/users")).select_one(f"#user-row-{worker.id}")
    assert "locked until" in row.get_text()
    form = next(f for f in row.select("form") if "Unlock account" in f.get_text())
    assert admin.post(form["action"]).status_code == 400, "no CSRF token"
    response = admin.post(form["action"], data={"csrf_token": csrf_token(admin, "/admin/users")})
    assert response.status_code == 303
    page = parse_page(admin.get("/admin/users"))
    assert f"Unlocked {worker.email}" in page.get_text()
    assert "locked until" not in page.select_one(f"#user-row-{worker.id}").get_text()
    assert login(client, worker).status_code == 302
    event = db.session.query(AuditEvent).filter_by(action="account_unlocked").one()
    assert (event.subject_id, event.user_id) == (str(worker.id), admin.user.id)


def test_admin_resets_a_lost_authenticator(app, client, client_as):
    worker = make_user(SUPERVISOR, totp_secret=pyotp.random_base32())
    admin = client_as(ADMIN)
    row = parse_page(admin.get("/admin/users")).select_one(f"#user-row-{worker.id}")
    assert "2FA on" in row.get_text()
    form = next(f for f in row.select("form") if "Reset two-factor" in f.get_text())
    response = admin.post(form["action"], data={"csrf_token": csrf_token(admin, "/admin/users")})
    assert response.status_code == 303
    row = parse_page(admin.get("/admin/users")).select_one(f"#user-row-{worker.id}")
    assert "2FA on" not in row.get_text()
    assert "Reset two-factor" not in row.get_text()
    db.session.refresh(worker)
    assert worker.totp_secret is None
    assert login(client, worker).headers["Location"] == "/", "no code asked for now"
    event = db.session.query(AuditEvent).filter_by(action="totp_reset").one()
    assert event.subject_id == str(worker.id) and event.detail is None


def test_only_administrators_unlock_or_reset(app, client_as):
    worker = make_user(LINK_WORKER)
    for role in (LINK_WORKER, SUPERVISOR):
        other = client_as(role)
        token = csrf_token(other, "/")
        for action in ("unlock", "reset-two-factor"):
            url = f"/admin/users/{worker.id}/{action}"
            assert other.post(url, data={"csrf_token": token}).status_code == 403
