"""Staff users for tests, and signing in through the real login form (CSRF and all)."""

from __future__ import annotations

import itertools
import re

from signpost.accounts.models import User
from signpost.accounts.passwords import hash_password
from signpost.extensions import db

DEFAULT_PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_user(
    role: str, email: str | None = None, password: str = DEFAULT_PASSWORD, **fields
) -> User:
    user = User(
        email=email or f"{role}{next(_numbers)}@example.org",
        role=role,
        name=fields.pop("name", role.replace("_", " ").title()),
        password_hash=hash_password(password),
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


def csrf_token(client, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page) or re.search(
        r'name="csrf-token" content="([^"]+)"', page
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client, user: User, password: str = DEFAULT_PASSWORD, totp: str | None = None):
    response = client.post(
        "/login",
        data={"email": user.email, "password": password, "csrf_token": csrf_token(client)},
    )
    if totp is not None:
        response = client.post(
            "/login/code", data={"code": totp, "csrf_token": csrf_token(client, "/login/code")}
        )
    return response
