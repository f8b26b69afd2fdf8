from django import template

from methods.i18n import current_lang

register = template.Library()


@register.filter
def meeting_holder(meeting, role: str):
    """The member holding a role in a meeting (uses the prefetched roles)."""
    return meeting.holder(role)


@register.filter
def clock(seconds) -> str:
    """Seconds as m:ss, with a minus sign once time is up."""
    if seconds is None:
        return "–:––"
    sign = "-" if seconds < 0 else ""
    total = int(abs(seconds) + (0 if seconds < 0 else 0.999))
    return f"{sign}{total // 60}:{total % 60:02d}"


@register.filter
def epoch_ms(value) -> str:
    return "" if value is None else str(int(value.timestamp() * 1000))


@register.filter
def initials(name: str) -> str:
    parts = str(name).split()
    return "".join(p[0] for p in parts[:2]).upper() or "?"


@register.filter
def role_text(step, role: str) -> str:
    return step.instructions_for(role) if step else ""


@register.filter
def planned_seconds(room, step) -> int:
    return room.planned_seconds(step)


@register.filter
def planned_minutes(room, step) -> int:
    return room.planned_seconds(step) // 60


@register.filter
def online_count(members) -> int:
    return sum(1 for m in members if m.online)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def in_language(texts) -> str:
    """A {"nl": …, "en": …} text from the method library, in the active language."""
    if not isinstance(texts, dict):
        return str(texts or "")
    return texts.get(current_lang()) or texts.get("nl") or ""
