"""The lines a practice administrator copies into their website to show the widget."""

from __future__ import annotations

from flask import url_for
from markupsafe import escape

from signpost.widget.models import Practice

FALLBACK_HEIGHT = 900  # a fixed frame has no script to fit it: tall enough for results


def script_snippet(practice: Practice) -> str:
    """One line: widget.js inserts the frame and keeps it the height of its page."""
    src = url_for("static", filename="js/widget.js", _external=True)
    return f'<script src="{src}" data-widget="{escape(practice.slug)}" async></script>'


def iframe_snippet(practice: Practice) -> str:
    """For websites that allow no outside scripts: a plain frame of fixed height."""
    src = url_for("widget.show_widget", slug=practice.slug, _external=True)
    title = escape(f"{practice.heading} (Signpost)")
    return (
        f'<iframe src="{src}" title="{title}" width="100%" height="{FALLBACK_HEIGHT}" '
        'loading="lazy"></iframe>'
    )
