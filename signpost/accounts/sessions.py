"""Signed-in sessions: sign in, the second step, and the idle timeout.

Between a correct password and a correct code the user is only *pending* (their id in
the session under ``pending_user``); Flask-Login knows them only after the code.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, request, session
from flask_login import current_user, login_user, logout_user

from signpost.accounts.access import login_redirect
from signpost.accounts.models import User
from signpost.extensions import db

PENDING_KEY = "pending_user"
SEEN_KEY = "last_seen"


def begin_pending(user: User) -> None:
    session[PENDING_KEY] = user.id


def pending_user() -> User | None:
    user_id = session.get(PENDING_KEY)
    return db.session.get(User, user_id) if user_id else None


def complete_sign_in(user: User) -> None:
    session.pop(PENDING_KEY, None)
    session.clear()  # a fresh session: nothing carried over from before sign-in
    login_user(user)
    session[SEEN_KEY] = time.time()


def sign_out() -> None:
    logout_user()
    session.clear()


def register_idle_timeout(app: Flask) -> None:
    @app.before_request
    def _expire_idle_sessions():
        if request.endpoint == "static" or not current_user.is_authenticated:
            return None
        limit = current_app.config["SIGNPOST_IDLE_TIMEOUT_MINUTES"] * 60
        last_seen = session.get(SEEN_KEY, 0)
        if time.time() - last_seen > limit:
            sign_out()
            flash("You were signed out after a period of inactivity.", "info")
            return login_redirect()
        session[SEEN_KEY] = time.time()
        return None
