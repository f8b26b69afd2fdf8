"""The download of everything the app holds about a member: one ZIP with

- `intervisie-data.json`: machine-readable; every section documents its fields;
- `intervisie-data.html`: the same, readable in any browser, without scripts or outside assets.

Both come from the same sections (privacy/registry.py), so they always agree.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .registry import Section, iso, sections_for

FORMAT = "intervisie-personal-data"
FORMAT_VERSION = 1
JSON_NAME = "intervisie-data.json"
HTML_NAME = "intervisie-data.html"


def as_json(user, sections: list[Section], now: datetime) -> dict:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": iso(now),
        "language": get_language(),
        "about": _(
            "Everything Intervisie holds about you, per section. Each section says what its "
            "records are and, under 'fields', what each field means. Times are ISO 8601 in the "
            "site's time zone."
        ),
        "user": user.get_username(),
        "sections": [section.as_json() for section in sections],
    }


def as_html(user, sections: list[Section], now: datetime) -> str:
    return render_to_string(
        "privacy/export.html",
        {
            "subject": user,
            "sections": sections,
            "exported_at": now,
            "lang": get_language(),
            "site_url": settings.SITE_URL.rstrip("/"),
        },
    )


def filename(user, now: datetime) -> str:
    name = slugify(user.get_username()) or "member"
    return f"intervisie-{name}-{timezone.localtime(now):%Y-%m-%d}.zip"


def export_zip(user, now: datetime | None = None) -> bytes:
    now = now or timezone.now()
    sections = sections_for(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            JSON_NAME, json.dumps(as_json(user, sections, now), ensure_ascii=False, indent=2)
        )
        archive.writestr(HTML_NAME, as_html(user, sections, now))
    return buffer.getvalue()
