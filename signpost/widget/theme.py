"""The practice's accent colour as a tiny stylesheet.

The Content-Security-Policy allows no inline styles, so the colour cannot go in a style
attribute; this stylesheet sets it as a CSS custom property instead. The colour was
checked as ``#rrggbb`` when saved and is checked again here, so nothing else can reach
the stylesheet.
"""

from __future__ import annotations

from signpost.widget.validation import normalise_accent_colour


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb`` (0 black .. 1 white)."""

    def channel(hex_pair: str) -> float:
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def text_colour_on(colour: str) -> str:
    """White or black, whichever contrasts more with ``colour``."""
    luminance = relative_luminance(colour)
    white_contrast = 1.05 / (luminance + 0.05)
    black_contrast = (luminance + 0.05) / 0.05
    return "#ffffff" if white_contrast >= black_contrast else "#000000"


def stylesheet(accent_colour: str) -> str:
    colour = normalise_accent_colour(accent_colour)
    return f":root {{ --sw-accent: {colour}; --sw-on-accent: {text_colour_on(colour)}; }}\n"
