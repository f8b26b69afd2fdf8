"""Signing in is throttled per account AND address (django-axes): a guesser locks only their own
tries out, never the member elsewhere. Password-reset mails are limited, the page stays the same."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.66"
OFFICE = "192.0.2.10"


def sign_in(address: str, username: str, password: str):
    return Client(REMOTE_ADDR=address).post(
        reverse("login"), {"username": username, "password": password}
    )


def lock_out(username: str, address: str = ATTACKER) -> None:
    for _ in range(4):
        assert sign_in(address, username, "raden?").status_code == 200  # the form again
    assert sign_in(address, username, "raden?").status_code == 429  # the fifth locks


def test_five_wrong_passwords_lock_that_account_from_that_address_with_the_wait(members):
    lock_out("bram")
    response = sign_in(ATTACKER, "bram", PASSWORD)  # even the right password, for now
    assert response.status_code == 429
    html = response.content.decode()
    assert "Te veel mislukte pogingen voor dit account" in html
    minutes = int(re.search(r"Probeer het over (\d+) minuten opnieuw", html).group(1))
    assert 14 <= minutes <= 15
    assert 'value="bram"' in html  # the form is there again, filled in
    assert "_auth_user_id" not in Client().session  # nobody got in


def test_the_member_signs_in_from_elsewhere_while_a_guesser_is_locked_out(members):
    lock_out("bram")
    assert sign_in(OFFICE, "bram", PASSWORD).status_code == 302


def test_the_guesser_may_still_sign_in_to_their_own_account(members):
    lock_out("bram")
    assert sign_in(ATTACKER, "chantal", PASSWORD).status_code == 302


def test_changing_the_case_of_the_name_gives_no_fresh_tries(members):
    for name in ("bram", "Bram", "BRAM", "bRam", "braM"):
        sign_in(ATTACKER, name, "raden?")
    assert sign_in(ATTACKER, "bram", PASSWORD).status_code == 429


def test_a_lock_out_does_not_grow_by_trying_again(members):
    lock_out("bram")
    first = int(sign_in(ATTACKER, "bram", "x")["Retry-After"])
    for _ in range(3):
        sign_in(ATTACKER, "bram", "x")
    assert int(sign_in(ATTACKER, "bram", "x")["Retry-After"]) <= first


def test_a_good_sign_in_forgets_the_earlier_mistakes(members):
    for _ in range(4):
        sign_in(OFFICE, "bram", "typo")
    assert sign_in(OFFICE, "bram", PASSWORD).status_code == 302
    for _ in range(4):
        assert sign_in(OFFICE, "bram", "typo").status_code == 200
    assert sign_in(OFFICE, "bram", PASSWORD).status_code == 302


def ask_reset(email: str, address: str = OFFICE):
    return Client(REMOTE_ADDR=address).post(reverse("password_reset"), {"email": email})


def test_at_most_three_reset_mails_an_hour_to_one_address_same_page_either_way(members):
    answers = [ask_reset("bram@example.org") for _ in range(5)]
    assert len(mail.outbox) == 3
    assert {a.status_code for a in answers} == {302}
    assert {a.url for a in answers} == {reverse("password_reset_done")}
    # Another member's mail is not held up by it.
    ask_reset("chantal@example.org", address="198.51.100.3")
    assert len(mail.outbox) == 4


def test_one_client_address_cannot_mail_every_member(members, settings):
    limit = settings.RATE_LIMITS["password_reset.address"][0]
    for i in range(limit + 3):
        assert ask_reset(f"{members[i % 6].username}@example.org", ATTACKER).status_code == 302
    assert len(mail.outbox) <= limit
