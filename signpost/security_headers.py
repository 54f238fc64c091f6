"""Response headers every page gets; a blueprint may loosen framing for itself.

Only our own scripts and styles run (no inline script), and no page may be framed by
another site: ``frame-ancestors 'none'``. The practice widget sets its own, listing the
practice's websites, through ``response.headers`` before this hook runs.
"""

from __future__ import annotations

from flask import Flask
from flask.wrappers import Response

_DIRECTIVES = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'self'",
    "object-src 'none'",
]


def content_security_policy(frame_ancestors: str = "'none'") -> str:
    """The policy every page gets, with the given sources allowed to frame it."""
    return "; ".join([*_DIRECTIVES, f"frame-ancestors {frame_ancestors}"])


CONTENT_SECURITY_POLICY = content_security_policy()


def add_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
    return response


def register_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
