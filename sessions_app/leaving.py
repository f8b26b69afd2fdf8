"""Leaving the group ends access to its rooms at once, on every server process.

Each authenticated socket also sits in a channel-layer group of its user (`user_group_name`);
when groups.signals.membership_ended fires, that group hears "member.left" for the group after the
commit, through the channel layer (Redis across processes), and every socket of that user in a
room of that group closes with 4403. HTTP needs nothing extra: access.find_member asks for an
active membership on every request.
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from groups.models import Membership

LEFT = "member.left"


def user_group_name(user_id) -> str:
    return f"user-{user_id}"


def notify_left(user_id, group_id) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(
        user_group_name(user_id), {"type": LEFT, "group_id": str(group_id)}
    )


def on_membership_ended(sender, membership: Membership, **kwargs) -> None:
    """Receiver of groups.signals.membership_ended: close their sockets once it is committed."""
    user_id, group_id = membership.user_id, membership.group_id
    transaction.on_commit(lambda: notify_left(user_id, group_id))
