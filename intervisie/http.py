"""Django's ASGI handler, with the middleware chain and the view run as one synchronous call.

Under ASGI, Django builds the middleware chain in async mode: every MiddlewareMixin middleware
then runs its process_request and process_response through sync_to_async, two thread hops per
middleware and request (about twenty here, each a future, a thread wake-up and an event-loop
wake-up), and the sync view is one more. All of this project's middleware and views are
synchronous, so the chain is built in sync mode and entered once, on the request's thread
(bench/room_load.py, 20 rooms, two runs each: 17–18 ms of server CPU per step change, against
18–24 ms with Django's own handler).
Async views would still work: the sync chain runs them with async_to_sync.
"""

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler


class SyncChainASGIHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        self._middleware_chain = sync_to_async(self._middleware_chain, thread_sensitive=True)


def get_asgi_application() -> SyncChainASGIHandler:
    """Like django.core.asgi.get_asgi_application, with the handler above."""
    import django

    django.setup(set_prefix=False)
    return SyncChainASGIHandler()
