"""The shape of a widget's settings: slug, accent colour and the websites that may embed it.

Each rule returns the normalised value or raises ``InvalidSetting`` with a sentence for the
practice administrator. The origins end up inside a Content-Security-Policy header and
the colour inside a stylesheet, so nothing but the exact shapes below gets through.
"""

from __future__ import annotations

import re

SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])")
ACCENT_COLOUR = re.compile(r"#[0-9a-f]{6}")
# scheme://host[:port]: a DNS name or IPv4 address, no path, query, user or wildcard.
ORIGIN = re.compile(
    r"(?P<scheme>https?)://(?P<host>[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*)"
    r"(?::(?P<port>[0-9]{1,5}))?"
)
MAX_ORIGINS = 20
MIN_RADIUS_MILES, MAX_RADIUS_MILES = 1, 50


class InvalidSetting(ValueError):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def normalise_slug(text: str) -> str:
    slug = (text or "").strip().lower()
    if not SLUG.fullmatch(slug):
        raise InvalidSetting(
            "Use 3 to 60 lower-case letters, digits and hyphens, like stratford-village-surgery."
        )
    return slug


def normalise_accent_colour(text: str) -> str:
    colour = (text or "").strip().lower()
    if not ACCENT_COLOUR.fullmatch(colour):
        raise InvalidSetting("Enter the colour as # and six hex digits, like #005eb8.")
    return colour


def normalise_origin(text: str) -> str:
    """``"HTTPS://Example.org/"`` -> ``"https://example.org"``; a path or query is refused."""
    origin = (text or "").strip().lower()
    if origin.count("/") == 3 and origin.endswith("/"):
        origin = origin[:-1]  # what a browser's address bar shows for a home page
    match = ORIGIN.fullmatch(origin)
    if match is None:
        raise InvalidSetting(
            f"“{text.strip()[:80]}” is not a website address like "
            "https://www.example-surgery.nhs.uk (scheme and host, an optional port, no path)."
        )
    port = match.group("port")
    if port is not None and not 1 <= int(port) <= 65535:
        raise InvalidSetting(f"“{text.strip()[:80]}” has a port outside 1 to 65535.")
    return origin


def normalise_origins(lines: list[str]) -> list[str]:
    """Each origin normalised, duplicates dropped, in the order given."""
    origins = list(dict.fromkeys(normalise_origin(line) for line in lines if line.strip()))
    if len(origins) > MAX_ORIGINS:
        raise InvalidSetting(f"List at most {MAX_ORIGINS} websites.")
    return origins


def check_radius(miles: int) -> int:
    if not MIN_RADIUS_MILES <= miles <= MAX_RADIUS_MILES:
        raise InvalidSetting(
            f"Choose a distance between {MIN_RADIUS_MILES} and {MAX_RADIUS_MILES} miles."
        )
    return miles
