"""The case preparation form, phone first: one question at a time, in the order of source 000 §7."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from groups.models import Group

from .guidance import DEPTH_EXPLANATIONS, DEPTH_INTRO
from .models import PREPARATION_FIELDS, Case, Depth

PREPARATION_HELP = {
    "situation": _("What happened, where, with whom? Facts first."),
    "core": _("If you had to say it in one sentence: what is it really about?"),
    "why_problem": _("What does it do to you, what does it cost you?"),
    "tried": _("What have you already done about it?"),
    "tried_result": _("What happened when you did that?"),
    "ideal": _("Imagine it is solved: what is different?"),
    "solution_idea": _("A direction you already see, even a vague one."),
}


class CaseForm(forms.ModelForm):
    class Meta:
        model = Case
        fields = [
            "group",
            "title",
            *PREPARATION_FIELDS,
            "working_question",
            "depth",
            "share_in_logbook",
        ]
        widgets = {
            "working_question": forms.Textarea(attrs={"rows": 3, "maxlength": 400}),
            "depth": forms.RadioSelect,
            **{name: forms.Textarea(attrs={"rows": 3}) for name in PREPARATION_FIELDS},
        }
        labels = {"title": _("A short title"), "working_question": _("Your working question")}
        help_texts = {
            "title": _("A few words the group may see, e.g. “The handover on Mondays”."),
            "working_question": _(
                "Concrete, current and your own, in at most three sentences, starting with "
                "“I…” or “How can I…”."
            ),
            **PREPARATION_HELP,
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = Group.objects.filter(
            memberships__user=user, memberships__active=True
        ).order_by("name")
        self.fields["group"].empty_label = None
        self.fields["group"].label = _("For the group")
        self.fields["depth"].choices = list(Depth.choices)
        self.fields["working_question"].widget.attrs.update(
            {
                # The formulation check, live: half a second after the member stops typing.
                "hx-post": reverse("cases:hints"),
                "hx-trigger": "input changed delay:500ms",
                "hx-target": "#question-hints",
                "hx-swap": "outerHTML",
                "aria-describedby": "question-hints",
            }
        )
        if not self.instance._state.adding:
            # A case stays with the group it was brought to (the group decides who may read it).
            self.fields["group"].disabled = True
        elif self.fields["group"].queryset.count() == 1:
            self.fields["group"].widget = forms.HiddenInput()
            self.fields["group"].initial = self.fields["group"].queryset.first().pk

    @property
    def preparation(self):
        return [self[name] for name in PREPARATION_FIELDS]

    depth_intro = DEPTH_INTRO

    @property
    def depth_options(self):
        """Each depth's radio button with its plain explanation."""
        return [
            (radio, DEPTH_EXPLANATIONS.get(int(radio.data["value"]), "")) for radio in self["depth"]
        ]


class FollowUpForm(forms.Form):
    follow_up = forms.CharField(
        label=_("What became of it?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What did you do, what happened, what did you learn? A few sentences."),
    )

    def clean_follow_up(self) -> str:
        text = self.cleaned_data["follow_up"].strip()
        if not text:
            raise forms.ValidationError(_("Write a few words about what became of it."))
        return text


class HintsForm(forms.Form):
    working_question = forms.CharField(required=False, max_length=2000)
