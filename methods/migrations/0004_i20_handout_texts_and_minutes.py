"""Bring the built-in methods of an existing database to the hand-outs (issue 20).

Migration 0002 loads methods/library/methods.json as it is when a database is created; databases
created before this change keep the old texts and minutes. This applies the same changes to them,
field by field, and only where a field still holds the old library value: a coordinator's own
edit of a built-in step is kept. The changes are written out here (not read from methods.json) so
that later edits of the library file never change what this migration does.
"""

import secrets

from django.db import migrations

# (method slug, step key or None for the method itself, field, old value, new value)
CHANGES = [
    ("guns-and-roses", "verduidelijking", "default_minutes", 25, 20),
    (
        "guns-and-roses",
        "verduidelijking",
        "options",
        {"order": "random"},
        {
            "order": "random",
            "turn_rule": {
                "nl": "Stel één nieuwsgierige vraag, of pas. Geen tips en geen oordeel; een tip "
                "schrijf je op voor stap 4.",
                "en": "Ask one curious question, or pass. No tips and no judgement; write a tip "
                "down for step 4.",
            },
        },
    ),
    ("guns-and-roses", "hulp", "default_minutes", 25, 20),
    (
        "incidentmethode",
        "inventariseren",
        "facilitator_nl",
        "Laat iedereen kort een vraagstuk op het bord zetten. Kies daarna samen één vraagstuk om vandaag "
        "te behandelen; de rest bewaar je voor een volgende keer.",
        "Laat iedereen kort een vraagstuk op de lijst zetten, elk beginnend met ‘ik’. Kies daarna samen "
        "één vraagstuk om vandaag te behandelen; de rest blijft op de lijst voor een volgende keer.",
    ),
    (
        "incidentmethode",
        "inventariseren",
        "facilitator_en",
        "Have everyone briefly put an issue on the board. Then choose together one issue to work on "
        "today; keep the rest for next time.",
        "Have everyone put an issue on the list briefly, each starting with ‘I’. Then choose together "
        "one issue for today; the rest stays on the list for another time.",
    ),
    (
        "incidentmethode",
        "inventariseren",
        "inbrenger_nl",
        "Heb je al een vraagstuk klaar? Zet het kort op het bord. Wordt het gekozen, dan ben jij vandaag "
        "de inbrenger en sta je vanaf de volgende stap centraal.",
        "Jouw vraagstuk is gekozen: vandaag ben jij de inbrenger. In de volgende stap licht je het kort "
        "toe; bedenk alvast hoe je het in een paar zinnen vertelt.",
    ),
    (
        "incidentmethode",
        "inventariseren",
        "inbrenger_en",
        "Got an issue ready? Put it briefly on the board. If it is chosen, you are today's case bringer "
        "and take centre stage from the next step.",
        "Your issue has been chosen: today you are the case bringer. In the next step you explain it "
        "briefly; think of how to tell it in a few sentences.",
    ),
    (
        "incidentmethode",
        "inventariseren",
        "participant_nl",
        "Zet je eigen vraagstuk kort op het bord, beginnend met ‘ik’, en kies daarna mee welk vraagstuk "
        "vandaag aan bod komt.",
        "Zet je eigen vraagstuk kort op de lijst, beginnend met ‘ik’, en stem mee welk vraagstuk vandaag "
        "aan bod komt.",
    ),
    (
        "incidentmethode",
        "inventariseren",
        "participant_en",
        "Put your own issue briefly on the board, starting with ‘I’, and then help choose which issue to "
        "take on today.",
        "Put your own issue on the list briefly, starting with ‘I’, and vote on which issue to take up "
        "today.",
    ),
    ("incidentmethode", "benoemen", "default_minutes", 10, 5),
    ("incidentmethode", "benoemen", "max_minutes", 15, 10),
    ("incidentmethode", "rondjes-vragen", "default_minutes", 20, 15),
    (
        "incidentmethode",
        "rondjes-vragen",
        "options",
        {"open_questions_only": True},
        {
            "open_questions_only": True,
            "turn_rule": {
                "nl": "Stel één open vraag, of pas. Een vervolgvraag wacht tot je volgende beurt.",
                "en": "Ask one open question, or pass. A follow-up question waits for your next "
                "turn.",
            },
        },
    ),
    (
        "incidentmethode",
        "roddelen",
        "facilitator_nl",
        "Vraag de inbrenger de stoel om te draaien. Laat de groep in de derde persoon bespreken wat "
        "opviel: patronen, rode draden, lastige vragen, stiltes, lichaamstaal. Houd het respectvol en "
        "zonder adviezen.",
        "Vraag de inbrenger de stoel om te draaien. Laat de groep in de derde persoon bespreken wat "
        "opviel: patronen, rode draden, lastige vragen, stiltes, lichaamstaal. Houd het respectvol en "
        "zonder adviezen. Is de groep uitgeroddeld, laat de inbrenger zich dan omdraaien en kort "
        "reageren op wat hij hoorde.",
    ),
    (
        "incidentmethode",
        "roddelen",
        "facilitator_en",
        "Ask the case bringer to turn their chair around. Let the group discuss in the third person what "
        "stood out: patterns, common threads, hard questions, silences, body language. Keep it "
        "respectful and free of advice.",
        "Ask the case bringer to turn their chair around. Let the group discuss in the third person what "
        "struck them: patterns, common threads, hard questions, silences, body language. Keep it "
        "respectful and free of advice. When the group is done, let the case bringer turn back and react "
        "briefly to what they heard.",
    ),
    (
        "incidentmethode",
        "roddelen",
        "inbrenger_nl",
        "Draai je stoel om en luister alleen; reageer niet. Noteer voor jezelf wat je raakt of verrast. "
        "Straks krijg je kort het woord.",
        "Draai je stoel om en luister alleen; reageer niet. Noteer voor jezelf wat je raakt of verrast. "
        "Is de groep klaar, draai je dan weer om en vertel kort wat je hoorde en wat het met je deed.",
    ),
    (
        "incidentmethode",
        "roddelen",
        "inbrenger_en",
        "Turn your chair around and just listen; don't react. Note for yourself what touches or "
        "surprises you. You'll get the floor briefly afterwards.",
        "Turn your chair around and only listen; do not react. Note for yourself what touches or "
        "surprises you. When the group is done, turn back and say briefly what you heard and what it did "
        "to you.",
    ),
    (
        "incidentmethode",
        "roddelen",
        "participant_nl",
        "Praat met elkaar over de inbrenger in de derde persoon: welke patronen zie je, wat bleef "
        "onuitgesproken, waar werd het stil? Blijf respectvol en nieuwsgierig, en geef nog geen advies.",
        "Praat met elkaar over de inbrenger in de derde persoon: welke patronen zie je, wat bleef "
        "onuitgesproken, waar werd het stil? Blijf respectvol en nieuwsgierig, en geef nog geen advies. "
        "Daarna luister je naar de korte reactie van de inbrenger, zonder verder te roddelen.",
    ),
    (
        "incidentmethode",
        "roddelen",
        "participant_en",
        "Talk with each other about the case bringer in the third person: which patterns do you see, "
        "what stayed unsaid, where did it go quiet? Stay respectful and curious, and don't give advice "
        "yet.",
        "Talk with each other about the case bringer in the third person: what patterns do you see, what "
        "stayed unsaid, where did it go quiet? Stay respectful and curious, and give no advice yet. Then "
        "listen to the case bringer’s short reaction without gossiping on.",
    ),
    (
        "incidentmethode",
        "herbenoemen",
        "name_nl",
        "Eventueel herbenoemen",
        "Eventueel herformuleren",
    ),
    (
        "incidentmethode",
        "herbenoemen",
        "name_en",
        "Renaming the issue (optional)",
        "Reformulating the issue (optional)",
    ),
    (
        "incidentmethode",
        "herbenoemen",
        "facilitator_nl",
        "Vraag de inbrenger eerst kort te reageren op het roddelen. Vraag dan: klopt je vraagstuk nog, "
        "of zit het anders? Bij een nieuwe formulering volgt een nieuwe vragenronde; anders gaan jullie "
        "door naar de adviezen.",
        "Vraag de inbrenger: klopt je vraagstuk nog, of zit het anders dan je eerst dacht? Een nieuwe "
        "formulering typt de inbrenger op de telefoon; dan volgt een nieuwe ronde vragen. Blijft het "
        "vraagstuk zoals het was, dan gaan jullie door naar de adviezen.",
    ),
    (
        "incidentmethode",
        "herbenoemen",
        "facilitator_en",
        "First ask the case bringer to respond briefly to the gossip round. Then ask: does your issue "
        "still fit, or is it different? If it's reworded, a new question round follows; if not, you move "
        "on to the advice.",
        "Ask the case bringer: does the issue still fit, or is it different from what you first thought? "
        "The case bringer types a new wording on their phone; then a new round of questions follows. If "
        "the issue stays as it was, go on to the advice.",
    ),
    (
        "incidentmethode",
        "herbenoemen",
        "inbrenger_nl",
        "Draai je weer om en vertel kort wat je hoorde en wat het met je deed. Kijk dan of je vraagstuk "
        "nog klopt; formuleer het opnieuw als het toch anders zit. Allebei is goed.",
        "Kijk of je vraagstuk nog klopt. Zit het toch anders, formuleer het dan opnieuw hieronder: "
        "iedereen ziet de nieuwe formulering. Blijft het zoals het was, dan is dat ook goed.",
    ),
    (
        "incidentmethode",
        "herbenoemen",
        "inbrenger_en",
        "Turn back round and briefly say what you heard and what it did to you. Then check whether your "
        "issue still fits; reword it if it turns out to be different. Either is fine.",
        "Check whether your issue still fits. If it is different after all, reword it below: everyone "
        "sees the new wording. If it stays as it was, that is fine too.",
    ),
    (
        "incidentmethode",
        "herbenoemen",
        "participant_nl",
        "Luister naar de reactie van de inbrenger zonder het roddelgesprek voort te zetten. Dring geen "
        "nieuwe formulering op; de inbrenger beslist.",
        "Wacht af of de inbrenger het vraagstuk anders formuleert. Dring geen nieuwe formulering op; de "
        "inbrenger beslist.",
    ),
    (
        "incidentmethode",
        "herbenoemen",
        "participant_en",
        "Listen to the case bringer's response without carrying on the gossip conversation. Don't push a "
        "new wording; the case bringer decides.",
        "Wait and see whether the case bringer rewords the issue. Do not push a new wording; the case "
        "bringer decides.",
    ),
    ("incidentmethode", "nieuwe-vragen", "max_minutes", 20, 15),
    (
        "incidentmethode",
        "nieuwe-vragen",
        "options",
        {"open_questions_only": True},
        {
            "open_questions_only": True,
            "turn_rule": {
                "nl": "Stel één open vraag over de nieuwe formulering, of pas. Een vervolgvraag "
                "wacht tot je volgende beurt.",
                "en": "Ask one open question about the new wording, or pass. A follow-up question "
                "waits for your next turn.",
            },
        },
    ),
    (
        "incidentmethode",
        "adviezen",
        "participant_nl",
        "Denk even na en zet je advies op het bord, beginnend met ‘Als ik in jouw schoenen stond, dan…’. "
        "Lees het voor als je aan de beurt bent. Reageer niet op andermans adviezen.",
        "Denk even na en zet je advies op het bord, beginnend met ‘Als ik in jouw schoenen stond, dan…’. "
        "Daarna lezen jullie de adviezen een voor een voor, zoals de facilitator aangeeft. Reageer niet "
        "op andermans adviezen.",
    ),
    (
        "incidentmethode",
        "adviezen",
        "participant_en",
        "Take a moment to think, then put your advice on the board starting with ‘If I were in your "
        "shoes, I would…’. Read it out when it's your turn. Don't respond to other people's advice.",
        "Think for a moment and put your advice on the board, starting with ‘If I were in your shoes, I "
        "would…’. Then the advice is read out one by one, as the facilitator indicates. Do not react to "
        "other people’s advice.",
    ),
    ("incidentmethode", "afsluiting", "default_minutes", 10, 5),
    (
        "balint",
        "rondjes-vragen",
        "options",
        {"open_questions_only": False},
        {
            "open_questions_only": False,
            "turn_rule": {
                "nl": "Stel één vraag, of pas. Een vervolgvraag wacht tot je volgende beurt.",
                "en": "Ask one question, or pass. A follow-up question waits for your next turn.",
            },
        },
    ),
    ("roddelmodel", "vraag-introductie", "min_minutes", 3, 5),
    ("roddelmodel", "vraag-introductie", "max_minutes", 8, 5),
    ("roddelmodel", "probleemverkenning", "min_minutes", 5, 10),
    ("roddelmodel", "probleemverkenning", "max_minutes", 15, 10),
    (
        "roddelmodel",
        "probleemverkenning",
        "options",
        {},
        {
            "turn_rule": {
                "nl": "Stel één vraag over de feiten of over de beleving, of pas. Nog geen "
                "adviezen.",
                "en": "Ask one question about the facts or about how it feels, or pass. No advice "
                "yet.",
            }
        },
    ),
    ("roddelmodel", "reactie", "default_minutes", 10, 5),
    ("roddelmodel", "evaluatie", "min_minutes", 5, 10),
    ("roddelmodel", "evaluatie", "max_minutes", 15, 10),
    ("crea", "opening", "max_minutes", 10, 5),
    (
        "crea",
        "opening",
        "inbrenger_nl",
        "Noem kort je casus en waarom die nu speelt. Wordt hij gekozen, dan ben jij de inbrenger in deze "
        "bijeenkomst.",
        "Jouw casus is gekozen: jij bent de inbrenger in deze bijeenkomst. Denk mee over de rolverdeling "
        "en bedenk hoe je je casus straks kort en krachtig vertelt.",
    ),
    (
        "crea",
        "opening",
        "inbrenger_en",
        "Briefly name your case and why it matters now. If it is chosen, you are the case bringer in "
        "this meeting.",
        "Your case has been chosen: you are the case bringer in this meeting. Help divide the roles and "
        "think of how to tell your case briefly and clearly in a moment.",
    ),
    (
        "crea",
        "verkenning",
        "options",
        {"hki": True, "reformulate": True},
        {
            "hki": True,
            "reformulate": True,
            "turn_rule": {
                "nl": "Stel je vraag en vraag gerust door op het antwoord. Eerst de feiten, dan "
                "de beleving; nog geen ideeën.",
                "en": "Ask your question and feel free to follow up on the answer. Facts first, "
                "then how it is experienced; no ideas yet.",
            },
        },
    ),
    ("crea", "gezamenlijke-bewustwording", "default_minutes", 15, 10),
    ("crea", "evaluatie", "max_minutes", 10, 5),
    ("crea", "afronding", "min_minutes", 3, 5),
    ("crea", "afronding", "max_minutes", 10, 5),
    (
        "fresh-questioning",
        "vragen",
        "options",
        {"inbrenger_answers": False, "rating": ["warm", "lauw", "koud"]},
        {
            "inbrenger_answers": False,
            "rating": ["warm", "lauw", "koud"],
            "turn_rule": {
                "nl": "Stel één vraag, of pas. De inbrenger antwoordt niet, maar geeft je vraag "
                "een label.",
                "en": "Ask one question, or pass. The case bringer does not answer but labels "
                "your question.",
            },
        },
    ),
    ("winst-van-succes", "succeservaring", "min_minutes", 10, 15),
    ("winst-van-succes", "succeservaring", "max_minutes", 20, 15),
    ("winst-van-succes", "succesfactoren", "min_minutes", 15, 20),
    ("winst-van-succes", "succesfactoren", "max_minutes", 25, 20),
    ("winst-van-succes", "verdieping", "min_minutes", 10, 15),
    ("winst-van-succes", "verdieping", "max_minutes", 20, 15),
    ("winst-van-succes", "evaluatie", "min_minutes", 5, 10),
    ("winst-van-succes", "evaluatie", "max_minutes", 15, 10),
    ("speed-sparren", "voorbereiden", "default_minutes", 10, 5),
    ("speed-sparren", "voorbereiden", "min_minutes", 5, 3),
    ("speed-sparren", "voorbereiden", "max_minutes", 15, 10),
    ("speed-sparren", "ronde-1", "min_minutes", 5, 10),
    ("speed-sparren", "ronde-1", "max_minutes", 15, 10),
    ("speed-sparren", "ronde-2", "min_minutes", 5, 10),
    ("speed-sparren", "ronde-2", "max_minutes", 15, 10),
    ("speed-sparren", "ronde-3", "min_minutes", 5, 10),
    ("speed-sparren", "ronde-3", "max_minutes", 15, 10),
    ("speed-sparren", "stilte-1", "max_minutes", 5, 3),
    ("speed-sparren", "ronde-4", "min_minutes", 5, 10),
    ("speed-sparren", "ronde-4", "max_minutes", 15, 10),
    ("speed-sparren", "ronde-5", "min_minutes", 5, 10),
    ("speed-sparren", "ronde-5", "max_minutes", 15, 10),
    ("speed-sparren", "ronde-6", "min_minutes", 5, 10),
    ("speed-sparren", "ronde-6", "max_minutes", 15, 10),
    ("speed-sparren", "stilte-2", "max_minutes", 5, 3),
    ("speed-sparren", "nabespreking", "default_minutes", 15, 5),
    ("speed-sparren", "nabespreking", "min_minutes", 10, 5),
    ("speed-sparren", "nabespreking", "max_minutes", 20, 15),
    (
        "basismethode",
        "probleemkeuze",
        "inbrenger_nl",
        "Stem mee. Wordt jouw probleem gekozen, formuleer het dan kort als werkvraag die begint met ‘ik’ "
        "of ‘Hoe kan ik…’.",
        "Jouw probleem is gekozen. Formuleer het kort als werkvraag die begint met ‘ik’ of ‘Hoe kan "
        "ik…’.",
    ),
    (
        "basismethode",
        "probleemkeuze",
        "inbrenger_en",
        "Vote along. If your problem is chosen, phrase it briefly as a work question starting with ‘I’ "
        "or ‘How can I…’.",
        "Your problem has been chosen. Put it briefly as a work question starting with ‘I’ or ‘How can "
        "I…’.",
    ),
    (
        "basismethode",
        "onderzoek",
        "options",
        {"open_questions_only": True},
        {
            "open_questions_only": True,
            "turn_rule": {
                "nl": "Stel één open vraag, of pas. Een vervolgvraag wacht tot je volgende beurt.",
                "en": "Ask one open question, or pass. A follow-up question waits for your next "
                "turn.",
            },
        },
    ),
    (
        "incidentmethode-percepties",
        "keuze-incident",
        "inbrenger_nl",
        "Vertel kort je incident en zet het op het bord. Wordt het gekozen, dan ben jij de inbrenger.",
        "Jouw incident is gekozen: jij bent de inbrenger. In de volgende stap breng je het in kaart, met "
        "wat je voelde.",
    ),
    (
        "incidentmethode-percepties",
        "keuze-incident",
        "inbrenger_en",
        "Briefly tell your incident and put it on the board. If it is chosen, you are the case bringer.",
        "Your incident has been chosen: you are the case bringer. In the next step you map it out, "
        "including what you felt.",
    ),
    (
        "incidentmethode-percepties",
        "keuze-incident",
        "participant_nl",
        "Bedenk een moment waarop je niet wist hoe te reageren of later niet blij was met je reactie. "
        "Vertel het kort, zet het op het bord en kies mee.",
        "Bedenk een moment waarop je niet wist hoe te reageren of later niet blij was met je reactie. "
        "Vertel het kort, zet het op de lijst en stem mee.",
    ),
    (
        "incidentmethode-percepties",
        "keuze-incident",
        "participant_en",
        "Think of a moment when you didn't know how to react or later weren't happy with your reaction. "
        "Tell it briefly, put it on the board and help choose.",
        "Think of a moment when you did not know how to react or were not happy with your reaction "
        "afterwards. Tell it briefly, put it on the list and vote.",
    ),
    (
        "incidentmethode-percepties",
        "informatieronde",
        "options",
        {"open_questions_only": True},
        {
            "open_questions_only": True,
            "turn_rule": {
                "nl": "Stel één open vraag: wie, wat, waar of hoe. Of pas.",
                "en": "Ask one open question: who, what, where or how. Or pass.",
            },
        },
    ),
]


