"""In the admin, a superuser erases an account the way a member would; there is no plain delete
any more (it took other members' summaries with it, and failed for facilitators)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from sessions_app.models import Question
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def owner(db):
    return make_user("sofie", "Sofie", "Site-eigenaar", is_staff=True, is_superuser=True)


def test_the_user_page_offers_erase_and_no_delete(owner, members, client):
    client.force_login(owner)
    page = client.get(reverse("admin:auth_user_change", args=[members[1].pk])).content.decode()
    assert reverse("admin:auth_user_erase", args=[members[1].pk]) in page
    assert reverse("admin:auth_user_delete", args=[members[1].pk]) not in page
    assert client.get(reverse("admin:auth_user_delete", args=[members[1].pk])).status_code == 403
    changelist = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "delete_selected" not in changelist


def test_a_superuser_erases_bram_who_facilitated_with_their_own_password(
    owner, history, members, client
):
    anna_questions = Question.objects.filter(room=history.anna_room).count()
    client.force_login(owner)
    url = reverse("admin:auth_user_erase", args=[members[1].pk])
    page = client.get(url).content.decode()
    assert "data-counts" in page and "BRAM-Q1" not in page  # counts, never content
    wrong = client.post(url, {"password": "nope"})
    assert wrong.status_code == 200 and User.objects.filter(pk=members[1].pk).exists()
    done = client.post(url, {"password": PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("admin:auth_user_changelist")
    assert not User.objects.filter(pk=members[1].pk).exists()
    assert Question.objects.filter(room=history.anna_room).count() == anna_questions


def test_a_coordinator_cannot_erase_accounts(coordinator, members, client):
    client.force_login(coordinator)
    response = client.get(reverse("admin:auth_user_erase", args=[members[1].pk]))
    assert response.status_code in (302, 403)
    assert User.objects.filter(pk=members[1].pk).exists()


def test_the_last_site_owner_is_not_erased(owner, client):
    from privacy.erase import blockers

    assert any("enige beheerder" in reason for reason in blockers(owner))
    make_user("tweede", is_staff=True, is_superuser=True)
    assert blockers(owner) == []
    client.force_login(owner)
    page = client.get(reverse("admin:auth_user_erase", args=[owner.pk])).content.decode()
    assert "data-blocker" in page and "Mijn gegevens" in page  # one's own: from "My data"
