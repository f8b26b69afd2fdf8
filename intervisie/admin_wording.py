"""Django's own admin texts, reworded for coordinators.

Django's Dutch admin says "u"; the rest of Intervisie says "je". It leaves "Error:" in English,
and writes "Nog een Lid toevoegen". The project's catalogue (locale/) is read before Django's,
so these msgids, translated there, replace Django's wording. Listed here so that makemessages
keeps them.
"""

from django.utils.translation import gettext_noop

DJANGO_ADMIN_TEXTS = [
    gettext_noop("Are you sure?"),
    gettext_noop("Error:"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("You may edit it again below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("You don’t have permission to view or edit anything."),
    gettext_noop("Django site admin"),
    gettext_noop("Django administration"),
]
