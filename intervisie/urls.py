from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from groups import urls as groups_urls
from groups.admin_scope import scoped_view_on_site
from groups.statement_views import privacy_statement
from reports import urls as reports_urls

from . import signin, views

handler500 = "intervisie.middleware.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Before contrib.auth's own: the same URL and name, with a limit on mails.
    path(
        "accounts/password_reset/",
        signin.ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own "view on site" redirect, which would answer for any object.
    path(
        "admin/r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(scoped_view_on_site),
        name="admin_view_on_site",
    ),
    path("admin/", admin.site.urls),
    # One URL space per group: groups' own pages and the reports across its meetings (reports/),
    # with the names they had when both lived in groups ("groups:detail", "groups:logbook", …).
    path(
        "groups/",
        include((groups_urls.urlpatterns + reports_urls.urlpatterns, groups_urls.app_name)),
    ),
    path("cases/", include("cases.urls")),
    path("methods/", include("methods.urls")),
    path("my-data/", include("privacy.urls")),
    path("privacy/", privacy_statement, name="privacy_statement"),
    path("", include("sessions_app.urls")),
]
