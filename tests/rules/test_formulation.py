"""A member writing a case question gets gentle hints on how to put it; nothing is ever blocked."""

import pytest
from django.utils import translation

from cases.formulation import FormulationHint, check_formulation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def codes(question: str) -> list[str]:
    return [hint.code for hint in check_formulation(question)]


WELL_PUT = [
    "Hoe kan ik in het wekelijkse teamoverleg duidelijker aangeven dat mijn planning vol zit?",
    "Ik wil leren om nee te zeggen als mijn leidinggevende op vrijdagmiddag extra werk brengt.",
    "Hoe ga ik om met de emoties van ouders tijdens een lastig slecht-nieuwsgesprek?",
    "Wat kan ik doen om mijn eigen grenzen te bewaken bij de avonddiensten op de afdeling?",
    "Hoe zorg ik dat ik na een drukke dienst de overdracht rustig en volledig afrond?",
    "Hoe kan ik als nieuwe teamleider het gesprek aangaan met een ervaren collega die mijn "
    "aanpak bekritiseert?",
    "Op welke manier kan ik mijn werkdag zo indelen dat ik tijd overhoud voor de projectaanvraag?",
    "Welke stappen kan ik zetten om de klachtenprocedure binnen twee maanden af te ronden?",
    "Hoe kan ik feedback geven aan een stagiair die herhaaldelijk te laat komt op de vroege "
    "dienst?",
    "Ik merk dat ik in vergaderingen met de directie stilval; hoe kan ik mijn punt rustig maar "
    "duidelijk maken?",
    "Hoe kan ik de communicatie met de planningsafdeling over spoedopdrachten verbeteren?",
    "Hoe voorkom ik dat ik in het overleg steeds degene ben die de notulen maakt?",
    "Wat maakt dat ik het schrijven van de kwartaalrapportage telkens uitstel?",
    "Hoe kan ik het beste reageren als een cliënt in de wachtkamer agressief wordt?",
    "Hoe kan ik reageren als mijn collega mij in het teamoverleg onderbreekt?",
    "Hoe zorg ik dat de overdracht naar de avonddienst volledig is?",
    "Hoe ga ik om met de kritiek van Jan tijdens het teamoverleg?",
]


@pytest.mark.parametrize("question", WELL_PUT)
def test_a_well_put_dutch_work_question_gets_no_hints(question):
    assert check_formulation(question) == []


POORLY_PUT = [
    # Someone else's behaviour is the subject of change.
    ("Hoe krijg ik mijn collega zover dat hij zijn deadlines haalt?", ["about_others"]),
    ("Hoe krijg ik haar zover dat ze op tijd komt?", ["about_others"]),
    ("Hoe krijg ik ze zo ver dat ze de nieuwe roosters gebruiken?", ["about_others"]),
    ("Hoe zorg ik dat zij haar werk beter plant?", ["about_others"]),
    ("Ik wil dat mijn manager mij meer ruimte geeft in het project.", ["about_others"]),
    ("Hoe kan ik ervoor zorgen dat mijn team de nieuwe werkwijze omarmt?", ["about_others"]),
    ("Hoe krijg ik het team mee in de nieuwe roosterplanning?", ["about_others"]),
    ("Hoe kan ik mijn manager overtuigen om mij een dag thuiswerken te geven?", ["about_others"]),
    ("Hoe kan ik hem laten inzien dat zijn toon kwetsend is?", ["about_others"]),
    ("Hoe overtuig ik de directie van het belang van een extra formatieplaats?", ["about_others"]),
    # Not the inbrenger's own question.
    ("Mijn collega komt steeds te laat op het werk.", ["not_own"]),
    ("De samenwerking tussen de afdelingen Inkoop en Logistiek loopt stroef.", ["not_own"]),
    ("Hoe moet het team omgaan met de nieuwe regels?", ["not_own"]),
    ("Wat vindt de groep van mijn plan om te stoppen met de nachtdiensten?", ["not_own"]),
    ("Wat moet mijn collega doen zodat ik mijn werk op tijd af krijg?", ["not_own"]),
    ("Is het verstandig om mijn leidinggevende te vertellen dat ik solliciteer?", ["not_own"]),
    # Too general.
    ("Hoe kan ik de communicatie verbeteren?", ["vague"]),
    ("Hoe kan ik de communicatie in mijn team verbeteren?", ["vague"]),
    ("Hoe kan ik de werkdruk in mijn team verlagen?", ["vague"]),
    ("Hoe plan ik beter?", ["vague"]),
    ("Hoe ga ik om met collega's die nooit hun afspraken nakomen?", ["vague"]),
    ("Hoe kan ik in het algemeen beter omgaan met drukte?", ["vague"]),
    ("Hoe kan ik alles op tijd af krijgen?", ["vague"]),
    ("Samenwerking.", ["not_own", "vague"]),
    ("Men verwacht dat ik alles regel.", ["not_own", "vague"]),
    # "Waarom" sounds judging.
    ("Waarom stel ik het schrijven van rapportages uit tot het laatste moment?", ["why"]),
    ("Ik vraag me af waarom ik zo snel geïrriteerd raak in overleg met de planner.", ["why"]),
    ("Waarom doet mijn collega zo moeilijk over de roosters?", ["not_own", "why"]),
    # Several problems at once.
    ("Hoe kan ik zorgen dat iedereen altijd tevreden is?", ["about_others", "vague"]),
    ("Waarom luistert niemand?", ["not_own", "why", "vague"]),
    # Too long: four sentences, or one sentence of more than forty words.
    (
        "Ik werk sinds kort op de afdeling. Mijn collega's zijn aardig. Toch voel ik me "
        "buitengesloten. Hoe kan ik aansluiting vinden bij de lunchgroep?",
        ["too_long"],
    ),
    (
        "Hoe kan ik, nu ik sinds januari naast mijn eigen caseload ook de inwerkbegeleiding van "
        "drie nieuwe collega's op de afdeling verpleegkunde heb gekregen en daarnaast nog het "
        "kwaliteitsproject trek, mijn week zo plannen dat ik ook tijd houd voor mijn eigen "
        "cliënten en de overdrachten?",
        ["too_long"],
    ),
]


