"""Which step comes next. Pure functions over the method's ordered steps and the visit history."""

from collections.abc import Sequence
from dataclasses import dataclass


class FlowError(Exception):
    """A transition that the method does not allow; the message is for the facilitator."""


@dataclass(frozen=True)
class StepRef:
    key: str
    branch_if_no: str = ""


def next_index(
    steps: Sequence[StepRef], current: int | None, branch_answer: str | None = None
) -> int | None:
    """Index of the step after `current` (None before the start); None when the method is done.

    A branching step (Incidentmethode 5: "reformulated?") needs an answer: yes continues with the
    next step, no jumps to the step named by `branch_if_no`.
    """
    if not steps:
        raise FlowError("This method has no steps.")
    if current is None:
        return 0
    step = steps[current]
    if step.branch_if_no:
        if branch_answer not in ("yes", "no"):
            raise FlowError("This step branches: answer yes or no first.")
        if branch_answer == "no":
            keys = [s.key for s in steps]
            if step.branch_if_no not in keys:
                raise FlowError(f"Unknown branch target {step.branch_if_no!r}.")
            return keys.index(step.branch_if_no)
    nxt = current + 1
    return nxt if nxt < len(steps) else None


def previous_index(steps: Sequence[StepRef], visited: Sequence[str]) -> int | None:
    """The step to go back to: the one visited before the current one (so "back" after a branch
    returns to the branching step, not to the skipped one). None at the first step."""
    trail = path(visited)
    if len(trail) < 2:
        return None
    return [s.key for s in steps].index(trail[-2])


def skipped_keys(steps: Sequence[StepRef], visited: Sequence[str], current: int | None) -> set[str]:
    """Steps before the current one that were never visited (jumped over by a branch)."""
    if current is None:
        return set()
    seen = set(path(visited))
    return {s.key for s in steps[:current] if s.key not in seen}


def path(visited: Sequence[str]) -> list[str]:
    """The current path through the method from the visit history: going back to a step that is
    already on the path cuts the path there, so repeated "back" keeps walking backwards."""
    stack: list[str] = []
    for key in visited:
        if key in stack:
            del stack[stack.index(key) + 1 :]
        else:
            stack.append(key)
    return stack
