"""The App Home: built from the database, published through the Notifier, at most once
per burst of changes for a member.

Two doors. `show(user_id)`: the member opened the tab, so Slack may be asked who they are
(admin, locale) and which channels they are in; a member of a group's channel sees its
next session and can take a first role there, holding none yet. `refresh_group(...)`:
the follow-ups of a change (`bot.followups`) republish the Homes of the members it
concerns and of everyone whose Home showed that group, within the refresh delay. A
refresh asked while another for the same member is still waiting is folded into it, so
ten changes in a row cost one `views.publish`, and the one that runs reads the state
after all of them.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.engine import read_transaction
from bot.domain.board import HomeGroup, home_groups
from bot.domain.groups import MATRIX_TEAM
from bot.enums import Language
from bot.outages import outages
from bot.slack.admins import AdminDirectory
from bot.slack.blocks.board import build_home
from bot.slack.notifier import Notifier, SendFailure

logger = logging.getLogger(__name__)

# How long the channels Slack says a member is in are trusted: a member who joins a
# group's channel sees it on their Home within this (or at once after a role there).
CHANNELS_SECONDS = 300.0
# A member whose Home showed a group this recently gets it republished after a change.
VIEWER_SECONDS = 86400.0


def home_language(groups: list[HomeGroup], locale: str | None, default: Language) -> Language:
    """The groups' language when they agree; otherwise the member's Slack locale
    (`fr-FR` reads French), and the deployment's language when Slack says nothing usable."""
    languages = {g.language or default for g in groups}
    if len(languages) == 1:
        return languages.pop()
    for language in Language:
        if locale and locale.lower().startswith(language.value):
            return language
    return default


class HomeRefresher:
    def __init__(
        self,
        *,
        db: sessionmaker[Session],
        notifier: Notifier,
        admins: AdminDirectory,
        settings: Settings,
        defer: Callable[[Callable[[], None]], None],
        delay_seconds: float = 0.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._db = db
        self._notifier = notifier
        self._admins = admins
        self._settings = settings
        self._defer = defer
        self._delay = delay_seconds
        self._monotonic = monotonic
        # Members waiting for a refresh, and whether it may ask Slack (admin, locale).
        self._pending: dict[str, bool] = {}
        self._lock = threading.Lock()
        # Per member: the channels Slack says they are in, and until when that holds.
        self._channels: dict[str, tuple[float, tuple[str, ...]]] = {}
        # Per group: the members whose published Home shows it, and when it was published.
        self._viewers: dict[int, dict[str, float]] = {}
        self.published = 0
        self.coalesced = 0

    def forget(self) -> None:
        """Drop what is cached of members' channels and Homes (a workspace reinstalled)."""
        with self._lock:
            self._channels.clear()
            self._viewers.clear()

    def show(self, user_id: str, team_id: str | None = None) -> None:
        """The member opened their Home: publish it, asking Slack what it may."""
        self.refresh_home(user_id, team_id, ask_slack=True)

    def refresh_group(self, group_id: int, team_id: str | None, users: list[str]) -> None:
        """After a change to the group: the members it concerns, and those whose Home
        shows the group (seen within `VIEWER_SECONDS`). A Matrix group's members have no
        App Home: nothing is published for them."""
        if team_id == MATRIX_TEAM:
            return
        now = self._monotonic()
        with self._lock:
            seen = self._viewers.get(group_id, {})
            viewers = [u for u, at in seen.items() if now - at < VIEWER_SECONDS]
        for user in dict.fromkeys([*users, *viewers]):
            self.refresh_home(user, team_id)

    def refresh_home(
        self, user_id: str, team_id: str | None = None, *, ask_slack: bool = False
    ) -> None:
        """Republish the member's Home after `delay_seconds` (in the after-ack pool);
        folded into a refresh already waiting for them. `ask_slack` (the member opened
        the Home) lets it ask users.info for their admin status and locale; a refresh
        after a change uses what is cached, so a burst of changes costs no Slack call
        but the publish."""
        with self._lock:
            if user_id in self._pending:
                self._pending[user_id] = self._pending[user_id] or ask_slack
                self.coalesced += 1
                return
            self._pending[user_id] = ask_slack
        publish = partial(self._publish, user_id, team_id)
        if self._delay <= 0:
            self._defer(publish)
            return
        # Wait for the rest of the burst off the worker pool, then publish in it.
        timer = threading.Timer(self._delay, self._defer, args=(publish,))
        timer.daemon = True
        timer.start()

    def build(
        self, user_id: str, team_id: str | None = None, *, ask_slack: bool = True
    ) -> dict[str, Any]:
        """The Home view as of now. Slack is asked (admin status and locale, cached)
        before the read transaction, never inside it, and only with `ask_slack`."""
        admins = self._admins
        is_admin = admins.look_up(user_id) if ask_slack else bool(admins.known(user_id))
        channels = self._member_channels(user_id, ask_slack=ask_slack)
        with read_transaction(self._db) as session:
            groups = home_groups(
                session, team_id=team_id, user_id=user_id, is_admin=is_admin, channel_ids=channels
            )
        now = self._monotonic()
        with self._lock:
            for group in groups:
                self._viewers.setdefault(group.group_id, {})[user_id] = now
        default = self._settings.bot_language
        locale = None
        if len({g.language or default for g in groups}) > 1:
            locale = admins.locale(user_id) if ask_slack else admins.known_locale(user_id)
        return build_home(
            groups, home_language(groups, locale, default), self._settings.bot_timezone
        )

    def _member_channels(self, user_id: str, *, ask_slack: bool) -> tuple[str, ...]:
        """The member's channels, cached `CHANNELS_SECONDS`: asked of Slack only when
        they open the Home (a refresh after a change uses what is known)."""
        now = self._monotonic()
        with self._lock:
            cached = self._channels.get(user_id)
        if cached is not None and (now < cached[0] or not ask_slack):
            return cached[1]
        if not ask_slack:
            return ()
        try:
            channels = tuple(self._notifier.member_channels(user_id))
        except SendFailure as failure:
            logger.warning("users.conversations for %s failed: %s", user_id, failure.code)
            return cached[1] if cached is not None else ()
        with self._lock:
            self._channels[user_id] = (now + CHANNELS_SECONDS, channels)
        return channels

    def _publish(self, user_id: str, team_id: str | None) -> None:
        with self._lock:
            # From here on a new change asks for a new refresh: this one may read too early.
            ask_slack = self._pending.pop(user_id, False)
        view = self.build(user_id, team_id, ask_slack=ask_slack)
        try:
            self._notifier.publish_home(user_id, view)
        except SendFailure as failure:
            outages().warn_or_count(
                logger,
                failure,
                "views.publish for %s failed: %s",
                user_id,
                failure.code,
                effect="Homes not republished",
            )
            return
        with self._lock:
            self.published += 1
