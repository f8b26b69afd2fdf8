"""Gentle checks on how a case question is put: own, about what *I* can change, concrete, short.

Dutch first, with the common English phrasings too. Heuristics on words, not grammar: each hint
is a suggestion the inbrenger may ignore; nothing here ever blocks a case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

Severity = Literal["tip", "warning"]

MAX_WORDS = 40
MAX_SENTENCES = 3
MIN_WORDS = 5
OPENING_WINDOW = 5  # "Welke concrete stappen kan ik…": "ik" within five words of the W/H-word

SELF = {"ik", "i", "i'm", "i've", "i'd", "i'll"}
QUESTION_WORDS = {
    "hoe", "wat", "wanneer", "welke", "welk", "waar", "wie", "waarom", "waarmee", "waardoor",
    "waarop", "waarin", "waarover", "waarvoor", "waaraan", "hoeveel", "hoever", "hoeverre",
    "how", "what", "when", "which", "where", "who", "whom", "why",
}  # fmt: skip
# "Op welke manier kan ik…", "In hoeverre kan ik…", "In what way can I…"
LEADING_PREPOSITIONS = {"op", "in", "met", "bij", "vanuit", "tot", "on", "with", "to", "at", "by"}
# "Moet ik…", "Kan ik…", "Should I…": a closed question, but still the inbrenger's own.
MODALS = {
    "kan", "kun", "moet", "zal", "wil", "mag", "ga", "zou", "durf",
    "can", "should", "shall", "do", "could", "would", "must", "may", "am",
}  # fmt: skip
# Someone else named before a subordinate clause makes them the subject: "Wat moet hij doen zodat
# ik…" is not my question, "Wat maakt dat ik…" is.
SUBORDINATORS = {"dat", "zodat", "als", "omdat", "terwijl", "opdat", "that", "if", "because"}
OTHER_SUBJECTS = {
    "hij", "zij", "ze", "jij", "je", "u", "we", "wij", "men", "iemand", "mijn", "onze", "de",
    "die", "deze", "he", "she", "they", "you", "someone", "my", "our", "the",
}  # fmt: skip

WHY_WORDS = {"waarom": ("hoe", "wat"), "why": ("how", "what")}

GENERALISERS = {
    "altijd", "nooit", "iedereen", "alles", "men", "niemand",
    "always", "never", "everyone", "everybody", "everything", "nobody",
}  # fmt: skip
GENERAL_PHRASES = ("in het algemeen", "over het algemeen", "in general")
# Big words that say little on their own: "de communicatie verbeteren" — with whom, about what?
ABSTRACT = {
    "communicatie", "samenwerking", "sfeer", "werkdruk", "cultuur", "motivatie",
    "communication", "collaboration", "atmosphere", "workload", "culture", "motivation",
}  # fmt: skip
# Words that add no specifics to an abstract word (the rest — names, places, moments — do).
FILLER = {
    "de", "het", "een", "in", "op", "met", "van", "voor", "bij", "aan", "over", "tussen", "om",
    "te", "en", "of", "mijn", "m'n", "onze", "ons", "ik", "we", "wij", "ze", "zij", "hij", "er",
    "ervoor", "zo", "meer", "beter", "goed", "goede", "hoe", "wat", "kan", "kun", "moet", "zal",
    "wil", "ga", "doen", "maken", "zorgen", "zorg", "verbeteren", "verbetering", "versterken",
    "verhogen", "verlagen", "krijgen", "krijg", "omgaan", "team", "teams", "werk", "collega",
    "collega's", "afdeling", "organisatie", "groep", "binnen",
    "the", "a", "an", "with", "on", "for", "my", "our", "they", "how", "can", "could",
    "do", "make", "improve", "better", "get", "work", "department", "organisation",
    "organization", "within", "and", "or", "to", "i", "what", "should",
}  # fmt: skip

WORD_RE = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
# "Mijn vraag is: …", "Hulpvraag: …", "My question is …" introduce the question; skip them.
PREFIX_RE = re.compile(
    r"^\s*(?:(?:mijn|de)\s+)?(?:hulp|werk|intervisie|casus)?vraag(?:\s+is\s*:?|\s*:)\s*"
    r"|^\s*my\s+question\s+is\s*:?\s*",
    re.IGNORECASE,
)
ABBREVIATION_RE = re.compile(
    r"\b(?:bijv|bv|o\.a|d\.w\.z|i\.p\.v|m\.b\.t|t\.a\.v|e\.d|enz|etc|e\.g|i\.e|vs|ca|dhr|mevr)\.",
    re.IGNORECASE,
)
SENTENCE_END_RE = re.compile(r"[.!?…]+(?=\s|$)")

# Who "others" are, for questions about changing them.
_DET = r"(?:mijn|m'n|onze|ons|de|het|die|deze|een|zijn|haar|alle|sommige|twee|drie)"
_NOUN = (
    r"(?:collega(?:'s|s)?|manager(?:s)?|leidinggevenden?|baas|chef|teamleider(?:s)?|teamleden|"
    r"teamlid|team|directeur|directie|medewerkers?|werknemers?|klanten?|cli[eë]nten?|"
    r"pati[eë]nten?|leerlingen?|studenten?|ouders|partner|stagiair[e]?s?|afdeling|mensen|"
    r"groep|werkgever|opdrachtgevers?|bestuur|docenten?|vrijwilligers?|buurman|buurvrouw)"
)
_PRONOUN = r"(?:hem|haar|ze|zij|hen|hun|hij|iedereen|anderen|niemand)"
_OTHERS = rf"(?:(?:{_DET} (?:\S+ )?)?{_NOUN}|{_PRONOUN})"
_DET_EN = r"(?:my|our|the|a|an|his|her|their|some|all)"
_NOUN_EN = (
    r"(?:colleagues?|managers?|boss|team|director|employees?|staff|clients?|customers?|"
    r"patients?|students?|pupils?|parents|partner|department|people)"
)
_OTHERS_EN = rf"(?:(?:{_DET_EN} (?:\S+ )?)?{_NOUN_EN}|him|her|them|everyone|everybody|others)"
ABOUT_OTHERS_RES = [
    re.compile(p)
    for p in (
        # "Hoe krijg ik hem zover…", "Hoe krijg ik het team mee…"
        rf"\bkrijg(?:en)? ik {_OTHERS}\b",
        rf"\b{_OTHERS} (?:zover|zo ver)\b",
        # "Hoe zorg ik dat zij…", "Ik wil dat mijn manager…", "…voor elkaar krijgen dat het team…"
        rf"\b(?:zorg|zorgen|wil|willen|bereik|bereiken|regel|regelen|bewerkstellig|"
        rf"bewerkstelligen|elkaar)(?: \S+){{0,3}}? (?:dat|zodat) {_OTHERS}\b",
        # "Hoe overtuig ik mijn manager…", "Hoe laat ik hem inzien…"
        rf"\b(?:overtuig|verander|dwing|laat) ik {_OTHERS}\b(?! (?:zien|weten|horen|merken)\b)",
        # "Hoe kan ik mijn collega overtuigen…", "…hem laten inzien…" (not "laten zien": showing)
        rf"\bik {_OTHERS}(?: \S+){{0,4}}? (?:overtuigen|veranderen|dwingen|"
        rf"laten(?! (?:zien|weten|horen|merken)\b))\b",
        # English: "get my manager to…", "make them…", "convince her…", "make sure that he…"
        rf"\bget {_OTHERS_EN} to\b",
        rf"\bmake {_OTHERS_EN} (?!aware\b)\w+",
        rf"\b(?:convince|persuade|change) {_OTHERS_EN}\b",
        rf"\b(?:make sure|ensure) (?:that )?(?:{_OTHERS_EN}|he|she|they)\b",
    )
]


@dataclass(frozen=True)
class FormulationHint:
    code: str
    message: str
    severity: Severity


def check_formulation(question: str) -> list[FormulationHint]:
    """Hints on a case question; an empty list means it is well put. Never blocks."""
    text = PREFIX_RE.sub("", (question or "").replace("’", "'"), count=1).strip()
    words = WORD_RE.findall(text.lower())
    if not words:
        return [
            FormulationHint("empty", _("Write down the question you want to bring in."), "warning")
        ]
    joined = " ".join(words)
    hints: list[FormulationHint] = []
    # Context may come first ("Mijn collega … . Hoe kan ik …?"): one own sentence is enough.
    if not any(_is_own(sentence) for sentence in _sentences(text)):
        hints.append(
            FormulationHint(
                "not_own",
                _("Make it your own question: start with “I…” or “How can I…”."),
                "warning",
            )
        )
    if any(pattern.search(joined) for pattern in ABOUT_OTHERS_RES):
        hints.append(
            FormulationHint(
                "about_others",
                _(
                    "Intervision is about what you can change yourself. Ask what you can do, "
                    "not how to get someone else to change."
                ),
                "warning",
            )
        )
    why = next((w for w in words if w in WHY_WORDS), None)
    if why:
        how, what = WHY_WORDS[why]
        hints.append(
            FormulationHint(
                "why",
                # The words of the question's own language: "waarom" → "hoe"/"wat".
                _(
                    "A “%(why)s” question can sound judging and invites justifying. "
                    "Ask with “%(how)s” or “%(what)s” instead."
                )
                % {"why": why, "how": how, "what": what},
                "tip",
            )
        )
    vague = _vague_message(words, joined)
    if vague:
        hints.append(FormulationHint("vague", vague, "tip"))
    if len(words) > MAX_WORDS or len(_sentences(text)) > MAX_SENTENCES:
        hints.append(
            FormulationHint(
                "too_long",
                _(
                    "Keep it short: one question in at most three sentences (about 40 words). "
                    "The details come out when the group asks."
                ),
                "tip",
            )
        )
    return hints


def _is_own(words: list[str]) -> bool:
    """Starts with "ik", with a modal + "ik", or with a W/H-word that "ik" soon follows."""
    if not words:
        return False
    first = words[0]
    if first in SELF:
        return True
    if first in MODALS:
        return len(words) > 1 and words[1] in SELF
    start = 1 if first in LEADING_PREPOSITIONS and len(words) > 1 else 0
    if words[start] not in QUESTION_WORDS:
        return False
    someone_else = False
    for word in words[start + 1 : start + 1 + OPENING_WINDOW]:
        if word in SELF:
            return True
        if word in SUBORDINATORS and someone_else:
            return False
        someone_else = someone_else or word in OTHER_SUBJECTS
    return False


def _vague_message(words: list[str], joined: str) -> str:
    general = next((w for w in words if w in GENERALISERS), None)
    general = general or next((p for p in GENERAL_PHRASES if f" {p} " in f" {joined} "), None)
    if general:
        return _(
            "“%(word)s” makes the question general. Think of one concrete situation: "
            "what happened, with whom, when?"
        ) % {"word": general}
    specifics = [w for w in words if w not in FILLER and w not in ABSTRACT]
    if len(words) < MIN_WORDS or (any(w in ABSTRACT for w in words) and len(specifics) < 2):
        return _("Make it concrete: one situation, with whom, when, and what you want from it.")
    return ""


def _sentences(text: str) -> list[list[str]]:
    """The words of each sentence; abbreviations such as "bijv." do not end one."""
    parts = SENTENCE_END_RE.split(ABBREVIATION_RE.sub("", text))
    return [words for part in parts if (words := WORD_RE.findall(part.lower()))]
