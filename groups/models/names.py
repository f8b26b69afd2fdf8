"""How the group's records name a member, also one who erased their account."""

from django.utils.translation import gettext_lazy as _

# What the group's records say where a member erased their account (privacy/erase.py): their
# contributions to others' cases, attendance and roles stay, without their name.
FORMER_MEMBER = _("former member")


class FormerMember:
    """Stands in for the user of a role or attendance row whose member erased their account.

    Truthy, so that `holder(...) or fallback` and `if facilitator:` treat the role as held; it
    has no pk, so that nothing can link the row to a person again."""

    pk = id = None
    is_authenticated = False
    first_name = last_name = ""

    def get_full_name(self) -> str:
        return str(FORMER_MEMBER)

    def get_username(self) -> str:
        return str(FORMER_MEMBER)

    def __str__(self) -> str:
        return str(FORMER_MEMBER)


def display_name(user) -> str:
    """A member's name; "former member" for the row of an erased account (user None)."""
    if user is None:
        return str(FORMER_MEMBER)
    return user.get_full_name() or user.get_username()
