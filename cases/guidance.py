"""What helps a member prepare a case: plain words on the five depths and the self-test.

Our own wording of the sources (000 §6 for the depths, 003 for the zelf-intervisietest); English
source strings, Dutch through the translation catalogue.
"""

from django.utils.translation import gettext_lazy as _

from .models import Depth

DEPTH_EXPLANATIONS = {
    Depth.CONTENT: _(
        "The work itself: a procedure, a decision, knowledge you lack. "
        "For example: how do I prepare the handover so that nothing gets lost?"
    ),
    Depth.WORKING: _(
        "How you work: priorities, planning, time, getting results. "
        "For example: how do I keep Friday afternoons free for reports?"
    ),
    Depth.RELATIONS: _(
        "How your team works with other teams, and the unwritten rules around you. "
        "For example: how do I raise a problem that everyone here keeps quiet about?"
    ),
    Depth.INTERPERSONAL: _(
        "What happens between you and someone else: how they see you, what you feel. "
        "For example: how do I stay calm when a colleague interrupts me in meetings?"
    ),
    Depth.INTRAPERSONAL: _(
        "Yourself: what drives you, what holds you back, where you want to go. "
        "For example: what keeps me from saying no, and what do I want instead?"
    ),
}
DEPTH_INTRO = _(
    "The deeper the level, the more personal the conversation. You decide how deep the group "
    "goes; you can always stay at a level that feels safe."
)

# The zelf-intervisietest (source 003), eleven questions in our own words.
SELF_TEST_QUESTIONS = [
    _("What did you last complain about at work?"),
    _("Which work matters do you talk about at home or with friends?"),
    _("Which irritation from the past week do you still remember clearly?"),
    _("Do people talk about you behind your back? If so, what do they say?"),
    _("What could be better in your work?"),
    _("Do you feel rewarded enough for your work, in money and in appreciation?"),
    _("Do you get feedback on how you do your work? What kind — or why not?"),
    _("How high is your workload?"),
    _("Which skills did you agree to develop in your last appraisal or development talk?"),
    _("Which question about your own development for the coming years fits with that?"),
    _("If you were your own manager, what would you want to change about yourself?"),
]
SELF_TEST_CLOSING = [
    _("Read your answers again and let them sink in."),
    _("What would you most like to achieve?"),
    _("Which work problem, or which development question, belongs to that?"),
    _(
        "Put it in at most three sentences, concrete and current, starting with “I…” or "
        "“How can I…”."
    ),
]
