"""Who is who on Slack: the bot's own user id (asked once with `auth.test` and kept) and
members' display names (asked with `users.info`, cached).

The poll tally must not count the bot's own reactions (it adds one per option so members
only have to click); jobs get the id from here. Listeners read it from Bolt's context.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.notifier import TRANSIENT_ERRORS, PermanentFailure, TransientFailure

logger = logging.getLogger(__name__)


class BotIdentity:
    def __init__(self, client: WebClient) -> None:
        self._client = client
        self._user_id: str | None = None
        self._lock = threading.Lock()

    def user_id(self) -> str:
        """Raises TransientFailure when Slack cannot be asked now (the job is retried
        later) and PermanentFailure when the token is refused."""
        with self._lock:
            if self._user_id is not None:
                return self._user_id
        try:
            response = self._client.auth_test()
        except SlackApiError as error:
            code = str(error.response.get("error") or "auth_test_failed")
            if error.response.status_code >= 500 or code in TRANSIENT_ERRORS:
                raise TransientFailure(code) from error
            raise PermanentFailure(code) from error
        except OSError as error:
            raise TransientFailure(f"connection: {error}") from error
        user_id = str(response.get("user_id") or "")
        if not user_id:
            raise PermanentFailure("auth_test_without_user_id")
        with self._lock:
            self._user_id = user_id
        return user_id


# How long a member's display name is trusted: a renamed member shows under the new name
# the next day at the latest, and a guide call refreshed ten times asks Slack once.
NAME_TTL_SECONDS = 24 * 3600


class MemberNames:
    """Members' display names for texts that must name without pinging (the rotation's
    suggestion, the poll's proposers): `users.info` once per member, cached a day in the
    process.

    A member Slack cannot tell about (an error, a timeout: uncached, asked again next
    time; or no name at all) is left out of the answer: the caller then shows fewer
    names, never an `<@…>` mention."""

    def __init__(
        self,
        client: WebClient,
        *,
        ttl_seconds: float = NAME_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._ttl = ttl_seconds
        self._clock = clock
        self._cache: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()

    def names(self, user_ids: Sequence[str]) -> dict[str, str]:
        """The known names of `user_ids`, keyed by id."""
        found: dict[str, str] = {}
        for user_id in dict.fromkeys(user_ids):
            name = self._cached(user_id)
            if name is None:
                name = self._ask(user_id)
            if name:
                found[user_id] = name
        return found

    def forget(self) -> None:
        """Drop every cached name (the next message asks Slack again)."""
        with self._lock:
            self._cache.clear()

    def _cached(self, user_id: str) -> str | None:
        with self._lock:
            hit = self._cache.get(user_id)
        if hit is None or self._clock() - hit[0] > self._ttl:
            return None
        return hit[1]

    def _ask(self, user_id: str) -> str | None:
        try:
            response = self._client.users_info(user=user_id)
        except (SlackApiError, OSError) as error:
            logger.warning("users.info failed for %s (%s); not named", user_id, error)
            return None
        # A member Slack answered for but without a name is remembered too (as ""), so
        # they cost one call a day, not one per message.
        name = display_name(response.get("user") or {}) or ""
        with self._lock:
            self._cache[user_id] = (self._clock(), name)
        return name


def display_name(user: Mapping[str, Any]) -> str | None:
    """What Slack shows for a member: the display name, else the full name. Never the
    legacy handle (`name`, "uorg"): a member with neither is left unnamed, and the text
    that would name them leaves the name out."""
    profile = user.get("profile") or {}
    for candidate in (
        profile.get("display_name"),
        profile.get("real_name"),
        user.get("real_name"),
    ):
        if isinstance(candidate, str) and candidate.strip():
            return candidate.strip()
    return None
