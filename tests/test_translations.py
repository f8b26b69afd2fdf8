"""The Dutch catalogue is complete, sound, and compiled: Dutch is the default UI language."""

import gettext
import re
from pathlib import Path

import polib
import pytest

PO = Path(__file__).resolve().parent.parent / "locale" / "nl" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO))


def test_every_text_has_a_dutch_translation(catalogue):
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_translations_keep_their_placeholders(catalogue):
    wrong = []
    for entry in catalogue.translated_entries():
        if entry.msgid_plural:
            pairs = [
                (entry.msgid, entry.msgstr_plural[0]),
                (entry.msgid_plural, entry.msgstr_plural[1]),
            ]
        else:
            pairs = [(entry.msgid, entry.msgstr)]
        for source, dutch in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(dutch)):
                wrong.append(source)
    assert wrong == []


def test_the_compiled_catalogue_matches_the_source(catalogue):
    with open(PO.with_suffix(".mo"), "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    stale = [
        e.msgid
        for e in catalogue.translated_entries()
        if not e.msgid_plural
        and (
            translations.pgettext(e.msgctxt, e.msgid)
            if e.msgctxt
            else translations.gettext(e.msgid)
        )
        != e.msgstr
    ]
    assert stale == [], "run `make messages` (or compile the .po) after changing translations"
