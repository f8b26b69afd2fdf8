"""live.SHARED_PARTS are rendered once per push for every audience; that is only right while
their HTML is the same for everyone. This guards it through every step of a method."""

import pytest
from django.template.loader import render_to_string

from sessions_app import live, services
from sessions_app.models import Audience

pytestmark = pytest.mark.django_db


def test_shared_parts_render_the_same_for_every_audience_at_every_step(running_room, members):
    revision = running_room.revision
    while True:
        state = live.load_state(running_room.pk)
        for part in live.SHARED_PARTS:
            html = {
                audience: render_to_string(
                    f"{live.FRAGMENTS}#{part}", live.context(state, audience)
                )
                for audience in Audience.values
            }
            assert len(set(html.values())) == 1, (state.step.key, part)
        if state.is_last_step:
            break
        services.run_command(running_room.pk, members[0], "next", revision)
        revision += 1


def test_a_push_renders_what_each_audience_would_render_alone(running_room, members):
    services.run_command(running_room.pk, members[0], "next", running_room.revision)
    state = live.load_state(running_room.pk)
    shared: dict[str, str] = {}
    for audience in Audience.values:
        alone = live.render_parts(state, audience, live.EVERYTHING)
        assert live.render_parts(state, audience, live.EVERYTHING, shared=shared) == alone
