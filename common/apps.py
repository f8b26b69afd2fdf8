from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Low-level helpers every app may use (rate limits, client addresses); imports only Django.

    An app only for its migration: the rate limiter's database cache table must exist on a fresh
    install (`migrate`), not only after a separate `createcachetable`."""

    name = "common"
    verbose_name = "common"
