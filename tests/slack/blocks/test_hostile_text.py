"""A catalogue of hostile member text fed through every builder.

Each string goes in as everything a member can type: theme, contribution title, guest
name, link, proposal, the word of an unknown subcommand. Whatever comes out must carry no
live token (no `<!…>`, no `<@…>` other than the members the test put in, no `<http…>`
other than links made from valid URLs), must not be escaped twice, must stay within Block
Kit's limits and must still validate with slack_sdk's models.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.db.models import Contribution, Group, Meeting
from bot.domain.group_settings import GroupSettings
from bot.domain.polls import CloseOutcome, OptionView, PollClosure, PollView
from bot.domain.programme import ContributionLine, Programme
from bot.domain.roles import Withdrawal
from bot.domain.rollover import SessionEnd
from bot.domain.tally import OPTION_EMOJIS, tally_votes
from bot.enums import (
    ContributionKind,
    ContributionStatus,
    DeliveryKind,
    Language,
    PollStatus,
    Recurrence,
)
from bot.i18n import t
from bot.slack.blocks.common import text_message
from bot.slack.blocks.config import build_config_modal
from bot.slack.blocks.contribution import (
    build_contribution_confirmation,
    build_contribution_modal,
    build_contribution_notice,
    build_guide_budget_alert,
)
from bot.slack.blocks.cycle import (
    Audience,
    build_announcement,
    build_contributor_reminder,
    build_guide_call,
    build_guide_overview,
    build_run_of_show,
)
from bot.slack.blocks.help import build_help
from bot.slack.blocks.planning import PlanningEntry, build_planning
from bot.slack.blocks.poll import build_poll, build_poll_result, build_session_end
from bot.slack.blocks.programme import build_programme
from bot.slack.blocks.roles import build_withdraw_notice, build_withdraw_reply
from bot.slack.ids import BlockId
from bot.slack.text import escape
from bot.slack.view_parsing import ContributionMetadata
from tests.support.blocks import assert_valid_message, assert_valid_view

START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)
NEXT = datetime(2027, 2, 11, 13, 0, tzinfo=UTC)
TZ = "Europe/Paris"
CHANNEL = "C0GROUP"
# The members the test puts in: only these may be mentioned.
AUTHOR, GUIDE, PROPOSER, ORGANISER = "U0ALICE", "U0GUIDE", "U0BOB", "U0ORGA"
GOOD_LINK = "https://good.example/slides?a=1&b=2"

HOSTILE: dict[str, str] = {
    "user mention": "<@U0MALLORY> regarde",
    "channel mention": "<!channel> urgent",
    "here mention": "<!here>",
    "everyone mention": "<!everyone>",
    "user group": "<!subteam^S0123|@equipe>",
    "date token": "<!date^1392734382^{date}|demain>",
    "channel link": "<#C0SECRET>",
    "disguised link": "<https://evil.example|https://good.example>",
    "link breaking out": "https://x.example/><!channel><https://evil.example",
    "mailto link": "<mailto:a@evil.example|Support>",
    "mrkdwn": "*gras* _penché_ ~barré~ `code` ```bloc```",
    "quote": "> citation\n>>> tout le reste",
    "rtl override": "facture\u202eexe.pdf",
    "zero width": "a\u200bb\u200cc\u200dd\ufeffe\u2060f",
    "emoji": "🧑🏽\u200d💻 🎉 𝒳 👩‍👩‍👧‍👦",
    "long word": "W" * 3000,
    "long markup": "<!channel>" * 300,
    "lone brackets": "<" * 1500 + ">" * 1500,
    "already escaped": "&amp; &lt;!channel&gt; &gt;",
}

# What may appear as `<…>` in mrkdwn: the real members, the group's channel, and links the
# link helper made from a valid URL.
ALLOWED_TOKEN = re.compile(
    r"<@(U0ALICE|U0GUIDE|U0BOB|U0ORGA)>"
    r"|<#C0GROUP>"
    r"|<https://good\.example/slides\?a=1&amp;b=2(\|[^<>]*)?>"
)
ENTITY = re.compile(r"&(amp|lt|gt);")


# --- walking a built message or view -----------------------------------------------------


def text_objects(data: Any) -> Iterator[tuple[str, str]]:
    """(format, text) of every text in a message or view: mrkdwn and plain_text objects,
    and a message's top-level `text` fallback (which Slack reads as mrkdwn)."""
    if isinstance(data, dict):
        kind = data.get("type")
        if kind in ("mrkdwn", "plain_text") and isinstance(data.get("text"), str):
            yield kind, data["text"]
        for key, value in data.items():
            if key == "text" and isinstance(value, str) and kind not in ("mrkdwn", "plain_text"):
                yield "mrkdwn", value
            else:
                yield from text_objects(value)
    elif isinstance(data, list):
        for item in data:
            yield from text_objects(item)


