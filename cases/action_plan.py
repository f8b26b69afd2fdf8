"""The SMART action plan: one guiding question per letter, a first step and its date.

The live room's action-plan step (sessions_app/interactions/action_plan.py) and the case page
(after any method: "Een actieplan kun je later in de app uitwerken") write the same plan with the
same fields and rules; both read them from here.
"""

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import ActionPlan

TEXT_MAX = 1000
FIRST_STEP_MAX = ActionPlan._meta.get_field("first_step").max_length

# (field, letter, name, guiding question): the letters are the same in Dutch.
LETTERS = (
    ("specific", "S", gettext_lazy("Specific"), gettext_lazy("What exactly will you do?")),
    (
        "measurable",
        "M",
        gettext_lazy("Measurable"),
        gettext_lazy("How will you notice that it works?"),
    ),
    ("acceptable", "A", gettext_lazy("Acceptable"), gettext_lazy("Why does it matter to you?")),
    ("realistic", "R", gettext_lazy("Realistic"), gettext_lazy("What makes it doable?")),
    ("time_bound", "T", gettext_lazy("Time-bound"), gettext_lazy("By when?")),
)


def date_error() -> str:
    return str(gettext_lazy("The first step needs a date from today on; pick another date."))


class ActionPlanForm(forms.ModelForm):
    """The plan on the case page. A first-step date that was already saved may lie in the past
    by now (the step is done); a new one must be today or later."""

    class Meta:
        model = ActionPlan
        fields = [key for key, *_rest in LETTERS] + ["first_step", "first_step_on"]

    def __init__(self, *args, today: date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        for key, _letter, _name, _question in LETTERS:
            self.fields[key].max_length = TEXT_MAX
            self.fields[key].widget.attrs.update(rows=2, maxlength=TEXT_MAX)
        self.fields["first_step"].widget.attrs.update(autocomplete="off")
        self.fields["first_step_on"].widget = forms.DateInput(attrs={"type": "date"})
        self.fields["first_step_on"].error_messages["invalid"] = date_error()

    def clean_first_step_on(self) -> date | None:
        day = self.cleaned_data.get("first_step_on")
        saved = self.instance.first_step_on if self.instance.pk else None
        if day is not None and day != saved and day < self.today:
            raise forms.ValidationError(date_error())
        return day

    def plan_context(self) -> dict:
        """What cases/action_plan_fields.html reads, as the room's step gives it too."""
        date_errors = self.errors.get("first_step_on", [])
        return {
            "letters": self.letters(),
            "first_step": self["first_step"].value() or "",
            "first_step_errors": self.errors.get("first_step", []),
            "date_value": self.date_value(),
            "date_error": date_errors[0] if date_errors else "",
            "text_max": TEXT_MAX,
            "first_step_max": FIRST_STEP_MAX,
        }

    def letters(self) -> list[dict]:
        """The SMART fields as the shared template (cases/action_plan_fields.html) shows them."""
        return [
            {
                "key": key,
                "letter": letter,
                "name": name,
                "question": question,
                "value": self[key].value() or "",
                "errors": self.errors.get(key, []),
            }
            for key, letter, name, question in LETTERS
        ]

    def date_value(self) -> str:
        value = self["first_step_on"].value()
        return value.isoformat() if isinstance(value, date) else str(value or "")
