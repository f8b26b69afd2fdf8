"""The account itself: the first section of every member's data."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .registry import Field, Section, iso, register_section


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
