"""Registers every listener in one place; handlers stay importable functions."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.slack.listeners import (
    actions,
    board,
    calendar,
    commands,
    config,
    errors,
    events,
    forms,
    history,
    my_data,
    place,
    stats,
    tour,
    user_ids,
    views,
)


def register_listeners(app: App, deps: Deps) -> None:
    errors.register(app, deps)
    user_ids.register(app, deps)
    forms.register(app, deps)
    commands.register(app, deps)
    actions.register(app, deps)
    views.register(app, deps)
    events.register(app, deps)
    config.register(app, deps)
    place.register(app, deps)
    calendar.register(app, deps)
    board.register(app, deps)
    history.register(app, deps)
    stats.register(app, deps)
    tour.register(app, deps)
    my_data.register(app, deps)
