"""The account itself: the first section of every member's data."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .registry import Field, Section, iso, register_eraser, register_section


def account_section(user) -> Section:
    return Section(
        key="account",
        title=_("Your account"),
        description=_(
            "Your login name, your name and e-mail address (for invitations and summaries), and "
            "when you last logged in. Your password is stored only as a one-way hash and is not "
            "part of the export."
        ),
        fields=[
            Field("username", _("your login name")),
            Field("first_name", _("your first name")),
            Field("last_name", _("your last name")),
            Field("email", _("your e-mail address")),
            Field("date_joined", _("when your account was made")),
            Field("last_login", _("when you last logged in")),
            Field("is_staff", _("true when you may use the administration (coordinators)")),
            Field("is_superuser", _("true for the site owner")),
        ],
        records=[
            {
                "username": user.get_username(),
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "date_joined": iso(user.date_joined),
                "last_login": iso(user.last_login),
                "is_staff": user.is_staff,
                "is_superuser": user.is_superuser,
            }
        ],
        link=reverse("password_change"),
        link_label=_("Change your password"),
    )


register_section("account", account_section, order=0)


def forget_admin_history(user) -> dict[str, int]:
    """The admin's history names the account in its entries about it (the user itself, and
    memberships, roles and attendance, whose names carry the member's full name). Those entries
    go; the account's own entries go with the account."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    about = Q(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk))
    full_name = user.get_full_name().strip()
    if len(full_name.split()) >= 2:  # a first name alone would match other people's entries
        about |= Q(object_repr__contains=full_name)
    deleted = LogEntry.objects.filter(about).exclude(user=user).delete()[0]
    return {_("entries about you in the administration's history, deleted"): deleted}


register_eraser("admin_history", forget_admin_history, order=900)
