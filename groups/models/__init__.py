"""The groups app's models, one module per concern; everything is importable from here."""

from .group import (
    DEFAULT_HOUSE_RULES,
    RECOMMENDED_GROUP_SIZE,
    Group,
    MeetingMode,
    Membership,
    ReadingConsent,
    new_token,
    video_link_validator,
)
from .meeting import (
    CASE_ROUNDS,
    SINGLE_HOLDER_ROLES,
    Attendance,
    DateProposal,
    Meeting,
    MeetingQuerySet,
    Role,
    RoleAssignment,
)
from .names import FORMER_MEMBER, FormerMember, display_name
from .notifications import Notification, Profile

__all__ = [
    "FORMER_MEMBER",
    "FormerMember",
    "display_name",
    "RECOMMENDED_GROUP_SIZE",
    "DEFAULT_HOUSE_RULES",
    "new_token",
    "MeetingMode",
    "video_link_validator",
    "Group",
    "Membership",
    "ReadingConsent",
    "MeetingQuerySet",
    "Meeting",
    "Role",
    "SINGLE_HOLDER_ROLES",
    "CASE_ROUNDS",
    "RoleAssignment",
    "Attendance",
    "DateProposal",
    "Profile",
    "Notification",
]
