"""`manage.py demo`: a ready-to-try group with history, upcoming meetings and cases.

Safe to run again: everything is looked up before it is created, so a second run changes
nothing but the demo passwords (reset to the documented one).
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, CaseStatus, Depth
from groups.coordinators import make_coordinator
from groups.models import Attendance, Group, Meeting, Membership, Role, RoleAssignment
from methods.models import Method

PASSWORD = "intervisie"
GROUP_NAME = "Intervisiegroep Zorgteam Noord"
COORDINATOR = ("coordinator", "Karin", "Hoekstra")
# The site owner: a superuser for technical administration, separate from the coordinator.
SITE_OWNER = ("beheerder", "Site", "Beheerder")
MEMBERS = [
    ("anna", "Anna", "de Vries"),
    ("bram", "Bram", "Jansen"),
    ("chantal", "Chantal", "Bakker"),
    ("daan", "Daan", "Visser"),
    ("eva", "Eva", "Smit"),
    ("femke", "Femke", "Mulder"),
]
LOCATION = "Vergaderruimte De Linde, 2e verdieping"
START_TIME = time(14, 0)
EVERY = timedelta(weeks=4)
MINUTES = 90

CONTRACT = {
    "description": (
        "Wijkverpleegkundigen en verzorgenden van team Noord. We brengen vraagstukken uit de "
        "dagelijkse zorg in en leren van elkaars aanpak."
    ),
    "confidentiality": (
        "Wat in de groep wordt ingebracht, blijft in de groep. We praten buiten de bijeenkomst "
        "niet over elkaars casussen, ook niet met leidinggevenden. Namen van cliënten noemen we "
        "niet. De coördinator leest casussen niet mee."
    ),
    "house_rules": (
        "Aanmelden is deelnemen. Afspraak is afspraak: wie als tweede afzegt, regelt een nieuwe "
        "datum. Een casus die we beginnen, maken we af. We beginnen en eindigen op tijd. "
        "Telefoons gaan op stil. Storingen gaan voor. Iedereen is om de beurt facilitator en "
        "brengt om de beurt een casus in."
    ),
    "cadence_weeks": 4,
    "meeting_minutes": MINUTES,
    "case_retention_days": 365,
    "coordinator_may_read_cases": False,
    "allow_guests": False,
}

# (facilitator, inbrenger, members who sent their apologies), oldest first: the rotation so far.
HISTORY = [
    ("anna", "bram", ["femke"]),
    ("bram", "chantal", []),
    ("chantal", "daan", ["eva"]),
]

CASES = [
    {
        "owner": "anna",
        "title": "Overdracht tussen dag- en avonddienst",
        "working_question": (
            "Hoe kan ik ervoor zorgen dat de dag- en avonddienst de afspraken over de overdracht "
            "ook echt nakomen?"
        ),
        "description": (
            "Sinds de nieuwe roosters loopt de overdracht om 15.30 uur steeds uit. De avonddienst "
            "komt binnen terwijl wij nog rapporteren, en belangrijke punten (medicatiewijzigingen, "
            "een val) komen pas later via de telefoon. Ik ben als EVV'er aanspreekpunt, maar heb "
            "geen formele zeggenschap over de avonddienst."
        ),
        "depth": Depth.RELATIONS,
        "situation": "De overdracht duurt 30 tot 40 minuten in plaats van 15.",
        "core": "Er is geen gedeelde afspraak over wat er mondeling en wat schriftelijk gaat.",
        "why_problem": "Ik ga vaak een half uur te laat naar huis en voel me verantwoordelijk.",
        "tried": "Een overdrachtsformulier gemaakt en in het teamoverleg besproken.",
        "tried_result": "Twee weken ging het goed, daarna zakte het weer weg.",
        "ideal": "Een korte, vaste overdracht waar beide diensten op kunnen bouwen.",
    },
    {
        "owner": "bram",
        "title": "Rapporteren in het nieuwe ECD",
        "working_question": (
            "Hoe kan ik mijn rapportage in het nieuwe ECD zo inrichten dat ik niet elke dienst "
            "uitloop?"
        ),
        "description": (
            "We werken sinds drie maanden met een nieuw elektronisch cliëntdossier. Ik heb het "
            "gevoel dat ik alles dubbel invoer en ben per dienst zeker twintig minuten extra kwijt."
        ),
        "depth": Depth.CONTENT,
        "tried": "De e-learning gevolgd en een collega om tips gevraagd.",
        "tried_result": "Ik weet nu waar alles staat, maar het kost nog steeds veel tijd.",
        "solution_idea": "Misschien een vaste volgorde of sjablonen per type bezoek.",
    },
    {
        "owner": "eva",
        "title": "Collega die mijn cliënten overneemt",
        "working_question": (
            "Hoe kan ik een collega aanspreken die steeds mijn cliënten overneemt, zonder dat "
            "onze samenwerking eronder lijdt?"
        ),
        "description": (
            "Een ervaren collega belt mijn cliënten en maakt afspraken zonder te overleggen. Ze "
            "bedoelt het goed, maar cliënten weten niet meer bij wie ze moeten zijn. Ik vind het "
            "lastig om hier iets van te zeggen omdat ze veel langer in het team zit."
        ),
        "depth": Depth.INTERPERSONAL,
        "why_problem": "Ik voel me gepasseerd en twijfel aan mijn eigen rol als EVV'er.",
        "ideal": "Dat we vooraf overleggen en elkaars rol respecteren.",
    },
    {
        "owner": "femke",
        "title": "Nee zeggen tegen extra diensten",
        "working_question": (
            "Ik wil leren nee te zeggen als de planning me om een extra dienst vraagt, zonder me "
            "schuldig te voelen."
        ),
        "description": (
            "De afgelopen maand heb ik vier keer een extra dienst gedraaid. Ik merk dat ik moe "
            "word en minder geduld heb, maar als de planner belt zeg ik toch weer ja."
        ),
        "depth": Depth.INTRAPERSONAL,
        "core": "Ik wil een goede collega zijn en voel me verantwoordelijk voor de cliënten.",
        "tried": "Mijn telefoon uitzetten op vrije dagen.",
        "tried_result": "Dan krijg ik een app en bel ik alsnog terug.",
    },
]


from reports.demo_session import replay_last_session  # noqa: E402


class Command(BaseCommand):
    help = "Create (or complete) the demo group, its members, meetings and cases."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            # The coordinator manages their group in the admin without superuser rights.
            coordinator = upsert_user(*COORDINATOR, is_staff=True, is_superuser=False)
            make_coordinator(coordinator)
            site_owner = upsert_user(*SITE_OWNER, is_staff=True, is_superuser=True)
            members = {
                username: upsert_user(username, first, last) for username, first, last in MEMBERS
            }
            group = demo_group(coordinator, list(members.values()))
            if not group.meetings.exists():
                plan_history(group, members)
                plan_upcoming(group)
            replay_last_session(group, members)
            for case in CASES:
                add_case(group, members, case)
            next_meeting = group.meetings.upcoming().first()
            if next_meeting is not None:
                assign_rotation(next_meeting)
        self.report(coordinator, members, next_meeting, site_owner)

    def report(
        self, coordinator, members: dict, next_meeting: Meeting | None, site_owner=None
    ) -> None:
        holders = {}
        if next_meeting is not None:
            for assignment in next_meeting.roles.all():
                holders[assignment.user_id] = assignment.get_role_display()
        rows = [(coordinator.username, PASSWORD, _("coordinator (admin, own group only)"))]
        if site_owner is not None:
            rows.append(
                (
                    site_owner.username,
                    PASSWORD,
                    _("site owner (superuser: accounts and coordinators, no case content)"),
                )
            )
        for user in members.values():
            role = _("member")
            if user.pk in holders:
                role = _("%(role)s, %(holder)s in the next meeting") % {
                    "role": role,
                    "holder": holders[user.pk],
                }
            rows.append((user.username, PASSWORD, role))

        self.stdout.write(
            self.style.SUCCESS(_("Demo data ready: “%(group)s”.") % {"group": GROUP_NAME})
        )
        url = f"{settings.SITE_URL}/"  # `make run PORT=…` sets it to where the server listens
        self.stdout.write(_("Open %(url)s (admin: %(url)sadmin/)") % {"url": url})
        self.stdout.write("")
        header = (_("username"), _("password"), _("role"))
        width = max(len(row[0]) for row in [header, *rows]) + 2
        pw_width = max(len(row[1]) for row in [header, *rows]) + 2
        for username, password, role in [header, *rows]:
            self.stdout.write(f"  {username:<{width}}{password:<{pw_width}}{role}")


def upsert_user(username: str, first: str, last: str, **flags):
    user, _created = get_user_model().objects.update_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            "is_active": True,
            **flags,
        },
    )
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def demo_group(coordinator, members: list) -> Group:
    method = Method.objects.filter(slug="guns-and-roses").first()  # absent until loaded
    group, created = Group.objects.get_or_create(
        name=GROUP_NAME,
        defaults={**CONTRACT, "coordinator": coordinator, "default_method": method},
    )
    if not created and group.default_method is None and method is not None:
        group.default_method = method
        group.save(update_fields=["default_method"])
    for user in members:
        Membership.objects.get_or_create(
            group=group,
            user=user,
            defaults={
                "joined_on": timezone.localdate() - timedelta(days=120),
                "contract_seen_at": timezone.now() - timedelta(days=120),
            },
        )
    return group


def at_start_time(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, START_TIME))


def first_upcoming_day():
    return timezone.localdate() + timedelta(weeks=1)


def new_meeting(group: Group, starts_at: datetime, status: str) -> Meeting:
    return Meeting.objects.create(
        group=group,
        starts_at=starts_at,
        duration_minutes=MINUTES,
        location=LOCATION,
        status=status,
        method=group.default_method,
    )


def plan_history(group: Group, members: dict) -> None:
    first_day = first_upcoming_day() - EVERY * len(HISTORY)
    for n, (facilitator, inbrenger, absent) in enumerate(HISTORY):
        meeting = new_meeting(group, at_start_time(first_day + EVERY * n), Meeting.Status.DONE)
        RoleAssignment.objects.create(
            meeting=meeting, user=members[facilitator], role=Role.FACILITATOR
        )
        RoleAssignment.objects.create(meeting=meeting, user=members[inbrenger], role=Role.INBRENGER)
        for username, user in members.items():
            away = username in absent
            Attendance.objects.create(
                meeting=meeting,
                user=user,
                response=Attendance.Response.NO if away else Attendance.Response.YES,
                responded_at=meeting.starts_at - timedelta(days=10),
                present=not away,
            )


def plan_upcoming(group: Group) -> None:
    for n in range(4):
        day = first_upcoming_day() + EVERY * n
        new_meeting(group, at_start_time(day), Meeting.Status.PLANNED)


def add_case(group: Group, members: dict, data: dict) -> None:
    fields = {k: v for k, v in data.items() if k not in ("owner", "title")}
    Case.objects.get_or_create(
        group=group,
        owner=members[data["owner"]],
        title=data["title"],
        defaults={**fields, "status": CaseStatus.PROPOSED},
    )


def assign_rotation(meeting: Meeting) -> None:
    """Give the next meeting a facilitator and an inbrenger, as the rotation suggests."""
    from groups.rotation import suggest_roles  # rotation builds on the models; import late

    suggestion = suggest_roles(meeting)
    for role, user in [
        (Role.FACILITATOR, suggestion.facilitator),
        (Role.INBRENGER, suggestion.inbrenger),
    ]:
        if user is not None:
            RoleAssignment.objects.get_or_create(
                meeting=meeting, role=role, defaults={"user": user}
            )
