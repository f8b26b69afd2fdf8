"""A member's data rights on a 390×844 phone: see, download, erase; in Dutch and English."""

import json
import zipfile

import pytest
from playwright.sync_api import expect

from cases.models import Case
from tests.conftest import PASSWORD

# serialized_rollback like the other browser tests: a plain transactional flush recreates the
# content types, which the next serialized test would then insert twice.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FITS = "document.documentElement.scrollWidth <= window.innerWidth"
UNLABELLED = """[...document.querySelectorAll('input:not([type=hidden]), textarea, select')]
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')).length"""


def test_a_member_sees_and_downloads_their_data_on_a_phone(members, group, new_person):
    Case.objects.create(
        group=group, owner=members[2], title="Werkdruk", working_question="Hoe kan ik nee zeggen?"
    )
    phone = new_person("chantal")
    phone.goto("/")
    phone.get_by_role("link", name="Mijn gegevens").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Mijn gegevens")
    assert phone.evaluate(FITS)
    cases = phone.locator('[data-section="cases"]')
    cases.get_by_text("Bekijk het").click()
    expect(cases.get_by_text("Hoe kan ik nee zeggen?")).to_be_visible()
    assert phone.evaluate(FITS)
    with phone.expect_download() as info:
        phone.get_by_role("link", name="Al mijn gegevens downloaden (ZIP)").click()
    archive = zipfile.ZipFile(info.value.path())
    data = json.loads(archive.read("intervisie-data.json"))
    titles = [r["title"] for s in data["sections"] if s["key"] == "cases" for r in s["records"]]
    assert titles == ["Werkdruk"]
    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("My data")
    assert phone.evaluate(FITS)


def test_a_member_erases_their_account_on_a_phone(members, group, new_person):
    phone = new_person("femke")
    phone.goto("/my-data/")
    phone.get_by_role("link", name="Mijn account wissen…").click()
    assert phone.evaluate(FITS) and phone.evaluate(UNLABELLED) == 0
    phone.get_by_label("Je wachtwoord").fill("fout")
    phone.get_by_role("button", name="Mijn account definitief wissen").click()
    expect(phone.get_by_text("Dat wachtwoord klopt niet.")).to_be_visible()
    phone.get_by_label("Je wachtwoord").fill(PASSWORD)
    phone.get_by_role("button", name="Mijn account definitief wissen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Je account is gewist")
    assert phone.evaluate(FITS)
    phone.goto("/my-data/")
    assert "/accounts/login/" in phone.url


def test_the_privacy_statement_fits_a_phone_in_both_languages(members, group, new_person):
    phone = new_person("anna", login=False)
    phone.goto("/j/")
    phone.get_by_role("link", name="Privacy: wat er over je bewaard wordt").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Privacyverklaring")
    assert phone.evaluate(FITS)
    phone.get_by_role("button", name="English").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Privacy statement")
    assert phone.evaluate(FITS)
