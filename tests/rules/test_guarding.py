"""The facilitator gets gentle hints on how a question is put: tips in disguise, closed, "waarom",
several at once, suggestive, and one person dominating. Real example sentences, Dutch first."""

import pytest
from django.utils import translation

from sessions_app.guarding import GuardHint, dominance_hint, question_hints


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def codes(text: str, open_questions_only: bool = True) -> set[str]:
    return {hint.code for hint in question_hints(text, open_questions_only=open_questions_only)}


GOOD_OPEN_QUESTIONS = [
    "Wat gebeurde er precies toen je de afspraak afzegde?",
    "Hoe reageerde je teamleider toen je het aankaartte?",
    "Wat voelde je op dat moment?",
    "Wie waren er nog meer bij dat gesprek?",
    "Wanneer merkte je voor het eerst dat het misging?",
    "Welke afspraken hadden jullie gemaakt over de planning?",
    "Wat heb je zelf al geprobeerd?",
    "Waar heb je aan gedacht toen hij dat zei?",
    "Wat zou je het liefst willen dat er gebeurt?",
    "Hoe zou het zijn als je het gesprek morgen opnieuw kon voeren?",
    "Wat heb je toen gedacht?",
    "Wat maakt dit voor jou zo lastig?",
    "Kun je iets meer vertellen over dat gesprek met je teamleider?",
    "Wat zou er gebeuren als je niets doet?",
    "Hoe zie je je eigen rol in dit conflict?",
    "Wat had je nodig van je collega's op dat moment?",
    "Op welke momenten lukt het je wel om nee te zeggen?",
    "Als je terugkijkt, wat had je anders willen doen?",
    "Met wie heb je hier al over gesproken?",
    "Wat zou je doen als je alle tijd van de wereld had?",
    "Hoe weet je dat hij het zo bedoelde?",
    "Wil je beschrijven hoe een gewone maandagochtend er voor jou uitziet?",
    "Ik zou graag willen weten hoe je je daarbij voelde.",
    "Wat vind je zelf het moeilijkste aan deze situatie?",
    "Wat denk je dat je collega van jou verwacht?",
    "Hoe voelde dat, toen hij je zo toesprak?",
    "wat deed je daarna",
    "Zou je eens kunnen vertellen wat er die ochtend gebeurde?",
    "What did you do next?",
    "How did that conversation feel for you?",
]


@pytest.mark.parametrize("question", GOOD_OPEN_QUESTIONS)
def test_a_good_open_question_gets_no_hint(question):
    assert question_hints(question, open_questions_only=True) == []


HINTED = [
    # Tips dressed as questions
    ("Heb je er al aan gedacht om het met je leidinggevende te bespreken?", {"tip"}),
    ("Heb je wel eens overwogen om een andere baan te zoeken?", {"tip"}),
    ("Zou je niet eerst met Karin moeten praten?", {"tip"}),
    ("Waarom probeer je niet gewoon een keer nee te zeggen?", {"tip"}),
    ("Kun je niet gewoon de planning zelf maken?", {"tip"}),
    ("Misschien moet je het eens op papier zetten?", {"tip"}),
    ("Ik zou hem gewoon bellen, wat vind jij?", {"tip"}),
    ("Als ik jou was, zou ik het gesprek met de directeur aangaan.", {"tip"}),
    ("Heb je al geprobeerd om de taken anders te verdelen?", {"tip"}),
    ("Is het geen idee om de overdracht op papier te zetten?", {"tip"}),
    ("Wat als je eens een week lang na vijven geen mail leest?", {"tip"}),
    ("Je zou ook een collega om hulp kunnen vragen.", {"tip"}),
    ("Moet je niet eerst je eigen grenzen aangeven?", {"tip"}),
    ("Oké, en heb je eraan gedacht om een time-out te nemen?", {"tip"}),
    ("Have you considered talking to HR about it?", {"tip"}),
    ("Why don't you just tell her?", {"tip"}),
    ("If I were you, I would escalate this.", {"tip"}),
    # Closed where the step wants open questions
    ("Ben je boos geworden?", {"closed"}),
    ("Heb je dat al met haar besproken?", {"closed"}),
    ("Is het de eerste keer dat dit gebeurt?", {"closed"}),
    ("Vind je het lastig om nee te zeggen?", {"closed"}),
    ("Was je op dat moment alleen?", {"closed"}),
    ("Kun je hem niet vertrouwen?", {"closed"}),
    ("Speelt er ook iets in je privéleven mee?", {"closed"}),
    ("Klopt het dat je manager daar niet van wist?", {"closed"}),
    ("Dat was lastig voor je, toch?", {"closed"}),
    ("Als hij boos wordt, ben je dan bang?", {"closed"}),
    ("Did you tell your manager?", {"closed"}),
    # Waarom
    ("Waarom heb je dat niet eerder gezegd?", {"why"}),
    ("Waarom vind je dat zo moeilijk?", {"why"}),
    ("Waarom koos je ervoor om te zwijgen?", {"why"}),
    ("Why did you stay silent?", {"why"}),
    # Several questions in one turn
    ("Wat deed je toen? En wat zei je collega?", {"several"}),
    ("Hoe reageerde hij en wat voelde jij daarbij?", {"several"}),
    ("Wat is je rol in het team en hoe lang werk je er al?", {"several"}),
    ("Wie was erbij, wanneer was het en wat zei je?", {"several"}),
    # Suggestive
    ("Ben je het niet met me eens dat hij over je grens gaat?", {"suggestive"}),
    ("Vind je ook niet dat je teamleider hier verantwoordelijk is?", {"suggestive"}),
    ("Denk je niet dat je te veel hooi op je vork neemt?", {"suggestive"}),
    ("Is het niet zo dat je het conflict uit de weg gaat?", {"suggestive"}),
    ("Je was toch ook gewoon moe?", {"suggestive"}),
    ("Had je niet beter eerst je leidinggevende kunnen inlichten?", {"suggestive"}),
    ("Don't you think she is taking advantage of you?", {"suggestive"}),
    # More than one thing at once
    ("Waarom heb je niet meteen gezegd wat je dacht en hoe voelde dat?", {"why", "several"}),
    ("Heb je al met haar gesproken? En met je teamleider?", {"closed", "several"}),
]


