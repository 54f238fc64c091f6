"""Absolute links for e-mails, built from ``SIGNPOST_BASE_URL``.

Not from the request's Host header: a command has no request, and a link in an e-mail
must not point wherever a forged Host header says.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    base = urlsplit(current_app.config["SIGNPOST_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
