"""Signing in and out: passwords, lock-out, rate limit, idle timeout, second factor, CSRF."""

from __future__ import annotations

import time

import pyotp
import pytest

from signpost.accounts.roles import ADMIN, LINK_WORKER, SUPERVISOR
from signpost.audit.models import AuditEvent
from signpost.extensions import db
from tests.conftest import make_test_app
from tests.factories import DEFAULT_PASSWORD, csrf_token, login, make_user
from tests.pages import parse_page


def test_sign_in_and_out(app, client):
    user = make_user(LINK_WORKER, name="Lee")
    response = login(client, user)
    assert response.status_code == 302
    page = parse_page(client.get("/"))
    assert "Lee (Link worker)" in page.get_text()
    token = csrf_token(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert "Staff sign in" in client.get("/").get_data(as_text=True)


def test_wrong_password_is_refused_in_words(app, client):
    user = make_user(LINK_WORKER)
    response = login(client, user, password="wrong password!")
    assert response.status_code == 400
    assert "email address or password is not right" in parse_page(response).get_text()


def test_lock_out_after_repeated_failures(app, client):
    user = make_user(LINK_WORKER)
    for _ in range(5):
        login(client, user, password="nope nope nope")
    response = login(client, user)  # even the right password is refused while locked
    assert response.status_code == 400
    assert "locked" in response.get_data(as_text=True)
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions.count("login_failed") == 5 and "account_locked" in actions
    assert "login_refused_locked" in actions


@pytest.mark.parametrize("email", ["lee\x00@example.org", "x" * 256 + "@example.org"])
def test_an_email_no_account_could_have_is_refused_by_the_form(app, client, email):
    response = client.post(
        "/login",
        data={"email": email, "password": DEFAULT_PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 400
    assert parse_page(response).select_one("#email-error") is not None
    assert db.session.query(AuditEvent).count() == 0, "refused before any database lookup"


def test_login_is_rate_limited(app, client):
    user = make_user(LINK_WORKER)
    statuses = [login(client, user, password=f"wrong {n}").status_code for n in range(12)]
    assert 429 in statuses


def test_idle_session_times_out(app, client):
    user = make_user(LINK_WORKER)
    login(client, user)
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    response = client.get("/audit")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert "Staff sign in" in client.get("/").get_data(as_text=True)


def test_idle_htmx_request_is_told_to_load_the_login_page_whole(app, client):
    user = make_user(LINK_WORKER)
    login(client, user)
    with client.session_transaction() as session:
        session["last_seen"] = time.time() - 31 * 60
    response = client.get("/caseload", headers={"HX-Request": "true"})
    assert response.status_code == 200, "HX-* headers are dropped on a 3xx"
    assert "Location" not in response.headers
    assert response.headers["HX-Redirect"].startswith("/login?next=/caseload")
    assert "Staff sign in" not in response.get_data(as_text=True)
    page = parse_page(client.get(response.headers["HX-Redirect"]))
    assert "signed out after a period of inactivity" in page.get_text()


def test_totp_is_asked_for_once_enrolled(app, client):
    secret = pyotp.random_base32()
    user = make_user(SUPERVISOR, totp_secret=secret)
    first = login(client, user)
    assert "/login/code" in first.headers["Location"]
    assert client.get("/audit").status_code == 302, "not signed in before the code"
    wrong = client.post(
        "/login/code", data={"code": "000000", "csrf_token": csrf_token(client, "/login/code")}
    )
    assert wrong.status_code == 400
    login(client, user, totp=pyotp.TOTP(secret).now())
    assert client.get("/audit").status_code == 200


def test_role_requiring_totp_makes_the_user_enrol(app, client):
    from signpost.accounts.actions import set_role_policy

    set_role_policy(ADMIN, True)
    db.session.commit()
    user = make_user(ADMIN)
    response = login(client, user)
    assert "/login/set-up-code" in response.headers["Location"]
    page = client.get("/login/set-up-code").get_data(as_text=True)
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    done = client.post(
        "/login/set-up-code",
        data={
            "secret": secret,
            "code": pyotp.TOTP(secret).now(),
            "csrf_token": csrf_token(client, "/login/set-up-code"),
        },
    )
    assert done.status_code == 302
    assert client.get("/admin/users").status_code == 200
    db.session.refresh(user)
    assert user.totp_secret == secret


def test_password_alone_cannot_enrol_a_new_code_over_an_existing_one(app, client):
    secret = pyotp.random_base32()
    user = make_user(SUPERVISOR, totp_secret=secret)
    login(client, user)  # password right: only the code step is left
    page = client.get("/login/set-up-code")
    assert page.status_code == 302 and "/login/code" in page.headers["Location"]
    attacker_secret = pyotp.random_base32()
    response = client.post(
        "/login/set-up-code",
        data={
            "secret": attacker_secret,
            "code": pyotp.TOTP(attacker_secret).now(),
            "csrf_token": csrf_token(client, "/login/code"),
        },
    )
    assert response.status_code == 302 and "/login/code" in response.headers["Location"]
    assert client.get("/audit").status_code == 302, "still not signed in"
    db.session.refresh(user)
    assert user.totp_secret == secret


def test_enrolment_ignores_a_secret_sent_by_the_browser(app, client):
    from signpost.accounts.actions import set_role_policy

    set_role_policy(ADMIN, True)
    user = make_user(ADMIN)
    login(client, user)
    chosen = pyotp.random_base32()
    response = client.post(
        "/login/set-up-code",
        data={
            "secret": chosen,
            "code": pyotp.TOTP(chosen).now(),
            "csrf_token": csrf_token(client, "/login/set-up-code"),
        },
    )
    assert response.status_code == 400
    assert "That code is not right" in parse_page(response).get_text()
    db.session.refresh(user)
    assert user.totp_secret is None


def test_state_changes_without_csrf_token_are_refused(app, client):
    user = make_user(LINK_WORKER)
    response = client.post("/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    login(client, user)
    assert client.post("/logout").status_code == 400


def test_next_only_goes_to_this_site(app, client):
    user = make_user(SUPERVISOR)
    response = client.post(
        "/login?next=https://evil.example/",
        data={"email": user.email, "password": DEFAULT_PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.headers["Location"] == "/"


def test_anonymous_user_is_sent_to_login_and_back(app, client):
    response = client.get("/audit")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=/audit")
    htmx = client.get("/audit", headers={"HX-Request": "true"})
    assert htmx.headers["HX-Redirect"].startswith("/login")


def test_passwords_are_stored_as_argon2_hashes(app):
    user = make_user(LINK_WORKER)
    assert user.password_hash.startswith("$argon2")
    assert DEFAULT_PASSWORD not in user.password_hash


@pytest.mark.parametrize("enabled", [False])
def test_disabled_accounts_cannot_sign_in(app, client, enabled):
    user = make_user(LINK_WORKER, enabled=enabled)
    assert login(client, user).status_code == 400


def test_production_argon2_profile_is_the_library_default(tmp_path):
    app = make_test_app(tmp_path, SIGNPOST_ARGON2_FAST=False)
    from signpost.accounts.passwords import hash_password

    with app.app_context():
        assert "m=65536" in hash_password("a long enough password")
