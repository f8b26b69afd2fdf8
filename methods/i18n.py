"""Bilingual content fields: library texts are data, stored in Dutch and English side by side."""

from django.utils.translation import get_language


def current_lang() -> str:
    """'en' when English is active, else 'nl' (the default and fallback)."""
    lang = (get_language() or "nl").split("-")[0]
    return "en" if lang == "en" else "nl"


def localized(obj: object, field: str) -> str:
    """The field in the active language, falling back to Dutch when the English text is empty."""
    value = getattr(obj, f"{field}_{current_lang()}", "")
    return value or getattr(obj, f"{field}_nl", "")


def localized_value(value: object) -> str:
    """A text from a step's options in the active language: {"nl": …, "en": …} or a plain
    string; Dutch when the active language has none."""
    if isinstance(value, dict):
        return str(value.get(current_lang()) or value.get("nl") or next(iter(value.values()), ""))
    return str(value or "")
