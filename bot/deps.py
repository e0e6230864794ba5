"""What listeners and jobs need, handed over once by `bootstrap` (no globals)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.enums import Language
from bot.services.deliveries import DeliveryState

if TYPE_CHECKING:
    from bot.slack.admins import AdminDirectory
    from bot.slack.home import HomeRefresher
    from bot.slack.notifier import Notifier


class LanguageMemo:
    """The language each member was last answered in, kept in memory for the error path.

    When the database fails, the group's language cannot be read, yet the apology should
    still come in it. Bounded (least recently answered members are forgotten first) and
    lost on restart, when the deployment's language is the best guess left.
    """

    def __init__(self, capacity: int = 10_000) -> None:
        self._capacity = capacity
        self._languages: OrderedDict[str, Language] = OrderedDict()
        self._lock = threading.Lock()

    def remember(self, user_id: str, lang: Language) -> None:
        with self._lock:
            self._languages[user_id] = lang
            self._languages.move_to_end(user_id)
            while len(self._languages) > self._capacity:
                self._languages.popitem(last=False)

    def recall(self, user_id: str) -> Language | None:
        with self._lock:
            return self._languages.get(user_id)

    def forget(self) -> None:
        """Drop every member's language (a workspace reinstalled, a fresh test)."""
        with self._lock:
            self._languages.clear()


@dataclass(frozen=True)
class CachedReply:
    """An answer already serialized as the acknowledgement's JSON body, with the version
    of the data it was built from and the group settings it was written in."""

    version: Hashable
    language: Language | None
    timezone: str | None
    body: str
    # A second answer for the readers who manage the session (`programme`: organisers and
    # the guide read who is ready, the presentation time and their commands), and who
    # manages it by a role the version follows (the guide; organisers are asked apart).
    manage_body: str | None = None
    managers: frozenset[str] = frozenset()


class ReplyCache:
    """Answers to read-only commands, kept while the data they show has not changed.

    The caller reads the current version from the database (one indexed read) and
    reuses the answer only when it equals the one stored: the database, not this cache,
    says what is current, so a change made by another process is seen at once. Bounded
    (least recently asked first out) and per process.
    """

    def __init__(self, capacity: int = 1024) -> None:
        self._capacity = capacity
        self._replies: OrderedDict[Hashable, CachedReply] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> CachedReply | None:
        with self._lock:
            reply = self._replies.get(key)
            if reply is not None:
                self._replies.move_to_end(key)
            return reply

    def put(self, key: Hashable, reply: CachedReply) -> None:
        with self._lock:
            self._replies[key] = reply
            self._replies.move_to_end(key)
            while len(self._replies) > self._capacity:
                self._replies.popitem(last=False)


@dataclass(frozen=True)
class Deps:
    settings: Settings
    db: sessionmaker[Session]
    clock: Clock
    # Who is a workspace admin or owner: cached, or Slack's users.info between units of
    # work (never inside one).
    admins: AdminDirectory
    # Runs a callable after the current answer to Slack (see bot.slack.after_ack).
    after_ack: Callable[[Callable[[], None]], None]
    # The one door to the Slack Web API for what listeners send after their answer.
    notifier: Notifier
    languages: LanguageMemo = field(default_factory=LanguageMemo)
    # `programme`'s answers per channel, valid while the group's revision stands.
    programmes: ReplyCache = field(default_factory=ReplyCache)
    # Works one delivery at once (a poll opened by command), through the outbox.
    deliveries: _RunsNow | None = None
    # The members' App Homes, republished at most once per burst (`refresh_home`).
    home: HomeRefresher | None = None


class _RunsNow(Protocol):
    def run_now(self, delivery_id: int) -> DeliveryState: ...
