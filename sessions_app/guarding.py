"""Guarding the method: gentle hints for the facilitator on how a question is put.

Pure functions over text, Dutch first with the common English phrasings too. They are heuristics
on words, not grammar: each hint is a suggestion the facilitator may ignore, nothing here ever
blocks a question, and the hints are only ever shown on the facilitator's screen.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from statistics import median

from django.utils.translation import gettext as _

# One person "dominates" from this many questions on, at this multiple of the others' median.
DOMINANCE_MIN_QUESTIONS = 3
DOMINANCE_FACTOR = 2


@dataclass(frozen=True)
class GuardHint:
    code: str
    message: str


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Words a clause may open with that say nothing about its form: "En hoe…", "Oké, maar wat…".
_FILLER_RE = re.compile(
    r"^(?:(?:en|maar|dus|oké|oke|ok|okay|nou|ja|eh|uh|uhm|goed|tja|and|but|so|well)\b[,\s]*)+"
)
_WORD_RE = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")
_SENTENCE_RE = re.compile(r"[^.?!…]+[.?!…]*")

_YOU = r"(?:je|jij|u)"
_ANY = r"(?:\S+ )"

# A tip dressed as a question. `^` patterns apply to each clause after its filler words, so
# "Wat heb je al geprobeerd?" (a good question) is not "Heb je al geprobeerd…?" (a tip).
_TIP_RES = [
    re.compile(p)
    for p in (
        rf"^(?:heb|hebt|heeft) {_YOU} {_ANY}{{0,4}}?(?:overwogen|geprobeerd|"
        r"(?:er)?aan gedacht|gedacht (?:om|aan))\b",
        rf"^zou(?:dt)? {_YOU} {_ANY}{{0,2}}?(?:niet|eens|beter|misschien|gewoon)\b",
        rf"^(?:kun|kunt|kan) {_YOU} {_ANY}{{0,2}}?niet (?:gewoon|eens|even|eerst|ook|beter|zelf|"
        r"alvast|meteen)\b",
        rf"\b(?:kun|kunt|kan) {_YOU} niet gewoon\b",
        rf"^moet {_YOU} {_ANY}{{0,2}}?niet\b",
        rf"^{_YOU} (?:moet|moest|zou|zoudt|kunt|kan|kun)\b",
        r"\bwaarom (?:probeer|ga|vraag|zeg|doe|neem|stop|bel|maak|pak|zoek|laat|stuur|plan|kies|"
        r"geef|praat|spreek|mail|schrijf|regel|begin|leg|meld|kaart|trek|stap|deel|delegeer|"
        rf"benader) {_YOU}\b(?: \S+){{0,4}}? niet\b",
        r"\bwaarom niet (?:gewoon|eens|eerst|meteen)\b",
        rf"\bmisschien (?:moet|moest|kun|kunt|kan|zou|zoudt|zal) {_YOU}\b",
        r"\bmisschien is het (?:een )?(?:idee|goed|handig|beter|slim)\b",
        r"\bik zou\b(?! (?:graag |wel |het )?(?:willen |graag )?(?:weten|vragen|horen|benieuwd|"
        r"begrijpen|snappen))",
        r"\b(?:zelf|dan) zou ik\b",
        r"\bals ik (?:jou|u|jij) (?:was|ben|zou zijn)\b",
        r"\bals ik in (?:jouw|je|uw) (?:schoenen|plaats|positie|situatie)\b",
        r"\bin (?:jouw|je|uw) (?:plaats|schoenen) zou\b",
        r"\bis het (?:niet |geen |een )?(?:idee|optie|goed idee|handig(?:er)?|beter|slim(?:mer)?|"
        r"verstandig(?:er)?) om\b",
        rf"\bwat (?:als|nou als|als nou) {_YOU}\b(?: \S+){{0,3}}? (?:eens|gewoon|eerst)\b",
        r"^(?:probeer|vraag|zeg|doe|neem|bel|stuur|plan|maak|zoek|ga) (?:het |hem |haar |dat )?"
        r"(?:eens|gewoon|anders|maar)\b",
        r"\bhet lijkt me (?:goed|beter|handig|verstandig|slim)\b",
        r"\bmijn (?:tip|advies) (?:is|zou|zal)\b",
        # English
        r"^(?:have|had) you (?:\S+ ){0,2}?(?:considered|thought (?:about|of)|tried)\b",
        r"\bwhy (?:don't|do not|not) (?:you )?",
        r"^you (?:should|could|might want to|ought to)\b",
        r"\bif i were you\b",
        r"\bi(?: would|'d)\b(?! (?:like|love) to (?:know|ask|hear))",
        r"\bmaybe you (?:should|could|can)\b",
        r"\b(?:couldn't|can't|could) you (?:just|simply)\b",
        r"\bwhat if you (?:just|simply|tried)\b",
        r"\bwouldn't it be (?:better|easier|wiser|smarter)\b",
    )
]

# The opinion is already in the question.
_SUGGESTIVE_RES = [
    re.compile(p)
    for p in (
        rf"\bben {_YOU} het (?:dan |toch |ook |nu )*(?:niet )?(?:met (?:me|mij) )?eens\b",
        rf"\bvind {_YOU}\b(?: \S+){{0,3}}? niet\b(?: \S+){{0,2}}? dat\b",
        rf"^vind {_YOU}\b(?: \S+){{0,3}}? niet\b",
        rf"\bdenk {_YOU}\b(?: \S+){{0,2}}? niet\b(?: \S+)? dat\b",
        r"\bis het (?:dan |toch )?niet (?:zo dat|eerder|gewoon|juist)\b",
        r"\bzou het (?:niet )?(?:kunnen|zo kunnen zijn) dat\b",
        rf"\bmoet {_YOU} (?:niet )?toegeven\b",
        r"\bgeef (?:nou |maar |het )?(?:toch )?toe\b",
        rf"^had {_YOU} {_ANY}{{0,2}}?niet (?:beter|eerder|gewoon|moeten)\b",
        # "Je was toch ook boos?" — "toch" inside the sentence; at the very end it is a tag.
        r"^(?:je|jij|u|het|dat|hij|zij|ze) (?:\S+ ){1,2}?toch\b(?= \S)",
        r"\bdon't you (?:think|agree|feel)\b",
        r"\bwouldn't you (?:agree|say)\b",
        r"\bisn't it (?:true|the case|obvious) that\b",
        r"\bsurely you\b",
    )
]

# Closed: the finite verb comes first ("Ben je…", "Heeft hij…") — a yes/no question.
_CLOSED_VERBS = _wordset(
    """
    is ben bent was waren zijn heb hebt heeft hebben had hadden kun kunt kan kon konden kunnen
    wil wilt wilde wou willen zou zouden zal zult moet moest moeten mag mocht vind vindt vond
    denk denkt dacht ga gaat ging gingen weet wist doe doet deed voel voelt voelde merk merkt
    merkte zie ziet zag herken herkent speelt speelde klopt klopte werkt werkte gebeurt gebeurde
    komt kwam krijg krijgt kreeg sta staat stond blijf blijft bleef hoor hoort hoorde snap snapt
    begrijp begrijpt lukt lukte praat praatte zeg zegt zei durf durft durfde hoop hoopt verwacht
    geloof gelooft maak maakt maakte ervaar ervaart ligt lag houd hou houdt neem neemt nam geef
    geeft gaf word wordt werd ken kent kende heeft
    do does did is are was were have has had can could would will should shall may might must
    """
)
_SUBJECTS = _wordset(
    """
    je jij u jullie het er dat dit die deze hij zij ze men iemand iets daar de een jouw dan
    hem haar zo niemand iedereen
    you it he she they there that this we your the
    """
)
# "Kun je vertellen…", "Wil je beschrijven…": an open invitation, whatever its grammar.
_INVITATION_RE = re.compile(
    rf"^(?:kun|kunt|kan|wil|wilt|zou|zoudt|mag ik) (?:{_YOU} )?(?:\S+ ){{0,4}}?"
    r"(?:vertellen|beschrijven|uitleggen|toelichten|schetsen|noemen|omschrijven|verwoorden|"
    r"aangeven|zeggen (?:wat|hoe|welke|wie|wanneer)|voorbeeld|vragen (?:wat|hoe))\b"
    r"|^(?:can|could|would) you (?:\S+ ){0,3}?(?:tell|describe|explain|say (?:what|how)|walk)\b"
)
_QUESTION_WORDS = _wordset(
    """
    wie wat waar wanneer hoe welke welk waarom waardoor waarmee waarop waarin waarover waarvoor
    waaraan wiens hoeveel hoezo hoever hoeverre
    who what where when how which why whose
    """
)
# Clauses that only set the scene: "Als je terugkijkt, wat…", "…, toen hij dat zei?"
_SUBORDINATORS = _wordset(
    "als toen nadat omdat zodra terwijl hoewel voordat sinds stel indien zodat if when because"
)
_PREPOSITIONS = _wordset("op in met bij vanuit tot voor naar over on with at by for to")
_TAG_RE = re.compile(r"(?:,|\s)\s*(?:toch|of niet|ja of nee|right|isn't it|aren't you)\s*\?*\s*$")
_WHY_RE = re.compile(r"\b(?:waarom|hoezo|why)\b")
_JOINED_RE = re.compile(
    r"\ben (?:wat|hoe|waarom|wie|wanneer|welke|waar|waardoor|hoeveel)\b"
    r"|\band (?:what|how|why|who|when|which|where)\b"
)


def _normal(text: str) -> str:
    text = (text or "").replace("’", "'").replace("‘", "'").lower()
    return " ".join(text.split())


def _clause(text: str) -> str:
    """A clause without its punctuation and opening filler words."""
    words = " ".join(_WORD_RE.findall(text))
    return _FILLER_RE.sub("", words)


def _clauses(text: str) -> list[str]:
    parts = re.split(r"[.?!…;:,]+", text)
    return [c for part in parts if (c := _clause(part))]


def _question_sentences(text: str) -> list[str]:
    """The sentences that ask; a question typed without "?" counts as a whole."""
    sentences = [s.strip() for s in _SENTENCE_RE.findall(text) if s.strip()]
    asking = [s for s in sentences if s.endswith("?")]
    return asking or sentences


def _question_count(text: str) -> int:
    return sum(
        1 for s in _SENTENCE_RE.findall(text) if s.strip().endswith("?") and _clause(s).count(" ")
    )


def _matches(patterns: list[re.Pattern], text: str) -> bool:
    # "Zou je eens willen vertellen…" invites; it only looks like "Zou je eens…" (a tip).
    clauses = [c for c in _clauses(text) if not _INVITATION_RE.search(c)]
    whole = _clause(text)
    for pattern in patterns:
        if pattern.pattern.startswith("^"):
            if any(pattern.search(c) for c in clauses):
                return True
        elif pattern.search(whole):
            return True
    return False


def _is_closed(sentence: str) -> bool:
    if _TAG_RE.search(sentence):
        return True
    # The main clause decides, and in Dutch it usually comes last: "Als hij boos wordt, ben je
    # dan bang?" is closed; "Wat deed je, toen hij dat zei?" is open.
    for clause in reversed(_clauses(sentence)):
        words = clause.split()
        first = words[0]
        if first in _SUBORDINATORS:
            continue
        if first in _QUESTION_WORDS or _INVITATION_RE.search(clause):
            return False
        if first in _CLOSED_VERBS and len(words) > 1 and words[1] in _SUBJECTS:
            return True
        if first not in _PREPOSITIONS:
            return False
        if len(words) > 1 and words[1] in _QUESTION_WORDS:
            return False  # "Met wie…", "Op welke momenten…"
    return False


def question_hints(text: str, *, open_questions_only: bool) -> list[GuardHint]:
    """Hints on one question as typed in a question round; an empty list means well put."""
    normal = _normal(text)
    if not _WORD_RE.search(normal):
        return []
    hints: list[GuardHint] = []
    tip = _matches(_TIP_RES, normal)
    suggestive = not tip and _matches(_SUGGESTIVE_RES, normal)
    if tip:
        hints.append(
            GuardHint("tip", _("Sounds like a tip — suggest writing it down for the advice step."))
        )
    if suggestive:
        hints.append(
            GuardHint(
                "suggestive",
                _("Sounds suggestive: the opinion is already in it. Perhaps ask it openly."),
            )
        )
    # A tip or a suggestive question is closed too; one hint about it is enough.
    if (
        open_questions_only
        and not (tip or suggestive)
        and any(_is_closed(s) for s in _question_sentences(normal))
    ):
        hints.append(
            GuardHint(
                "closed",
                _("Sounds like a yes/no question; this step asks for open ones (what, how, who…)."),
            )
        )
    if not tip and _WHY_RE.search(normal):
        hints.append(
            GuardHint(
                "why",
                _(
                    "A “waarom” question can sound judging. “What made you…” or “How did it "
                    "come about…” asks the same more openly."
                ),
            )
        )
    if _question_count(normal) > 1 or _JOINED_RE.search(_clause(normal)):
        hints.append(
            GuardHint(
                "several",
                _("Several questions in one turn — perhaps one now, the rest next turn."),
            )
        )
    return hints


def dominance_hint(
    turn_counts: Mapping[Hashable, int], names: Mapping[Hashable, str] | None = None
) -> GuardHint | None:
    """A hint when one person asked far more questions than the others (person → count).

    People are counted by whatever identifies them (a member's pk), never by name: two guests
    may share a name. `names` gives the name to show; without it the key is the name."""
    if len(turn_counts) < 2:
        return None
    ranked = sorted(turn_counts.items(), key=lambda item: (-item[1], str(item[0])))
    (person, top), (_second, runner_up) = ranked[0], ranked[1]
    name = (names or {}).get(person, person)
    if top < DOMINANCE_MIN_QUESTIONS or top == runner_up:
        return None
    others = median(count for _name, count in ranked[1:])
    if top < DOMINANCE_FACTOR * others:
        return None
    return GuardHint(
        "dominance",
        _(
            "%(name)s has asked %(n)d questions, far more than the others. "
            "You could invite the quieter ones first."
        )
        % {"name": name, "n": top},
    )