@pytest.mark.parametrize(("question", "expected"), POORLY_PUT, ids=[q[:40] for q, _ in POORLY_PUT])
def test_a_poorly_put_dutch_question_gets_the_matching_hints(question, expected):
    assert codes(question) == expected


def test_the_examples_cover_at_least_twenty_five_realistic_dutch_questions():
    assert len(WELL_PUT) + len(POORLY_PUT) >= 25


@pytest.mark.parametrize("question", ["", "   ", "\n\t", "?!", None])
def test_an_empty_question_gets_only_the_empty_hint(question):
    hints = check_formulation(question)

    assert [h.code for h in hints] == ["empty"]
    assert hints[0].severity == "warning"
    assert hints[0].message == "Write down the question you want to bring in."


@pytest.mark.parametrize(
    "opening",
    [
        "Ik wil",
        "ik wil",
        "Hoe kan ik",
        "Hoe zorg ik",
        "Wat kan ik",
        "Hoe ga ik",
        "Wanneer moet ik",
        "Welke toon kan ik",
        "Op welke manier kan ik",
        "In hoeverre kan ik",
        "Moet ik",
        "Kan ik",
    ],
)
def test_any_opening_where_ik_asks_the_question_counts_as_own(opening):
    question = f"{opening} de weekplanning met de roosteraar op maandagochtend bespreken?"

    assert "not_own" not in codes(question)


def test_an_introduction_like_mijn_vraag_is_is_skipped_before_checking():
    assert codes("Mijn vraag is: hoe kan ik de weekplanning op maandag rustiger maken?") == []
    assert codes("Hulpvraag: Hoe kan ik nee zeggen tegen extra diensten in het weekend?") == []
    assert codes("Mijn vraag is hoe ik rustig blijf tijdens een lastig oudergesprek.") == []


def test_context_may_come_first_when_the_question_itself_is_own():
    question = (
        "Mijn collega komt vaak te laat bij de overdracht. Hoe kan ik dat bespreekbaar maken?"
    )

    assert codes(question) == []


def test_typographic_apostrophes_read_like_plain_ones():
    assert codes("Hoe zorg ik dat mijn collega’s de nieuwe werkwijze volgen?") == ["about_others"]
    assert codes("How do I get my manager’s team to use the new tool?") == ["about_others"]
    assert codes("I’m stuck on how to plan the quarterly review with finance.") == []


def test_showing_or_telling_others_something_is_not_about_changing_them():
    assert codes("Hoe kan ik mijn team laten zien wat ik als coördinator eigenlijk doe?") == []
    assert codes("Hoe kan ik mijn collega's beter betrekken bij de planning van de open dag?") == []


def test_the_not_own_hint_speaks_english_to_an_english_reader():
    (hint,) = check_formulation("Mijn collega komt steeds te laat op het werk.")

    assert hint == FormulationHint(
        "not_own", "Make it your own question: start with “I…” or “How can I…”.", "warning"
    )


