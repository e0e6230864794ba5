"""Domain errors carry an i18n key and its parameters; the Slack layer translates them."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal the user can act on: the key names a message in `bot.i18n`."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class NotAllowed(DomainError):
    """The user lacks the role the action needs."""


class NoUpcomingSession(DomainError):
    def __init__(self) -> None:
        super().__init__("error.no_session")


class InvalidInput(DomainError):
    """The value was read but breaks a rule (length, range, date in the past)."""