MINUTES = ("default_minutes", "min_minutes", "max_minutes")


def _apply(apps, schema_editor, forward: bool) -> None:
    Method = apps.get_model("methods", "Method")
    Step = apps.get_model("methods", "Step")
    using = schema_editor.connection.alias
    by_row: dict[tuple, list] = {}
    for slug, key, field, old, new in CHANGES:
        by_row.setdefault((slug, key), []).append((field, *((old, new) if forward else (new, old))))
    touched = set()
    for (slug, key), changes in by_row.items():
        if key is None:
            rows = Method.objects.using(using).filter(slug=slug, is_builtin=True)
        else:
            rows = Step.objects.using(using).filter(
                method__slug=slug, method__is_builtin=True, key=key
            )
        for row in rows:
            # A field someone changed since keeps their value; the minutes (bound together by a
            # check constraint) change only all together.
            apply = [(f, after) for f, before, after in changes if getattr(row, f) == before]
            if any(f in MINUTES for f, _before, _after in changes) and not all(
                getattr(row, f) == before for f, before, _after in changes if f in MINUTES
            ):
                apply = [(f, after) for f, after in apply if f not in MINUTES]
            for field, after in apply:
                setattr(row, field, after)
            if apply:
                row.save(update_fields=[field for field, _after in apply])
                touched.add(slug)
    # Running rooms cache steps by this token (methods/cache.py).
    for slug in touched:
        Method.objects.using(using).filter(slug=slug).update(steps_version=secrets.randbits(62))


def forwards(apps, schema_editor):
    _apply(apps, schema_editor, forward=True)


def backwards(apps, schema_editor):
    _apply(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("methods", "0003_method_steps_version")]

    operations = [migrations.RunPython(forwards, backwards)]
