"""One place decides whether a request gets a whole page or just a fragment of it."""

from __future__ import annotations

from typing import Any

from flask import make_response, render_template, request
from flask.wrappers import Response
from jinja2_fragments.flask import render_block


def is_fragment_request() -> bool:
    """A fragment only for a plain htmx request.

    Boosted navigation and history restores (the back button after the cache is gone)
    need the whole page, or the browser shows a fragment with no layout.
    """
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-Boosted") != "true"
        and headers.get("HX-History-Restore-Request") != "true"
    )


def render_page(
    template: str, block: str | None = None, status: int = 200, **context: Any
) -> Response:
    """Render ``template`` whole, or only ``block`` of it for an htmx request."""
    if block and is_fragment_request():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.add("HX-Request")
    return response
