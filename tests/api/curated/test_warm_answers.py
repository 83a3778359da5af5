"""A release that answers its parameterless curated queries from files leaves nothing to warm."""

from __future__ import annotations

import asyncio

from api.app import create_app
from api.curated.warm import warm
from kskg.settings import Settings


def test_nothing_is_warmed_when_the_release_answers_from_its_files(real_settings: Settings):
    app = create_app(real_settings)
    served = app.state.served
    # Not started: no query worker is up, so a query run by warming would fail the test.
    assert asyncio.run(warm(app.state.curated, served)) == []
    assert app.state.curated.results.misses == 0
