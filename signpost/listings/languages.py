"""The languages an editor can tick: the seed list plus other languages common in England."""

from __future__ import annotations

from signpost.directory.seed import LANGUAGE_NAMES

# ISO 639-1 codes, as the directory stores them.
EDITOR_LANGUAGES = {
    **LANGUAGE_NAMES,
    "ar": "Arabic", "cy": "Welsh", "es": "Spanish", "fa": "Persian (Farsi)", "fr": "French",
    "gu": "Gujarati", "hi": "Hindi", "it": "Italian", "ku": "Kurdish", "ps": "Pashto",
    "ru": "Russian", "sq": "Albanian", "ti": "Tigrinya", "tr": "Turkish", "uk": "Ukrainian",
    "zh": "Chinese",
}  # fmt: skip


def language_name(code: str) -> str:
    return EDITOR_LANGUAGES.get(code, code)


def language_choices(extra: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(code, name) by name, English first; ``extra`` keeps codes a listing already has."""
    names = {**(extra or {}), **EDITOR_LANGUAGES}
    return sorted(names.items(), key=language_order)


def language_order(pair: tuple[str, str]) -> tuple[bool, str]:
    """English first, then by name: forms and snapshots list languages in this order."""
    code, name = pair
    return code != "en", name
