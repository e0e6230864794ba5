"""The App Home: built from the database, published through the Notifier, at most once
per burst of changes for a member.

`refresh_home(user_id)` is the one door: `app_home_opened`, the member's own actions and
(later) the refresh mapping of living messages all call it. A refresh asked while another
for the same member is still waiting to run is folded into it, so ten changes in a row
cost one `views.publish`, and the one that runs reads the state after all of them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.engine import read_transaction
from bot.domain.board import HomeGroup, home_groups
from bot.enums import Language
from bot.slack.admins import AdminDirectory
from bot.slack.blocks.board import build_home
from bot.slack.notifier import Notifier, SendFailure

logger = logging.getLogger(__name__)


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
    ) -> None:
        self._db = db
        self._notifier = notifier
        self._admins = admins
        self._settings = settings
        self._defer = defer
        self._delay = delay_seconds
        # Members waiting for a refresh, and whether it may ask Slack (admin, locale).
        self._pending: dict[str, bool] = {}
        self._lock = threading.Lock()
        self.published = 0
        self.coalesced = 0

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
        with read_transaction(self._db) as session:
            groups = home_groups(session, team_id=team_id, user_id=user_id, is_admin=is_admin)
        default = self._settings.bot_language
        locale = None
        if len({g.language or default for g in groups}) > 1:
            locale = admins.locale(user_id) if ask_slack else admins.known_locale(user_id)
        return build_home(
            groups, home_language(groups, locale, default), self._settings.bot_timezone
        )

    def _publish(self, user_id: str, team_id: str | None) -> None:
        with self._lock:
            # From here on a new change asks for a new refresh: this one may read too early.
            ask_slack = self._pending.pop(user_id, False)
        view = self.build(user_id, team_id, ask_slack=ask_slack)
        try:
            self._notifier.publish_home(user_id, view)
        except SendFailure as failure:
            logger.warning("views.publish for %s failed: %s", user_id, failure.code)
            return
        with self._lock:
            self.published += 1
