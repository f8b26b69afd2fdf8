"""Delete confirmations that count, never list.

Django's confirmation page lists every object a deletion takes along, by its text: deleting a
meeting would show its room's questions, board items (anonymous ones included) and action plans;
deleting a user, everything they wrote. Every ModelAdmin of the project mixes this in
(tests/admin/test_deletion_pages.py checks that none is missing).
"""

from __future__ import annotations

from django.contrib.admin.utils import NestedObjects
from django.db import router
from django.http import HttpRequest
from django.utils.text import capfirst


class CountedDeletionMixin:
    """Delete confirmations show how many related objects go, never what they say."""

    def get_deleted_objects(self, objs, request: HttpRequest):
        _listing, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        chosen = [f"{capfirst(obj._meta.verbose_name)}: {obj}" for obj in objs]
        if protected:
            protected = protected_counts(objs)
        return chosen, model_count, perms_needed, protected


def protected_counts(objs) -> list[str]:
    objs = list(objs)
    if not objs:
        return []
    collector = NestedObjects(using=router.db_for_write(objs[0]._meta.model))
    collector.collect(objs)
    counts: dict[str, int] = {}
    for obj in collector.protected:
        name = str(capfirst(obj._meta.verbose_name_plural))
        counts[name] = counts.get(name, 0) + 1
    return [f"{name}: {count}" for name, count in sorted(counts.items())]
