"""Reference (b): the floor of Django + Channels on Daphne — a consumer that only forwards.

No database, no templates, no middleware: what every Channels app pays per pushed message.
Same channel layer choice as the project (REDIS_URL set: channels_redis with the project's
capacity/expiry; empty: the in-memory layer).
"""

import os

SECRET_KEY = "bench-only"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["channels"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.ref_channels.urls"
DATABASES: dict = {}
USE_TZ = True
ASGI_APPLICATION = "bench.ref_channels.asgi.application"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "capacity": 200,
                "expiry": 30,
                "group_expiry": 86400,
            },
        }
    }
else:
    # The project's in-memory layer (intervisie/channel_layers.py): the floor of *this* stack.
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "intervisie.channel_layers.SweepingInMemoryChannelLayer"}
    }
