"""HomeRefresher: one views.publish per burst of changes for a member; the language."""

from __future__ import annotations

from collections.abc import Callable

from bot.domain.board import HomeGroup
from bot.domain.groups import MATRIX_TEAM
from bot.enums import Language
from bot.slack.home import HomeRefresher, home_language
from tests.support.server import bot_settings


class Recorder:
    """A Notifier stand-in that records publishes (the real one is tested end to end)."""

    def __init__(self) -> None:
        self.published: list[str] = []

    def publish_home(self, user_id: str, view: dict) -> None:
        self.published.append(user_id)


class Admins:
    def look_up(self, user_id: str) -> bool:
        return False

    def known(self, user_id: str) -> bool | None:
        return None

    def known_locale(self, user_id: str) -> str | None:
        return None

    def locale(self, user_id: str) -> str | None:
        return None


def test_refresh_home_burst_of_ten_changes_publishes_once(db):
    deferred: list[Callable[[], None]] = []
    notifier = Recorder()
    refresher = HomeRefresher(
        db=db,
        notifier=notifier,  # type: ignore[arg-type]
        admins=Admins(),  # type: ignore[arg-type]
        settings=bot_settings("sqlite://", "http://127.0.0.1:9/api/"),
        defer=deferred.append,
    )

    for _ in range(10):
        refresher.refresh_home("U0BOB")
    for work in deferred:
        work()
    refresher.refresh_home("U0BOB")  # a change after the publish asks for a new one

    assert notifier.published == ["U0BOB"]
    assert (refresher.published, refresher.coalesced, len(deferred)) == (1, 9, 2)


def _group(language: Language | None) -> HomeGroup:
    return HomeGroup(1, "C0", language, None, False, None)


def test_home_language_groups_agreeing_win_over_the_locale():
    assert home_language([_group(Language.EN)], "fr-FR", Language.FR) == Language.EN


def test_home_language_groups_disagreeing_follow_the_locale_then_the_default():
    groups = [_group(Language.EN), _group(Language.FR)]

    assert home_language(groups, "en-GB", Language.FR) == Language.EN
    assert home_language(groups, "fr-CA", Language.EN) == Language.FR
    assert home_language(groups, "de-DE", Language.FR) == Language.FR
    assert home_language([_group(Language.EN), _group(None)], "fr-FR", Language.FR) == Language.FR


def test_refresh_group_of_a_matrix_group_publishes_no_slack_home(db):
    deferred: list[Callable[[], None]] = []
    notifier = Recorder()
    refresher = HomeRefresher(
        db=db,
        notifier=notifier,  # type: ignore[arg-type]
        admins=Admins(),  # type: ignore[arg-type]
        settings=bot_settings("sqlite://", "http://127.0.0.1:9/api/"),
        defer=deferred.append,
    )

    refresher.refresh_group(1, MATRIX_TEAM, ["@anna:tchap.example"])
    refresher.refresh_group(2, "T0001", ["U0BOB"])
    for work in deferred:
        work()

    assert notifier.published == ["U0BOB"]
