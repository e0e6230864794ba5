"""Workspace admins and owners count as organisers; `users.info` tells, cached a few minutes.

The cache keeps a burst of commands from one admin from costing a Web API call each, and
a failed lookup answers "not an admin" (refusing is the safe side) without being cached.
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
        self._lock = threading.Lock()

    def is_admin(self, user_id: str) -> bool:
        now = self._monotonic()
        with self._lock:
            cached = self._cache.get(user_id)
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            response = self._client.users_info(user=user_id)
        except (SlackApiError, SlackClientError, OSError):
            logger.warning("users.info failed for %s; treating as non-admin", user_id)
            return False
        user = response.get("user") or {}
        answer = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        with self._lock:
            self._cache[user_id] = (now + self._ttl, answer)
        return answer

    def forget(self) -> None:
        """Drop every cached answer (a member promoted or demoted just now; tests)."""
        with self._lock:
            self._cache.clear()
