"""The websocket's user, read like Channels' AuthMiddleware does, on the thread pool.

channels.auth.AuthMiddleware reads the session and the user with database_sync_to_async on
asgiref's one shared thread, so after a server restart the handshakes of every phone queue
there, one database round trip after the other. This reads them on the event loop's pool of
threads instead (as the consumer's own database work does, consumers.in_pool).
"""

from channels.auth import AuthMiddleware, CookieMiddleware, SessionMiddleware, get_user

from .consumers import in_pool
from .outage import WebsocketOutageGuard

_get_user = in_pool(get_user.func)  # the sync function behind Channels' decorated get_user


class PooledAuthMiddleware(AuthMiddleware):
    async def resolve_scope(self, scope):
        scope["user"]._wrapped = await _get_user(scope)


def AuthMiddlewareStack(inner):  # noqa: N802 (named like Channels' own)
    # The session and the user come from the database: while it is away the socket gets the
    # "even geduld" notice and 1013 instead of a failed handshake (outage.py).
    return CookieMiddleware(WebsocketOutageGuard(SessionMiddleware(PooledAuthMiddleware(inner))))