def assert_no_live_token(built: dict[str, Any], hostile: str) -> None:
    texts = list(text_objects(built))
    assert texts, "nothing to check"
    for kind, text in texts:
        if kind != "mrkdwn":
            # plain_text shows text as typed: member text there must not be escaped.
            if "&" not in hostile:
                assert ENTITY.search(text) is None, "plain_text escaped"
            continue
        # Every `<` opens a token the bot wrote; every `>` closes one.
        tokens = re.findall(r"<[^<>]*>", text)
        assert [tok for tok in tokens if not ALLOWED_TOKEN.fullmatch(tok)] == []
        assert text.count("<") == len(tokens)
        assert text.count(">") == len(tokens)
        # Every `&` starts an entity: nothing cut in half, nothing left raw.
        assert text.count("&") == len(ENTITY.findall(text))
        if "&" not in hostile:
            assert "&amp;" not in text.replace("a=1&amp;b=2", ""), "escaped twice"


def assert_shows(built: dict[str, Any], hostile: str) -> None:
    """The member's text is there, escaped once (short strings only: long ones are cut)."""
    if len(escape(hostile)) > 500:
        return
    mrkdwn = "\n".join(text for kind, text in text_objects(built) if kind == "mrkdwn")
    assert escape(hostile) in mrkdwn


def assert_within_limits(built: dict[str, Any]) -> None:
    for block in built.get("blocks") or []:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= 3000
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150
        if block["type"] == "context":
            assert all(len(e["text"]) <= 3000 for e in block["elements"])
        if block["type"] == "actions":
            assert all(len(e["text"]["text"]) <= 75 for e in block["elements"])
    if "text" in built and isinstance(built["text"], str):
        assert len(built["text"]) <= 3000


# --- the state each builder reads, made of hostile text ----------------------------------


def line(text: str, **overrides: Any) -> ContributionLine:
    values: dict[str, Any] = {
        "id": 1,
        "kind": ContributionKind.GUEST,
        "title": text,
        "author_user_id": AUTHOR,
        "duration_minutes": 20,
        "ready": False,
        "guest_name": text,
        "link": text,
        "guest_affiliation": text,
    }
    values.update(overrides)
    return ContributionLine(**values)


def programme(text: str) -> Programme:
    return Programme(
        meeting_id=7,
        starts_at=START,
        duration_minutes=90,
        theme=text,
        guide_user_id=GUIDE,
        contributions=(
            line(text),
            line(text, id=2, link=GOOD_LINK, ready=True, kind=ContributionKind.TALK),
            line(text, id=3, author_user_id=PROPOSER, guest_name=None, link=None),
        ),
        participant_count=3,
        place=text,
    )


def contribution(text: str) -> Contribution:
    return Contribution(
        id=1,
        meeting_id=7,
        author_user_id=AUTHOR,
        kind=ContributionKind.GUEST,
        title=text,
        description=text,
        duration_minutes=20,
        link=text,
        guest_name=text,
        guest_affiliation=text,
        status=ContributionStatus.PROPOSED,
        created_at=START,
        updated_at=START,
    )


def poll(text: str) -> PollView:
    return PollView(
        id=3,
        group_id=1,
        channel_id=CHANNEL,
        message_ts=None,
        status=PollStatus.OPEN,
        closes_at=START,
        target_meeting_id=7,
        options=tuple(
            OptionView(
                position=i,
                emoji=OPTION_EMOJIS[i - 1],
                proposal_id=i,
                text=f"{text} {i}" if i > 1 else text,
                proposed_by=PROPOSER,
            )
            for i in (1, 2)
        ),
    )


