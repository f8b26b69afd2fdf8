"""Language per member (issue 17.7): the choice is saved with the member, holds after the next
login on any device, and every mail is written in it."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groups.mail import send_meeting_invitation
from groups.models import Profile
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_switching_language_is_saved_and_holds_after_the_next_login(members):
    anna = members[0]
    phone = Client()
    phone.login(username="anna", password=PASSWORD)
    phone.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert Profile.objects.get(user=anna).language == "en"

    laptop = Client(headers={"accept-language": "nl"})  # a Dutch browser, no cookie
    laptop.post(reverse("login"), {"username": "anna", "password": PASSWORD})
    page = laptop.get(reverse("home"))
    assert page.context["LANGUAGE_CODE"] == "en"
    assert "Your intervision groups and what comes next." in page.text
    # The language cookie follows, so the room's websocket speaks the same language.
    assert page.cookies["django_language"].value == "en"


def test_switching_without_logging_in_stores_nothing(db):
    Client().post(reverse("set_language"), {"language": "en", "next": "/"})
    assert not Profile.objects.exists()


def test_each_member_gets_mail_in_their_own_language(group, members, meeting):
    Profile.objects.create(user=members[0], language="en")
    send_meeting_invitation(meeting)
    by_address = {m.to[0]: m for m in mail.outbox}
    english, dutch = by_address["anna@example.org"], by_address["bram@example.org"]
    assert "You are invited to the next meeting" in english.body
    assert "Je bent uitgenodigd voor de volgende bijeenkomst" in dutch.body
    # Dates too: an English weekday for Anna, a Dutch one for Bram.
    weekday_en = timezone.localtime(meeting.starts_at).strftime("%A")
    assert weekday_en in english.subject
    assert weekday_en not in dutch.subject