@pytest.mark.parametrize(("question", "expected"), HINTED)
def test_a_question_that_breaks_a_rule_gets_that_hint(question, expected):
    assert codes(question) == expected


@pytest.mark.parametrize(
    "question",
    [
        "Heb je dat al met haar besproken?",
        "Ben je boos geworden?",
        "Dat was lastig voor je, toch?",
        "Klopt het dat je manager daar niet van wist?",
    ],
)
def test_closed_questions_are_fine_where_the_method_allows_them(question):
    assert codes(question, open_questions_only=False) == set()


def test_a_tip_is_still_a_tip_where_closed_questions_are_allowed():
    assert codes("Heb je er al aan gedacht om het te escaleren?", open_questions_only=False) == {
        "tip"
    }


def test_a_hint_is_worded_gently_and_points_to_the_advice_step():
    (hint,) = question_hints("Heb je al eens overwogen om te stoppen?", open_questions_only=True)
    assert hint == GuardHint("tip", hint.message)
    assert "tip" in hint.message and "advice step" in hint.message


def test_an_empty_or_aloud_question_gets_no_hint():
    assert question_hints("", open_questions_only=True) == []
    assert question_hints("  ?  ", open_questions_only=True) == []


@pytest.mark.parametrize(
    ("counts", "who"),
    [
        ({"Chantal": 6, "Daan": 1, "Eva": 2, "Femke": 1}, "Chantal"),
        ({"Chantal": 3, "Daan": 0, "Eva": 0}, "Chantal"),
        ({"Daan": 5, "Chantal": 2, "Eva": 2}, "Daan"),
    ],
)
def test_one_person_asking_far_more_than_the_others_is_named(counts, who):
    hint = dominance_hint(counts)
    assert hint is not None and hint.code == "dominance" and who in hint.message


@pytest.mark.parametrize(
    "counts",
    [
        {},
        {"Chantal": 9},
        {"Chantal": 2, "Daan": 0, "Eva": 0},  # too few to speak of dominance
        {"Chantal": 4, "Daan": 3, "Eva": 3},  # busy, but not far more
        {"Chantal": 4, "Daan": 4, "Eva": 0, "Femke": 0},  # two lead: not one person
        {"Chantal": 5, "Daan": 3, "Eva": 3, "Femke": 2},
    ],
)
def test_a_balanced_round_gets_no_dominance_hint(counts):
    assert dominance_hint(counts) is None


def test_two_people_with_the_same_name_are_counted_apart():
    """Two guests called Sam asked two questions each: nobody dominates (counted by name, one
    "Sam" would have asked four)."""
    names = {11: "Sam", 12: "Sam", 13: "Eva"}
    assert dominance_hint({11: 2, 12: 2, 13: 0}, names) is None
    hint = dominance_hint({11: 4, 12: 1, 13: 0}, names)
    assert hint is not None and "Sam has asked 4 questions" in hint.message