def closure(text: str, *, decided: bool) -> PollClosure:
    view = poll(text)
    if not decided:
        return PollClosure(
            poll=view,
            outcome=CloseOutcome.UNREADABLE,
            result=None,
            from_events=False,
            winner=None,
            themed_meeting_starts_at=None,
            ask_user_ids=(ORGANISER, GUIDE),
        )
    result = tally_votes(view.option_pairs, [(AUTHOR, "one"), (PROPOSER, "two")], "UBOT")
    return PollClosure(
        poll=view,
        outcome=CloseOutcome.DECIDED,
        result=result,
        from_events=True,
        winner=view.option_at(1),
        themed_meeting_starts_at=NEXT,
        ask_user_ids=(),
    )


def session_end(text: str) -> SessionEnd:
    return SessionEnd(
        meeting_id=6,
        group=Group(team_id="T", channel_id=CHANNEL),
        held_starts_at=START,
        next_meeting_id=7,
        next_starts_at=NEXT,
        poll=poll(text),
        running_poll_closes_at=None,
        poll_enabled=True,
        message_ts=None,
    )


def withdrawal(text: str) -> Withdrawal:
    meeting = Meeting(id=7, group_id=1, starts_at=START)
    return Withdrawal(
        meeting=meeting,
        released_guide=True,
        contribution=contribution(text),
        left_participants=True,
    )


def audience(lang: Language) -> Audience:
    return Audience(lang=lang, tz=TZ, command="/partage", channel_id=CHANNEL)


MessageBuilder = Callable[[str, Language], dict[str, Any]]

MESSAGE_BUILDERS: dict[str, MessageBuilder] = {
    "programme": lambda s, lang: build_programme(programme(s), lang, TZ, "/partage"),
    "guide call": lambda s, lang: build_guide_call(programme(s), audience(lang)),
    "announcement": lambda s, lang: build_announcement(programme(s), audience(lang)),
    "contributor reminder": lambda s, lang: build_contributor_reminder(
        programme(s), line(s), list(programme(s).contributions[1:]), audience(lang)
    ),
    "last reminder": lambda s, lang: build_contributor_reminder(
        programme(s), line(s), [], audience(lang), last=True
    ),
    "guide overview": lambda s, lang: build_guide_overview(
        programme(s), audience(lang), lead_minutes=15
    ),
    "run of show": lambda s, lang: build_run_of_show(programme(s), audience(lang)),
    "poll": lambda s, lang: build_poll(poll(s), lang, TZ, opened_by=ORGANISER),
    # The options are in the poll's own message; the rotation's suggestion names members.
    "session end": lambda s, lang: build_session_end(session_end(s), lang, TZ, "/partage", (s,)),
    "poll result": lambda s, lang: build_poll_result(
        closure(s, decided=True), lang, TZ, "/partage"
    ),
    "contribution confirmation": lambda s, lang: build_contribution_confirmation(
        lang,
        when="jeudi",
        contribution=contribution(s),
        created=True,
        budget_used=40,
        command="/partage",
    ),
    "contribution notice": lambda s, lang: build_contribution_notice(
        lang,
        when="jeudi",
        user_id=AUTHOR,
        contribution=contribution(s),
        created=False,
        budget_used=20,
    ),
    "budget alert": lambda s, lang: build_guide_budget_alert(
        lang,
        when="jeudi",
        channel_id=CHANNEL,
        user_id=AUTHOR,
        contribution=contribution(s),
        budget_used=45,
    ),
    "withdraw reply": lambda s, lang: build_withdraw_reply(lang, "jeudi", withdrawal(s)),
    "withdraw notice": lambda s, lang: build_withdraw_notice(  # type: ignore[return-value]
        lang,
        when="jeudi",
        user_id=AUTHOR,
        meeting_id=7,
        released_guide=True,
        contribution_title=s,
    ),
    "help": lambda s, lang: build_help(lang, "/partage", unknown_word=s),
    "theme notice": lambda s, lang: text_message(t(lang, "theme.notice", user=AUTHOR, theme=s)),
    "proposal notice": lambda s, lang: text_message(
        t(lang, "proposal.notice", user=PROPOSER, text=s, cmd="/partage")
    ),
}


