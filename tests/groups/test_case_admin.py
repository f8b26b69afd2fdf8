import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cases.models import Case, CaseStatus
from tests.conftest import everyone_agrees

from .conftest import english_client
from .helpers import admin_form_data

CHANGELIST = reverse("admin:cases_case_changelist")
QUESTION = "Hoe kan ik mijn leidinggevende vertellen dat ik overbelast ben?"
SECRET = "mijn burn-out van vorig jaar"
NOTES = "Voelde me aangevallen door de vraag over thuis"


def change_url(case: Case) -> str:
    return reverse("admin:cases_case_change", args=[case.pk])


@pytest.fixture
def case(group, members):
    return Case.objects.create(
        group=group,
        owner=members[1],  # Bram brings it
        title="Overbelasting bespreken",
        working_question=QUESTION,
        description=f"Ik durf het niet te zeggen vanwege {SECRET}.",
        situation="Drie extra diensten deze maand.",
        private_notes=NOTES,
    )


@pytest.fixture
def owner_client(case):
    """Bram, as staff with the case permissions, reading his own case in the admin."""
    owner = case.owner
    owner.is_staff = True
    owner.save(update_fields=["is_staff"])
    owner.user_permissions.set(Permission.objects.filter(content_type__app_label="cases"))
    return english_client(owner)


def assert_content_hidden(text: str) -> None:
    assert QUESTION not in text
    assert SECRET not in text
    assert "Drie extra diensten" not in text
    assert NOTES not in text
    assert "(confidential)" in text


def test_coordinator_opens_case_list_and_change_but_adds_no_case(coordinator_client, case):
    response = coordinator_client.get(CHANGELIST)
    assert response.status_code == 200
    assert "Overbelasting bespreken" in response.text
    assert "Bram Jansen" in response.text  # the inbrenger by name (issue 17), not "bram"
    # Members prepare their own cases in the app; nobody writes one for them in the admin.
    assert coordinator_client.get(reverse("admin:cases_case_add")).status_code == 403
    assert coordinator_client.get(change_url(case)).status_code == 200


def test_superuser_who_is_not_the_owner_sees_no_case_content(superuser_client, case):
    response = superuser_client.get(change_url(case))
    assert response.status_code == 200
    assert_content_hidden(response.text)
    assert "Overbelasting bespreken" in response.text  # the title is not content


def test_coordinator_sees_no_content_when_the_contract_forbids(coordinator_client, case):
    assert not case.group.coordinator_may_read_cases
    assert_content_hidden(coordinator_client.get(change_url(case)).text)


def test_coordinator_reads_content_with_everyones_consent_but_never_preparation_or_notes(
    coordinator_client, case
):
    everyone_agrees(case.group)
    text = coordinator_client.get(change_url(case)).text
    assert QUESTION in text
    assert SECRET in text
    assert "Drie extra diensten" not in text  # the preparation stays the inbrenger's
    assert NOTES not in text
    assert "private notes" not in text.lower()


def test_the_coordinators_request_alone_opens_nothing(coordinator_client, case):
    case.group.coordinator_may_read_cases = True
    case.group.save()
    assert_content_hidden(coordinator_client.get(change_url(case)).text)


def test_a_draft_is_invisible_in_the_admin_to_everyone_but_its_owner(
    coordinator_client, superuser_client, owner_client, case
):
    everyone_agrees(case.group)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.DRAFT)
    for client in (coordinator_client, superuser_client):
        assert client.get(change_url(case)).status_code == 404
        assert "Overbelasting" not in client.get(CHANGELIST).text
    assert owner_client.get(change_url(case)).status_code == 200


def test_contract_only_opens_cases_to_the_coordinator_not_to_other_superusers(
    superuser_client, case
):
    everyone_agrees(case.group)
    assert_content_hidden(superuser_client.get(change_url(case)).text)


def test_owner_reads_everything_including_private_notes(owner_client, case):
    text = owner_client.get(change_url(case)).text
    assert QUESTION in text
    assert NOTES in text


def test_only_the_owner_changes_a_cases_status(coordinator_client, superuser_client, case):
    everyone_agrees(case.group)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.DRAFT)
    post = {"title": case.title, "status": CaseStatus.PROPOSED, "depth": case.depth}
    assert coordinator_client.post(change_url(case), post).status_code == 404  # a draft
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.PROPOSED)
    for client in (coordinator_client, superuser_client):
        assert client.post(change_url(case), post | {"status": "chosen"}).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED


def test_the_owner_saving_in_the_admin_keeps_content_and_follows_the_lifecycle(owner_client, case):
    data = admin_form_data(owner_client.get(change_url(case)), "case_form")
    data["status"] = CaseStatus.FOLLOWED_UP  # proposed → followed up skips the meeting
    response = owner_client.post(change_url(case), data)
    assert response.status_code == 200
    assert "A case cannot go from" in response.text
    data["status"] = CaseStatus.CHOSEN
    assert owner_client.post(change_url(case), data).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CHOSEN
    assert case.working_question == QUESTION
    assert case.private_notes == NOTES


def test_search_does_not_reveal_content_to_who_may_not_read_it(superuser_client, case):
    response = superuser_client.get(CHANGELIST, {"q": "burn-out"})
    assert response.context["cl"].result_count == 0
    response = superuser_client.get(CHANGELIST, {"q": "aangevallen"})
    assert response.context["cl"].result_count == 0


def test_search_finds_content_for_who_may_read_it(coordinator_client, owner_client, case):
    assert coordinator_client.get(CHANGELIST, {"q": "burn-out"}).context["cl"].result_count == 0
    everyone_agrees(case.group)
    assert coordinator_client.get(CHANGELIST, {"q": "burn-out"}).context["cl"].result_count == 1
    assert coordinator_client.get(CHANGELIST, {"q": "aangevallen"}).context["cl"].result_count == 0
    # Nor the preparation: a hit would confirm what it says.
    in_preparation = coordinator_client.get(CHANGELIST, {"q": "extra diensten"})
    assert in_preparation.context["cl"].result_count == 0
    assert owner_client.get(CHANGELIST, {"q": "aangevallen"}).context["cl"].result_count == 1


def test_search_by_title_works_for_everyone(superuser_client, case):
    assert superuser_client.get(CHANGELIST, {"q": "Overbelasting"}).context["cl"].result_count == 1


def test_a_superuser_cannot_make_a_case_their_own_to_read_it(superuser_client, case):
    root = superuser_client.session["_auth_user_id"]
    data = admin_form_data(superuser_client.get(change_url(case)), "case_form")
    data["owner"] = root
    superuser_client.post(change_url(case), data)
    case.refresh_from_db()
    assert case.owner.username == "bram"
    assert_content_hidden(superuser_client.get(change_url(case)).text)
