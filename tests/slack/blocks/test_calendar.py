"""The "Ajouter à mon agenda" row: the .ics button and the two web links, valid Block
Kit, with the session's times in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlparse

import pytest
from slack_sdk.models.blocks import ActionsBlock

from bot.enums import Language
from bot.slack.blocks.calendar import calendar_actions
from bot.slack.ids import ActionId, BlockId

START = datetime(2027, 3, 25, 13, 0, tzinfo=UTC)
END = datetime(2027, 3, 25, 14, 30, tzinfo=UTC)


def row(theme: str | None = "Les communs", lang: Language = Language.FR) -> dict:
    return calendar_actions(
        meeting_id=42,
        starts_at=START,
        ends_at=END,
        theme=theme,
        lang=lang,
        tz="Europe/Paris",
        channel_id="C0GROUP",
    )


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


@pytest.mark.parametrize("lang", list(Language))
def test_calendar_actions_has_the_ics_button_and_two_links(lang):
    block = row(lang=lang)

    ActionsBlock(**block).validate_json()
    assert block["block_id"] == BlockId.CALENDAR
    assert [(e["action_id"], e.get("value")) for e in block["elements"]] == [
        (ActionId.CALENDAR_ICS, "42"),
        (ActionId.CALENDAR_GOOGLE, None),
        (ActionId.CALENDAR_OUTLOOK, None),
    ]


def test_calendar_actions_google_link_carries_utc_dates_and_zone():
    google = query(row()["elements"][1]["url"])

    assert (google["action"], google["dates"], google["ctz"]) == (
        "TEMPLATE",
        "20270325T130000Z/20270325T143000Z",
        "Europe/Paris",
    )
    assert google["text"] == "Session du groupe de partage\u202f: Les communs"


def test_calendar_actions_outlook_link_carries_utc_dates():
    outlook = query(row(theme=None)["elements"][2]["url"])

    assert (outlook["startdt"], outlook["enddt"], outlook["subject"]) == (
        "2027-03-25T13:00:00Z",
        "2027-03-25T14:30:00Z",
        "Session du groupe de partage",
    )


def test_calendar_actions_with_a_huge_theme_stays_within_slack_url_cap():
    block = row(theme="é" * 200 + "<!channel>" * 50)

    assert max(len(e.get("url", "")) for e in block["elements"]) <= 3000
    ActionsBlock(**block).validate_json()
