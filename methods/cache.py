"""A method's steps, read once per process while they stay unchanged.

Every step change of every live room needs the method's steps (their order, texts and kinds);
they change only when a coordinator edits the method. The cache is keyed on the method's
`steps_version`, which every step save or delete replaces (methods.models.steps_changed), so all
processes see an edit on their next read of the method row. The Step objects are shared: read them,
never change them.
"""

from .models import Method, Step

MAX_ENTRIES = 512

_steps: dict[tuple[int, int], tuple[Step, ...]] = {}


def steps_of(method: Method) -> tuple[Step, ...]:
    key = (method.pk, method.steps_version)
    steps = _steps.get(key)
    if steps is None:
        steps = tuple(Step.objects.filter(method_id=method.pk).order_by("order"))
        if len(_steps) >= MAX_ENTRIES:
            _steps.clear()  # forget old versions; the next reads fill it again
        _steps[key] = steps
    return steps


def clear() -> None:
    _steps.clear()
