"""Erasing a member's account: every app forgets them in one transaction, or nothing happens.

Each app registered its eraser (privacy/registry.py); they run in order — contributions to
other people's cases are anonymised first, then the member's own cases and rows go — and the
account's row is deleted last. Any exception rolls the whole erasure back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from .registry import erasers

log = logging.getLogger(__name__)


class ErasureRefused(Exception):
    """The erasure did not start; `reasons` say what to do first."""

    def __init__(self, reasons: list[str]):
        super().__init__(" ".join(reasons))
        self.reasons = reasons


@dataclass
class Erasure:
    """What an erasure did, per kind, for the goodbye page and the admin's message."""

    username: str
    done: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[tuple[str, int]]:
        return [(label, n) for label, n in self.done.items() if n]


def blockers(user) -> list[str]:
    reasons = []
    if (
        user.is_superuser
        and not get_user_model()
        .objects.filter(is_superuser=True, is_active=True)
        .exclude(pk=user.pk)
        .exists()
    ):
        reasons.append(
            _("You are the site's only owner (superuser). Make someone else owner first.")
        )
    for eraser in erasers():
        if eraser.blockers is not None:
            reasons.extend(eraser.blockers(user))
    return reasons


def erase_account(user) -> Erasure:
    """Erase `user` for good. Raises ErasureRefused before touching anything when something
    must happen first; any other exception means the transaction rolled back entirely."""
    reasons = blockers(user)
    if reasons:
        raise ErasureRefused(reasons)
    result = Erasure(username=user.get_username())
    with transaction.atomic():
        for eraser in erasers():
            for label, n in eraser.erase(user).items():
                result.done[str(label)] = result.done.get(str(label), 0) + n
        user.delete()
    log.info("account erased (%d kinds of rows)", len(result.lines()))
    return result
