"""The embedded channel layer: Channels' in-memory layer, without its per-receive sweep.

channels.layers.InMemoryChannelLayer walks every channel's queue and every group's members for
expired entries on *each* receive(). Every open room socket waits in receive(), so with N sockets
each push costs O(N) per recipient: at 800 phones that sweep was the largest single cost of the
in-memory path in bench/room_load.py. Here the sweep runs at most once per SWEEP_INTERVAL
seconds; messages still expire after `expiry` (60 s), at most SWEEP_INTERVAL later.
"""

import time

from channels.layers import InMemoryChannelLayer

SWEEP_INTERVAL = 1.0  # seconds


class SweepingInMemoryChannelLayer(InMemoryChannelLayer):
    _last_sweep = float("-inf")

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_sweep < SWEEP_INTERVAL:
            return
        self._last_sweep = now
        super()._clean_expired()