# --- the tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", list(Language))
@pytest.mark.parametrize("hostile", list(HOSTILE.values()), ids=list(HOSTILE))
@pytest.mark.parametrize("builder", list(MESSAGE_BUILDERS), ids=list(MESSAGE_BUILDERS))
def test_hostile_text_through_every_message_builder_leaves_no_live_token(builder, hostile, lang):
    built = MESSAGE_BUILDERS[builder](hostile, lang)

    assert_valid_message(built)
    assert_within_limits(built)
    assert_no_live_token(built, hostile)
    assert_shows(built, hostile)


@pytest.mark.parametrize("lang", list(Language))
@pytest.mark.parametrize("hostile", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_text_in_the_poll_result_asking_organisers_leaves_no_live_token(hostile, lang):
    built = build_poll_result(closure(hostile, decided=False), lang, TZ, "/partage")

    assert_valid_message(built)
    assert_no_live_token(built, hostile)
    assert "<@U0ORGA>, <@U0GUIDE>" in built["blocks"][-1]["text"]["text"]


@pytest.mark.parametrize("lang", list(Language))
@pytest.mark.parametrize("hostile", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_text_prefilled_in_the_contribution_modal_is_raw_and_valid(hostile, lang):
    view = build_contribution_modal(
        lang,
        "jeudi 14 janvier 2027 à 14\u00a0h",
        contribution(hostile),
        ContributionMetadata(meeting_id=7, channel_id=CHANNEL).encode(),
        budget_used=45,
    )

    assert_valid_view(view)
    assert_no_live_token(view, hostile)
    inputs = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    title = inputs[BlockId.CONTRIBUTION_TITLE]
    # plain_text inputs take the text as typed, cut to what the input accepts.
    assert title["initial_value"] == (hostile if len(hostile) <= 150 else hostile[:149] + "…")
    assert len(title["initial_value"]) <= title["max_length"]


def test_a_link_from_a_valid_url_is_the_only_link_in_the_programme():
    built = build_programme(programme("<!channel>"), Language.FR, TZ, "/partage")

    text = built["blocks"][2]["text"]["text"]
    assert re.findall(r"<http[^>]*>", text) == [
        "<https://good.example/slides?a=1&amp;b=2|&lt;!channel&gt;>"
    ]


def test_a_stored_link_that_breaks_out_is_shown_as_text_not_as_a_link():
    breakout = HOSTILE["link breaking out"]
    stored = replace(programme("Sujet"), contributions=(line("Sujet", link=breakout),))

    built = build_programme(stored, Language.FR, TZ, "/partage")

    text = built["blocks"][2]["text"]["text"]
    assert "Sujet (https://x.example/&gt;&lt;!channel&gt;&lt;https://evil.example)" in text
    assert "<http" not in text
    assert "<!" not in text


@pytest.mark.parametrize(
    "crafted", ["U0ALICE|<!channel>", "U0ALICE> <!here", "<!everyone>", "u0alice"]
)
def test_a_crafted_user_id_is_never_written_as_a_mention(crafted):
    with_guide = replace(programme("Sujet"), guide_user_id=crafted)

    built = build_programme(with_guide, Language.FR, TZ, "/partage")

    assert_valid_message(built)
    text = built["blocks"][1]["text"]["text"]
    assert "<!" not in text
    assert f"<@{crafted}" not in text
    assert escape(f"@{crafted}") in text


@pytest.mark.parametrize("lang", list(Language))
def test_builders_without_member_text_stay_valid(lang):
    settings = GroupSettings(
        timezone="Europe/Paris",
        language=lang,
        reminder_hour=10,
        guide_call_days=14,
        announcement_days=7,
        last_reminder_days=1,
        run_of_show_lead_minutes=15,
        poll_duration_hours=72,
        recurrence=Recurrence.MONTHLY_WEEKDAY,
        guide_call_enabled=True,
        announcement_enabled=True,
        contributor_reminders_enabled=True,
        guide_overview_enabled=True,
        run_of_show_enabled=True,
        poll_enabled=True,
    )
    planning = build_planning(
        [PlanningEntry(DeliveryKind.ANNOUNCEMENT, START)],
        session_starts_at=START,
        now=START,
        lang=lang,
        tz=TZ,
        command="/partage",
    )

    view = build_config_modal(settings, lang, group_id=1, channel_id=CHANNEL)

    assert_valid_view(view)
    assert_valid_message(planning)
    assert_no_live_token(view, "")
    assert_no_live_token(planning, "")
