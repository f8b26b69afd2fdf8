"""ASGI entry point: HTTP through Django, websockets through Channels.

The Django ASGI app is built before the routing is imported, so that models are ready when the
consumers' modules load.
"""

import os

from intervisie.http import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intervisie.settings")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from intervisie.health import HealthCheck  # noqa: E402
from sessions_app.auth import AuthMiddlewareStack  # noqa: E402
from sessions_app.routing import websocket_urlpatterns  # noqa: E402

# /healthz in front of everything (intervisie/health.py): no host check, no session, no data.
application = HealthCheck(
    ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            # Origin check: otherwise any site could open a socket with the member's cookies.
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )
)
