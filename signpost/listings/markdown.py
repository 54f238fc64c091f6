"""Descriptions: a small safe subset of Markdown, rendered then sanitised.

markdown-it-py renders paragraphs, emphasis, lists and links only (its "zero" preset with
those rules switched on). Raw HTML is passed through to nh3, which is the one sanitiser:
it keeps only those tags and ``href`` on links, only to http, https, mailto and tel, and
drops everything else (script and style with their content), so nothing an editor types
can run in a reader's page.
"""

from __future__ import annotations

import html
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {"p", "em", "strong", "ul", "ol", "li", "a", "br"}
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}

_markdown = MarkdownIt("zero", {"html": True, "linkify": False, "breaks": True}).enable(
    ["emphasis", "list", "link", "newline", "html_block", "html_inline"]
)


def render_description(text: str | None, *, new_tab: bool = False) -> Markup:
    """Safe HTML for a listing's description.

    ``new_tab``: links open in a new tab (inside the practice widget's frame, a link that
    replaced the frame would strand the visitor on a site that may refuse to be framed).
    """
    cleaned = nh3.clean(
        _markdown.render(text or ""),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        set_tag_attribute_values={"a": {"target": "_blank"}} if new_tab else None,
    )
    return Markup(cleaned)


@lru_cache(maxsize=4096)
def plain_description(text: str | None) -> str:
    """The description's words without Markdown or markup, for short summaries (kept per
    text: every result list shows twenty, and the same listings come up again and again)."""
    return html.unescape(nh3.clean(_markdown.render(text or ""), tags=set())).strip()
