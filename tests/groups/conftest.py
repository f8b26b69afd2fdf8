"""Admin-side personas: the coordinator in the admin, as in `manage.py demo`: staff in the
"Coördinatoren" permission group, not a superuser, coordinating the `group` fixture."""

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def english_client(user=None) -> Client:
    # English source texts keep the assertions stable once Dutch translations are compiled.
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def admin_coordinator(coordinator):
    from groups.coordinators import make_coordinator

    make_coordinator(coordinator)
    return coordinator


@pytest.fixture
def coordinator_client(admin_coordinator) -> Client:
    return english_client(admin_coordinator)


@pytest.fixture
def superuser_client(db) -> Client:
    from tests.conftest import make_user

    return english_client(make_user("root", "Rita", "Root", is_staff=True, is_superuser=True))


@pytest.fixture(autouse=True)
def fresh_content_types():
    """Transactional tests flush the tables and content types come back with new ids; the admin
    log would otherwise point at a cached id that no longer exists (a failed foreign key)."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
