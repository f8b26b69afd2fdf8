"""Adding a member the way a coordinator thinks of it: a name and an e-mail address.

No username to invent, no password to choose for someone else: the account gets a username made
from the e-mail address and no usable password, and the invitation mail carries a one-time link
to choose one. Someone who already has an account (same e-mail address) is added as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Group, Membership, display_name
from .preferences import save_language


@dataclass(frozen=True)
class AddedMember:
    user: object
    new_account: bool
    rejoined: bool  # was a member before, had left


def username_for(email: str) -> str:
    """A free username from the part before the @ ("anna.devries", "anna.devries2", …)."""
    User = get_user_model()
    base = re.sub(r"[^\w.+-]", "", email.split("@")[0].lower())[:140] or "lid"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


def find_by_email(email: str):
    matches = list(get_user_model().objects.filter(email__iexact=email.strip())[:2])
    return matches[0] if len(matches) == 1 else None


@transaction.atomic
def add_member(
    group: Group, first_name: str, last_name: str, email: str, language: str = ""
) -> AddedMember:
    """Make the person a member of `group` (creating their account if needed)."""
    email = email.strip()
    User = get_user_model()
    if User.objects.filter(email__iexact=email).count() > 1:
        raise ValidationError(
            _("Several accounts use %(email)s; ask the site's administrator to sort that out.")
            % {"email": email}
        )
    user = find_by_email(email)
    new_account = user is None
    if new_account:
        user = User(
            username=username_for(email),
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email,
        )
        user.set_unusable_password()
        user.save()
        if language:
            save_language(user, language)
    elif not user.is_active:
        raise ValidationError(
            _("The account of %(name)s (%(email)s) is switched off; ask the site's administrator.")
            % {"name": display_name(user), "email": email}
        )
    membership, created = Membership.objects.get_or_create(group=group, user=user)
    if not created and membership.active:
        raise ValidationError(
            _("%(name)s is already a member of this group.") % {"name": display_name(user)}
        )
    if not created:
        membership.active = True
        membership.save(update_fields=["active"])
    return AddedMember(user=user, new_account=new_account, rejoined=not created)
