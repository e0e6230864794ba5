"""Workspace admins and owners count as organisers; `users.info` tells, cached a few minutes.

The cache keeps a burst of commands from one admin from costing a Web API call each, and
a failed lookup answers "not an admin" (refusing is the safe side) without being cached.

Two doors, so that no Slack call is ever made inside a database transaction (it would hold
SQLite's write lock, or PostgreSQL's row locks, for as long as Slack takes): `known` only
reads the cache and is what the domain's organiser check uses inside a unit of work;
`look_up` may ask Slack and is called between units of work (see
`CommandContext.run`). Its client has a short timeout and no retries, so a slow Slack
costs at most `ADMIN_LOOKUP_TIMEOUT_SECONDS` of the member's 3 seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

logger = logging.getLogger(__name__)


class AdminDirectory:
    def __init__(
        self,
        client: WebClient,
        ttl_seconds: float = 300.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._cache: dict[str, tuple[float, bool]] = {}
        # The member's Slack locale (`fr-FR`, `en-US`), read by the same users.info call:
        # the App Home's language when a member's groups disagree. Kept for the process.
        self._locales: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def known(self, user_id: str) -> bool | None:
        """The cached answer, or None when only Slack can tell. Never calls Slack."""
        with self._lock:
            cached = self._cache.get(user_id)
        if cached is not None and cached[0] > self._monotonic():
            return cached[1]
        return None

    def look_up(self, user_id: str) -> bool:
        """The cached answer, else `users.info` (bounded by the client's timeout)."""
        cached = self.known(user_id)
        if cached is not None:
            return cached
        try:
            response = self._client.users_info(user=user_id, include_locale=True)
        except (SlackApiError, SlackClientError, OSError):
            logger.warning("users.info failed for %s; treating as non-admin", user_id)
            return False
        user = response.get("user") or {}
        answer = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        with self._lock:
            self._cache[user_id] = (self._monotonic() + self._ttl, answer)
            self._locales[user_id] = str(user["locale"]) if user.get("locale") else None
        return answer

    def known_locale(self, user_id: str) -> str | None:
        """The member's Slack locale if Slack told already. Never calls Slack."""
        with self._lock:
            return self._locales.get(user_id)

    def locale(self, user_id: str) -> str | None:
        """The member's Slack locale, asking Slack once (with the admin status) if it is
        not known yet. Between units of work only, like `look_up`."""
        with self._lock:
            if user_id in self._locales:
                return self._locales[user_id]
        with self._lock:
            self._cache.pop(user_id, None)  # ask again: the locale comes with the answer
        self.look_up(user_id)
        with self._lock:
            return self._locales.get(user_id)

    def forget(self) -> None:
        """Drop every cached answer (a member promoted or demoted just now; tests)."""
        with self._lock:
            self._cache.clear()
            self._locales.clear()
