"""Signing in and out, setting a password from an invitation, and second-factor set-up."""

from __future__ import annotations

import base64
import io

import pyotp
import qrcode
import qrcode.image.svg
from flask import Blueprint, flash, redirect, request, session, url_for
from flask_login import current_user

from signpost.accounts import actions
from signpost.accounts.access import public, roles_required
from signpost.accounts.forms import CodeForm, LoginForm, SetPasswordForm
from signpost.accounts.roles import ALL_ROLES
from signpost.accounts.sessions import begin_pending, complete_sign_in, pending_user, sign_out
from signpost.extensions import limiter
from signpost.htmx import render_page

bp = Blueprint("accounts", __name__)

LOGIN_LIMIT = "10 per minute"
ENROL_SECRET_KEY = "enrol_totp_secret"


@bp.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = actions.check_password(form.email.data, form.password.data)
        except actions.SignInRefused as refused:
            error = refused.message
        else:
            return _after_password(user)
    status = 400 if request.method == "POST" else 200
    return render_page("accounts/login.html", form=form, error=error, status=status)


def _after_password(user):
    if actions.needs_totp(user):
        begin_pending(user)
        endpoint = "accounts.enter_code" if user.totp_secret else "accounts.enrol_code"
        return redirect(url_for(endpoint, next=_safe_next()))
    actions.record_sign_in(user)
    complete_sign_in(user)
    return redirect(_safe_next() or url_for("web.search_page"))


@bp.route("/login/code", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def enter_code():
    user = pending_user()
    if user is None or not user.totp_secret:
        return redirect(url_for("accounts.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if actions.code_matches(user.totp_secret, form.code.data):
            actions.record_sign_in(user)
            complete_sign_in(user)
            return redirect(_safe_next() or url_for("web.search_page"))
        form.code.errors = ["That code is not right, or has expired. Try the current one."]
    return render_page("accounts/code.html", form=form, status=400 if form.errors else 200)


@bp.route("/login/set-up-code", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def enrol_code():
    pending = pending_user()
    user = pending or (current_user if current_user.is_authenticated else None)
    if user is None:
        return redirect(url_for("accounts.login"))
    if user.totp_secret:
        # Enrolling a new secret would let someone with only the password skip the code.
        if pending is not None:
            return redirect(url_for("accounts.enter_code", next=_safe_next()))
        flash("Your authenticator app is already set up. An administrator can reset it.")
        return redirect(url_for("web.search_page"))
    form = CodeForm()
    secret = _enrolment_secret(user)
    if form.validate_on_submit():
        if actions.code_matches(secret, form.code.data):
            actions.enrol_totp(user, secret)
            actions.record_sign_in(user)
            complete_sign_in(user)
            flash("Your authenticator app is set up.", "success")
            return redirect(_safe_next() or url_for("web.search_page"))
        form.code.errors = ["That code is not right. Check the app shows Signpost and try again."]
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="Signpost")
    return render_page(
        "accounts/enrol.html", form=form, secret=secret, qr=_qr_data_uri(uri),
        status=400 if form.errors else 200,
    )  # fmt: skip


def _enrolment_secret(user) -> str:
    """The secret being set up, kept in the signed session (not a form field, so the
    browser cannot choose it) and tied to the user it was made for."""
    held = session.get(ENROL_SECRET_KEY)
    if not isinstance(held, dict) or held.get("user") != user.id:
        held = {"user": user.id, "secret": pyotp.random_base32()}
        session[ENROL_SECRET_KEY] = held
    return held["secret"]


def _qr_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@bp.post("/logout")
@roles_required(*ALL_ROLES)
def logout():
    sign_out()
    flash("You have signed out.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def set_password(token: str):
    user = actions.user_for_invitation(token)
    if user is None:
        return render_page("accounts/link_expired.html", status=404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        actions.set_password(user, form.password.data)
        flash("Your password is set. Sign in with it now.", "success")
        return redirect(url_for("accounts.login"))
    return render_page("accounts/set_password.html", form=form, user=user)


def _safe_next() -> str | None:
    """Only a path on this site: never an absolute URL someone slipped into the link."""
    target = request.args.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None
