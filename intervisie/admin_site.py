"""The admin as coordinators meet it: called "Intervisie beheer", not "Django-beheer", and with
Django's permission groups kept apart from the intervision groups (site owner only)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class IntervisieAdminSite(admin.AdminSite):
    site_header = _("Intervisie administration")
    site_title = _("Intervisie administration")
    index_title = _("Groups, members and meetings")

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            if app["app_label"] != "auth":
                continue
            # "Groepen" right beside "Intervisiegroepen" confuses: these are sets of permissions.
            app["name"] = _("Accounts and permissions")
            for model in app["models"]:
                if model["object_name"] == "Group":
                    model["name"] = _("Permission groups")
        return apps


class IntervisieAdminConfig(AdminConfig):
    default_site = "intervisie.admin_site.IntervisieAdminSite"
