"""Anonymity that holds on a projected screen.

An anonymous item or an unsigned evaluation shows no name, but the room sees who just tapped
"send". If the laptop (often on a projector) changed right after one phone submitted, the
change itself would say whose item or scores it is: a new card appears, an average moves from
4.0 to 3.7. So what is anonymous reaches the shared screens in batches: nothing changes until
at least BATCH different people have something new, and a batch shows in random order. Until
then the screens show only how many are in.
"""

import random

BATCH = 3  # the smallest crowd an anonymous contribution hides in

_random = random.SystemRandom()


def batch_due(people: set) -> bool:
    """True once enough different people wait to be shown together."""
    return len(people) >= BATCH


def shuffled(values: list) -> list:
    """A batch in an order that says nothing about who sent what, or when."""
    values = list(values)
    _random.shuffle(values)
    return values
