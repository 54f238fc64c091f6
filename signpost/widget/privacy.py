"""The widget's header policy: no cookies, and framing only by the practice's own websites.

A visitor on a practice's website has not chosen to visit Signpost, so the widget neither
reads nor writes a cookie. Flask would otherwise write one whenever anything touched the
session during a widget request (a staff member's idle timeout, a CSRF token, a flash
message), and on a same-site address the staff session cookie even arrives inside the
frame. So for widget addresses the session is a fresh, empty one that is never saved:
a signed-in member of staff is anonymous inside the widget, like everyone else.
"""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

from signpost.security_headers import content_security_policy
from signpost.widget.models import Practice

WIDGET_PATH_PREFIX = "/widget/"


def is_widget_path(path: str) -> bool:
    return path.startswith(WIDGET_PATH_PREFIX)


class NoWidgetCookiesSessionInterface(SecureCookieSessionInterface):
    """Signed-cookie sessions everywhere except widget addresses, which get none."""

    def open_session(self, app: Flask, request_):
        if is_widget_path(request_.path):
            return self.session_class()
        return super().open_session(app, request_)

    def save_session(self, app: Flask, session, response) -> None:
        if is_widget_path(request.path):
            return
        super().save_session(app, session, response)


def frame_ancestors(practice: Practice | None, unknown_widget: bool = False) -> str:
    """CSP frame-ancestors sources: the practice's websites, or anyone for an unknown widget.

    An unknown widget's page is a one-line "not found" with nothing to click, so any site
    may show it: whoever pasted a wrong code then sees a clear message, not a blank box.
    """
    if practice is not None:
        return " ".join(practice.allowed_origins) or "'none'"
    return "*" if unknown_widget else "'none'"


def widget_content_security_policy(practice: Practice | None, unknown_widget: bool = False) -> str:
    return content_security_policy(frame_ancestors(practice, unknown_widget))
