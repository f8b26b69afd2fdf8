"""Forms of the room: opening it, joining it, and what phones send."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseStatus
from groups.models import MeetingMode, Role, video_link_validator
from methods.models import Method

from .models import JOIN_CODE_LENGTH
from .opening import MAX_STEP_MINUTES, chosen_minutes

User = get_user_model()


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class MemberMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class OpenRoomForm(forms.Form):
    """The facilitator confirms who is here, the case, the method and the roles."""

    present = MemberMultipleChoiceField(
        label=_("Who is present?"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    method = forms.ModelChoiceField(label=_("Method"), queryset=Method.objects.active())
    case = forms.ModelChoiceField(
        label=_("Case"),
        queryset=Case.objects.none(),
        required=False,
        empty_label=_("Choose the case during the meeting"),
    )
    facilitator = MemberChoiceField(label=_("Facilitator"), queryset=User.objects.none())
    inbrenger = MemberChoiceField(
        label=_("Inbrenger"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Not yet known"),
    )
    note_taker = MemberChoiceField(
        label=_("Note-taker"), queryset=User.objects.none(), required=False
    )
    timekeeper = MemberChoiceField(
        label=_("Timekeeper"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("The facilitator"),
    )
    observers = MemberMultipleChoiceField(
        label=_("Observers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    mode = forms.ChoiceField(
        label=_("Where does the group meet?"),
        choices=MeetingMode.choices,
        widget=forms.RadioSelect,
        required=False,  # left out: as planned for the meeting
    )
    video_url = forms.URLField(
        label=_("Video link"),
        required=False,
        max_length=1000,
        assume_scheme="https",
        validators=[video_link_validator],
        help_text=_("Teams, Zoom, Jitsi…: everyone in the room gets it as a button."),
        widget=forms.URLInput(attrs={"placeholder": "https://", "autocomplete": "off"}),
    )

    LATER_ROUND_FIXED = ("facilitator", "note_taker", "timekeeper", "observers")

    def __init__(self, *args, group, case_round: int = 1, meeting=None, facilitator=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case_round = case_round
        self.earlier_inbrengers: set = set()
        members = group.active_members()
        for name in (
            "present",
            "facilitator",
            "inbrenger",
            "note_taker",
            "timekeeper",
            "observers",
        ):
            self.fields[name].queryset = members
        self.fields["case"].queryset = Case.objects.filter(
            group=group, status__in=[CaseStatus.PROPOSED, CaseStatus.CHOSEN]
        ).select_related("owner")
        self.fields["case"].label_from_instance = lambda c: (
            f"{c.title} — {c.owner.get_full_name() or c.owner}"
        )
        if case_round > 1:
            # The second case of a long meeting: the meeting's facilitator and helpers stay.
            for name in self.LATER_ROUND_FIXED:
                del self.fields[name]
            self.fixed_facilitator = meeting.holder(Role.FACILITATOR) or facilitator
            self.earlier_inbrengers = {
                u.pk for u in meeting.inbrengers()[: case_round - 1] if u is not None
            }
            self.fields["inbrenger"].label = _("Inbrenger of the second case")

    def clean(self) -> dict:
        data = super().clean()
        present = set(data.get("present") or [])
        if self.case_round > 1:
            data["facilitator"] = self.fixed_facilitator
        facilitator = data.get("facilitator")
        inbrenger = data.get("inbrenger")
        case = data.get("case")
        if case is not None:
            if inbrenger is None:
                inbrenger = data["inbrenger"] = case.owner
            elif inbrenger != case.owner:
                self.add_error("inbrenger", _("The inbrenger is the person who brought the case."))
        if facilitator and facilitator not in present:
            field = "facilitator" if "facilitator" in self.fields else "present"
            self.add_error(field, _("The facilitator must be present."))
        if inbrenger and inbrenger not in present:
            self.add_error("inbrenger", _("The inbrenger must be present."))
        if inbrenger and inbrenger.pk in self.earlier_inbrengers:
            self.add_error(
                "inbrenger",
                _("This person brought the first case; choose who brings the second."),
            )
        if facilitator and inbrenger and facilitator == inbrenger:
            self.add_error(
                "inbrenger",
                _("The facilitator cannot bring the case as well; choose someone else."),
            )
        for role in ("note_taker", "timekeeper"):
            holder = data.get(role)
            if holder and holder not in present:
                self.add_error(role, _("This person is not present."))
        observers = set(data.get("observers") or [])
        if observers - present:
            self.add_error("observers", _("Observers must be present."))
        if observers & {facilitator, inbrenger}:
            self.add_error(
                "observers", _("The facilitator and the inbrenger cannot observe as well.")
            )
        method = data.get("method")
        if method is not None:
            data["minutes"], valid = chosen_minutes(self.data, list(method.steps.all()))
            if not valid:
                self.add_error(
                    None,
                    _("Give every step a whole number of minutes from 1 to %(max)d.")
                    % {"max": MAX_STEP_MINUTES},
                )
        return data


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Room code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
                "placeholder": "ABC123",
                "class": "code-input",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(ch for ch in self.cleaned_data["code"].upper() if ch.isalnum())
        if len(code) != JOIN_CODE_LENGTH:
            raise forms.ValidationError(
                _("A room code has %(n)d characters, like ABC234."), params={"n": JOIN_CODE_LENGTH}
            )
        return code


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=60, min_length=2)

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Fill in your name as the group knows you."))
        return name


class StoringForm(forms.Form):
    text = forms.CharField(
        label=_("What is going on? (optional)"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("My notes"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"aria-describedby": "notes-help"}),
    )
