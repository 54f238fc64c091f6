"""Changing accounts: sign-in attempts, lock-outs, invitations, roles. Each change audited."""

from __future__ import annotations

from datetime import datetime, timedelta

import pyotp
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from signpost.accounts.models import RolePolicy, User
from signpost.accounts.passwords import hash_password, password_matches
from signpost.accounts.roles import ADMIN
from signpost.audit.log import record_audit
from signpost.directory.models import utcnow
from signpost.extensions import db

INVITE_MAX_AGE = timedelta(days=7)


class SignInRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_password(email: str, password: str) -> User:
    """The user whose password this is, or SignInRefused (counting failures, locking out)."""
    user = db.session.query(User).filter(User.email == email.strip().lower()).one_or_none()
    now = utcnow()
    if user is not None and user.locked_until and user.locked_until > now:
        record_audit("login_refused_locked", "user", user.id, user_id=user.id)
        db.session.commit()
        raise SignInRefused(_locked_message(user.locked_until - now))
    if user is None or not user.enabled or not password_matches(user.password_hash, password):
        if user is not None:
            _count_failure(user, now)
        else:
            record_audit("login_failed_unknown_account", "user", "-")
        db.session.commit()
        raise SignInRefused("The email address or password is not right.")
    return user


def _count_failure(user: User, now: datetime) -> None:
    config = current_app.config
    user.failed_login_count += 1
    record_audit("login_failed", "user", user.id, user_id=user.id)
    if user.failed_login_count >= config["SIGNPOST_LOCKOUT_ATTEMPTS"]:
        user.locked_until = now + timedelta(minutes=config["SIGNPOST_LOCKOUT_MINUTES"])
        user.failed_login_count = 0
        record_audit("account_locked", "user", user.id, user_id=user.id)


def _locked_message(remaining: timedelta) -> str:
    minutes = max(1, int(remaining.total_seconds() // 60) + 1)
    return (
        "This account is locked after too many wrong passwords. "
        f"Try again in {minutes} minute{'s' if minutes != 1 else ''}, or ask an administrator."
    )


def needs_totp(user: User) -> bool:
    policy = db.session.get(RolePolicy, user.role)
    return bool(user.totp_secret) or bool(policy and policy.require_totp)


def code_matches(secret: str, code: str) -> bool:
    return pyotp.TOTP(secret).verify(code.strip(), valid_window=1)


def record_sign_in(user: User) -> None:
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    record_audit("login", "user", user.id, user_id=user.id)
    db.session.commit()


def enrol_totp(user: User, secret: str) -> None:
    user.totp_secret = secret
    record_audit("totp_enrolled", "user", user.id, user_id=user.id)
    db.session.commit()


def create_user(email: str, role: str, name: str = "", password: str | None = None) -> User:
    user = User(email=email.strip().lower(), role=role, name=name)
    if password:
        user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.flush()
    record_audit("user_created", "user", user.id, {"role": role})
    db.session.commit()
    return user


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="set-password")


def invitation_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "version": user.credentials_version})


def user_for_invitation(token: str) -> User | None:
    """The invited user, if the link is genuine, under 7 days old and not yet used."""
    try:
        data = _serializer().loads(token, max_age=int(INVITE_MAX_AGE.total_seconds()))
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data, dict) else None
    if user is None or user.credentials_version != data.get("version") or not user.enabled:
        return None
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.credentials_version += 1
    record_audit("password_set", "user", user.id, user_id=user.id)
    db.session.commit()


class AccountChangeRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def change_user(user: User, *, role: str, supervisor_id: int | None, enabled: bool) -> None:
    """Raises AccountChangeRefused rather than leave no enabled administrator: nobody
    could then manage accounts without shell access to the server."""
    if _is_active_admin(user) and not (role == ADMIN and enabled) and _active_admins() == 1:
        raise AccountChangeRefused(
            f"{user.email} is the only enabled directory administrator. Make someone else "
            "an administrator first, then change this account."
        )
    changed = {
        field: True
        for field, new in (("role", role), ("supervisor_id", supervisor_id), ("enabled", enabled))
        if getattr(user, field) != new
    }
    user.role, user.supervisor_id, user.enabled = role, supervisor_id, enabled
    if changed:
        record_audit("user_changed", "user", user.id, {"fields": sorted(changed), "role": role})
    db.session.commit()


def _is_active_admin(user: User) -> bool:
    return user.role == ADMIN and user.enabled


def _active_admins() -> int:
    return db.session.scalar(
        select(func.count(User.id)).where(User.role == ADMIN, User.enabled.is_(True))
    )


def unlock_account(user: User) -> None:
    """Clear a lock-out (and the count of wrong passwords) before it runs out."""
    user.locked_until = None
    user.failed_login_count = 0
    record_audit("account_unlocked", "user", user.id)
    db.session.commit()


def reset_totp(user: User) -> None:
    """Forget the authenticator secret (a lost phone): the person sets one up again at
    their next sign-in if their role requires it."""
    user.totp_secret = None
    record_audit("totp_reset", "user", user.id)
    db.session.commit()


def set_role_policy(role: str, require_totp: bool) -> None:
    policy = db.session.get(RolePolicy, role) or RolePolicy(role=role)
    policy.require_totp = require_totp
    db.session.add(policy)
    record_audit("role_policy_changed", "role", role, {"require_totp": require_totp})
    db.session.commit()
