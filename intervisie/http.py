"""Django's ASGI handler, with the middleware chain and the view run as one synchronous call on
the event loop's pool of threads.

Under ASGI, Django builds the middleware chain in async mode: every MiddlewareMixin middleware
then runs its process_request and process_response through sync_to_async, two thread hops per
middleware and request (about twenty here, each a future, a thread wake-up and an event-loop
wake-up), and the sync view is one more. All of this project's middleware and views are
synchronous, so the chain is built in sync mode and entered once (bench/room_load.py, 20 rooms,
two runs each: 17–18 ms of server CPU per step change, against 18–24 ms with Django's own
handler). Async views would still work: the sync chain runs them with async_to_sync.

Django runs that call on a thread of the request's own (asgiref's ThreadSensitiveContext): a new
thread per request, so a new database connection per request, since connections are kept per
thread (SQLite: 12 % of the server's busy time at 50 rooms, bench/README.md). The chain runs on
a pool of REQUEST_THREADS threads of its own instead: the threads live on, and so do their
connections within CONN_MAX_AGE; old or broken ones are closed before and after each request, on
that thread (the request_started and request_finished signals fire on another), as Channels'
database_sync_to_async does. Its own pool, not the event loop's: there the consumers' database
work runs, and during a reconnect surge hundreds of handshakes would queue ahead of a
facilitator's click. With PostgreSQL, REQUEST_THREADS plus the loop's pool (min(32, cores + 4))
must stay within DB_POOL_MAX_SIZE, or a request waits for a connection.
"""

from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.db import close_old_connections

REQUEST_THREADS = 8


class SyncChainASGIHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        super().load_middleware(is_async=False)
        chain = self._middleware_chain

        def on_pool_thread(request):
            close_old_connections()
            try:
                return chain(request)
            finally:
                close_old_connections()

        pool = ThreadPoolExecutor(REQUEST_THREADS, thread_name_prefix="request")
        self._middleware_chain = sync_to_async(
            on_pool_thread, thread_sensitive=False, executor=pool
        )


def get_asgi_application() -> SyncChainASGIHandler:
    """Like django.core.asgi.get_asgi_application, with the handler above."""
    import django

    django.setup(set_prefix=False)
    return SyncChainASGIHandler()
