"""Showing a section's records to people: labels from the documented fields, readable values."""

from dataclasses import dataclass
from datetime import date, datetime

from django import template
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


@dataclass(frozen=True)
class Row:
    label: str
    value: str
    link: str = ""


def readable(value) -> str:
    if value is None or value == "":
        return "–"
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if len(value) == 10:
            return formats.date_format(date.fromisoformat(value), "j F Y")
        return formats.date_format(timezone.localtime(moment), "j F Y, H:i")
    return str(value)


@register.filter
def record_rows(record: dict, section) -> list[Row]:
    """`{% for row in record|record_rows:section %}`: one row per documented field."""
    rows = []
    for field in section.fields:
        value = record.get(field.name)
        label = capfirst(str(field.description))
        if field.name == "url" and value:
            rows.append(Row(label, _("open"), link=value))
        else:
            rows.append(Row(label, readable(value)))
    return rows