def test_the_not_own_hint_suggests_starting_with_ik_in_dutch():
    with translation.override("nl"):
        (hint,) = check_formulation("Mijn collega komt steeds te laat op het werk.")

    assert hint.message == "Maak het je eigen vraag: begin met “Ik…” of “Hoe kan ik…”."


def test_the_about_others_hint_explains_intervision_is_about_what_you_can_change():
    (hint,) = check_formulation("Hoe krijg ik haar zover dat ze op tijd komt?")

    assert hint.severity == "warning"
    assert "what you can change yourself" in hint.message


def test_the_why_hint_suggests_hoe_or_wat():
    (hint,) = check_formulation("Waarom stel ik het schrijven van rapportages steeds uit?")

    assert hint.code == "why"
    assert hint.severity == "tip"
    assert "“hoe” or “wat”" in hint.message


def test_an_english_why_question_gets_the_hint_in_english_words():
    (hint,) = check_formulation("Why do I put off writing my reports until the last moment?")

    assert hint.code == "why"
    assert hint.message.startswith("A “why” question can sound judging")
    assert "“how” or “what”" in hint.message
    assert "waarom" not in hint.message


def test_the_vague_hint_names_the_generalising_word():
    (hint,) = check_formulation("Hoe ga ik om met collega's die nooit hun afspraken nakomen?")

    assert hint.severity == "tip"
    assert hint.message.startswith("“nooit” makes the question general.")


def test_the_vague_hint_asks_for_a_concrete_situation_when_the_question_is_thin():
    (hint,) = check_formulation("Hoe kan ik de communicatie verbeteren?")

    assert hint.message == (
        "Make it concrete: one situation, with whom, when, and what you want from it."
    )


def test_five_words_are_enough_to_not_be_too_short():
    assert codes("Hoe plan ik mijn overdrachten?") == []
    assert codes("Hoe plan ik beter?") == ["vague"]


def test_forty_words_are_still_fine_but_forty_one_are_too_long():
    opening = "Hoe kan ik"
    filler = " ".join(["rustig"] * 37)
    forty = f"{opening} {filler}?"
    assert len(forty.split()) == 40

    assert "too_long" not in codes(forty)
    assert "too_long" in codes(f"{opening} {filler} blijven?")


def test_three_sentences_are_fine_and_abbreviations_are_not_sentence_ends():
    question = (
        "Ik begeleid sinds maart twee stagiairs, o.a. bij de intake. Ik heb weinig tijd. "
        "Hoe kan ik de begeleiding bijv. per week plannen?"
    )

    assert codes(question) == []


def test_the_too_long_hint_is_a_tip_that_mentions_three_sentences():
    hints = check_formulation("Ik werk hier. Het is druk. Ik slaap slecht. Hoe kan ik rusten?")

    assert [(h.code, h.severity) for h in hints] == [("too_long", "tip")]
    assert "three sentences" in hints[0].message


def test_hints_come_in_a_stable_order_from_most_to_least_important():
    hints = check_formulation("Waarom doet iedereen altijd zo moeilijk over de roosters?")

    assert [h.code for h in hints] == ["not_own", "why", "vague"]
    assert [h.severity for h in hints] == ["warning", "tip", "tip"]


# English questions behave the same way.


@pytest.mark.parametrize(
    "question",
    [
        "How can I say no to extra shifts without feeling guilty towards my team?",
        "I want to plan my week so that urgent requests from sales do not derail my project work.",
        "What can I do when a parent shouts at me during the evening meeting?",
        "Should I tell my manager that I am applying for another job?",
        "My question is: how can I delegate the weekly report to a junior colleague?",
    ],
)
def test_a_well_put_english_question_gets_no_hints(question):
    assert check_formulation(question) == []


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How do I get my manager to approve the training budget?", ["about_others"]),
        ("How can I make my manager understand the deadline is unrealistic?", ["about_others"]),
        ("Why does my team never listen?", ["not_own", "why", "vague"]),
        ("The planning department keeps changing the schedule.", ["not_own"]),
        ("How can I improve communication in my team?", ["vague"]),
    ],
)
def test_a_poorly_put_english_question_gets_the_matching_hints(question, expected):
    assert codes(question) == expected


def test_a_hint_is_a_plain_value_the_view_can_render_and_compare():
    hint = check_formulation("Hoe plan ik beter?")[0]

    assert hint == FormulationHint(hint.code, hint.message, hint.severity)
    with pytest.raises(AttributeError):
        hint.code = "other"  # type: ignore[misc]
