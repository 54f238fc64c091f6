"""Who may use each page. Every view declares a rule; a test fails on any that does not.

``@public``: anyone, signed in or not. ``@roles_required(LINK_WORKER, ...)``: signed-in
users with one of those roles; anyone else signed in gets 403, and anonymous visitors go
to the login page (htmx requests are told to redirect the whole page, not swap it in).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from signpost.htmx import is_fragment_request


def public(view: Callable) -> Callable:
    view.access_rule = "public"
    return view


def roles_required(*roles: str) -> Callable[[Callable], Callable]:
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_redirect()
            if current_user.role not in roles:
                abort(403, description="Your account does not have access to this page.")
            return view(*args, **kwargs)

        guarded.access_rule = ("roles", roles)
        return guarded

    return decorate


def login_redirect():
    """To the login page and back here afterwards. An htmx request is told to load the
    page whole (``HX-Redirect`` on a 200: browsers drop ``HX-*`` headers on a 3xx), or
    the login page would be swapped into a fragment of the page."""
    target = url_for("accounts.login", next=request.full_path.rstrip("?"))
    if is_fragment_request():
        response = redirect(target)
        response.status_code = 200
        response.headers["HX-Redirect"] = target
        response.headers.pop("Location")
        return response
    return redirect(target)
