"""Small line icons for the online parts of the room (Feather/Lucide shapes, MIT/ISC).

A tag rather than an include: the word and the roll call are rendered on every push, and an
include per icon costs more than the rest of those parts. Emoji are not on every laptop, nor on
the headless browsers that check these pages."""

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

SHAPES = {
    "hand": '<path d="M18 11V6a2 2 0 0 0-4 0"/><path d="M14 10V4a2 2 0 0 0-4 0v2"/>'
    '<path d="M10 10.5V6a2 2 0 0 0-4 0v8"/><path d="M18 8a2 2 0 1 1 4 0v6a8 8 0 0 1-8 8h-2'
    'c-2.8 0-4.5-.86-6-2.34l-3.6-3.6a2 2 0 0 1 2.83-2.82L7 15"/>',
    "video": '<polygon points="23 7 16 12 23 17 23 7"/>'
    '<rect x="1" y="5" width="15" height="14" rx="2" ry="2"/>',
    "bell": '<path d="M18 8A6 6 0 0 0 6 8c0 7-3 9-3 9h18s-3-2-3-9"/>'
    '<path d="M13.73 21a2 2 0 0 1-3.46 0"/>',
    "bell-off": '<path d="M13.73 21a2 2 0 0 1-3.46 0"/><path d="M18.63 13A17.9 17.9 0 0 1 18 8"/>'
    '<path d="M6.26 6.26A5.86 5.86 0 0 0 6 8c0 7-3 9-3 9h14"/><path d="M18 8a6 6 0 0 0-9.33-5"/>'
    '<line x1="1" y1="1" x2="23" y2="23"/>',
    "mic": '<path d="M12 1a3 3 0 0 0-3 3v8a3 3 0 0 0 6 0V4a3 3 0 0 0-3-3z"/>'
    '<path d="M19 10v2a7 7 0 0 1-14 0v-2"/><line x1="12" y1="19" x2="12" y2="23"/>'
    '<line x1="8" y1="23" x2="16" y2="23"/>',
    "pin": '<path d="M21 10c0 7-9 13-9 13s-9-6-9-13a9 9 0 0 1 18 0z"/>'
    '<circle cx="12" cy="10" r="3"/>',
    "laptop": '<rect x="2" y="3" width="20" height="14" rx="2" ry="2"/>'
    '<line x1="8" y1="21" x2="16" y2="21"/><line x1="12" y1="17" x2="12" y2="21"/>',
    "screen": '<rect x="2" y="3" width="20" height="14" rx="2" ry="2"/>'
    '<polyline points="8 21 12 17 16 21"/>',
}
SVG = (
    '<svg class="icon" viewBox="0 0 24 24" width="20" height="20" fill="none" '
    'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
    'aria-hidden="true" focusable="false">{}</svg>'
)
# Constant markup of this module, never user text: safe to mark so.
ICONS = {name: mark_safe(SVG.format(shape)) for name, shape in SHAPES.items()}


@register.simple_tag
def icon(name: str) -> SafeString:
    """`{% icon "hand" %}`: decorative, hidden from screen readers (the text says it)."""
    return ICONS[name]
