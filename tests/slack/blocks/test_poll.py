"""The poll, session-end and result messages: valid Block Kit, the right words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.db.models import Group
from bot.domain.polls import CloseOutcome, OptionView, PollClosure, PollView
from bot.domain.rollover import SessionEnd
from bot.domain.tally import OPTION_EMOJIS, tally_votes
from bot.enums import Language, PollStatus
from bot.slack.blocks.poll import build_poll, build_poll_result, build_session_end, votes_label
from bot.slack.ids import ActionId
from tests.support.blocks import assert_valid_message
from tests.support.slack_client import message_text

TZ = "Europe/Paris"
HELD = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)
NEXT = datetime(2027, 2, 11, 13, 0, tzinfo=UTC)
CLOSES = datetime(2027, 1, 17, 14, 30, tzinfo=UTC)


def poll_of(texts: list[str], left_out: int = 0) -> PollView:
    return PollView(
        id=7,
        group_id=1,
        channel_id="C0GROUP",
        message_ts=None,
        status=PollStatus.OPEN,
        closes_at=CLOSES,
        target_meeting_id=2,
        options=tuple(
            OptionView(
                position=i,
                emoji=OPTION_EMOJIS[i - 1],
                proposal_id=100 + i,
                text=text,
                proposed_by=f"U{i}",
                proposed_by_name=f"membre{i}" if i == 1 else None,
            )
            for i, text in enumerate(texts, start=1)
        ),
        left_out=left_out,
    )


def session_end(poll: PollView | None = None, **overrides: object) -> SessionEnd:
    values: dict[str, object] = {
        "meeting_id": 1,
        "group": Group(team_id="T", channel_id="C0GROUP"),
        "held_starts_at": HELD,
        "next_meeting_id": 2,
        "next_starts_at": NEXT,
        "poll": poll,
        "running_poll_closes_at": None,
        "poll_enabled": True,
        "message_ts": None,
    }
    values.update(overrides)
    return SessionEnd(**values)  # type: ignore[arg-type]


def buttons(message: dict) -> list[dict]:
    return [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_build_session_end_with_poll_is_short_and_points_to_the_poll_below():
    built = build_session_end(session_end(poll_of(["Design <b>", "Data"])), Language.FR, TZ, "/p")

    assert_valid_message(built)
    text = message_text(built)
    assert "Design" not in text  # the options are in the poll's own message
    assert "🗳️ Le thème de la prochaine session se choisit dans le sondage juste en dessous." in text
    assert "jeudi 14 janvier 2027 à 14\u00a0h" in text
    assert "*Prochaine session\u202f: jeudi 11 février 2027 à 14\u00a0h.*" in text
    assert [b["type"] for b in built["blocks"]] == ["header", "section", "section", "actions"]
    assert [(b["action_id"], b["value"]) for b in buttons(built)] == [
        (ActionId.CLAIM_GUIDE.value, "2"),
        (ActionId.OPEN_CONTRIBUTION.value, "2"),
    ]


def test_build_session_end_posted_with_its_poll_inside_keeps_it_when_rewritten():
    poll = poll_of(["Design <b>", "Data"])

    built = build_session_end(session_end(poll, poll_inline=True), Language.FR, TZ, "/p")

    assert_valid_message(built)
    text = message_text(built)
    assert ":one: Design &lt;b&gt;  _(proposé par membre1)_ · *0 vote*" in text
    assert "juste en dessous" not in text
    assert built["text"].splitlines()[1:] == [":one: Design &lt;b&gt;", ":two: Data"]


def test_build_poll_lists_options_live_counts_and_closing_time_without_pings():
    poll = poll_of(["Design <b>", "Data", "Code"])
    counted = PollView(**{**poll.__dict__, "counts": ((1, 2), (3, 1))})

    built = build_poll(counted, Language.FR, TZ, opened_by=None)

    assert_valid_message(built)
    text = message_text(built)
    assert text.startswith("Sondage\u202f: le thème de la prochaine session")
    assert ":one: Design &lt;b&gt;  _(proposé par membre1)_ · *2 votes*" in text
    # A proposer Slack could not name is left out: no handle, no ping.
    assert ":two: Data · *0 vote*" in text
    assert ":three: Code · *1 vote*" in text
    assert "<@U" not in text  # nobody pinged by the options
    assert "Fin du vote le *dimanche 17 janvier 2027 à 15\u00a0h\u00a030*" in text


def test_build_poll_states_the_rule_beyond_ten():
    poll = poll_of([f"T{i}" for i in range(1, 11)], left_out=3)

    built = build_poll(poll, Language.FR, TZ, opened_by=None)

    assert_valid_message(built)
    text = message_text(built)
    assert ":keycap_ten: T10" in text
    assert "Il y a 13 thèmes proposés et un sondage en compte au plus 10" in text
    assert "Les 3 autres restent ouverts pour le prochain sondage." in text


def test_build_session_end_without_proposal_calls_for_proposals():
    built = build_session_end(session_end(), Language.FR, TZ, "/partage")

    assert_valid_message(built)
    text = message_text(built)
    assert "`/partage proposer &lt;thème&gt;`" in text
    # Members read it: the poll is opened by those who may, not by a command shown to all.
    assert "le ou la guide ouvrira ensuite le sondage." in text
    assert "`/partage sondage`" not in text
    assert len(buttons(built)) == 2


def test_build_session_end_with_running_poll_points_to_it():
    built = build_session_end(
        session_end(running_poll_closes_at=CLOSES), Language.EN, TZ, "/partage"
    )

    text = message_text(built)
    assert "runs until Sunday 17 January 2027 at 15:30" in text
    assert "propose <theme>" not in text


def test_build_session_end_without_next_session_asks_organiser_no_buttons():
    built = build_session_end(
        session_end(next_meeting_id=None, next_starts_at=None, poll_enabled=False),
        Language.FR,
        TZ,
        "/partage",
    )

    assert_valid_message(built)
    assert buttons(built) == []
    assert "Un·e organisateur·rice la programmera." in message_text(built)
    assert "/partage session" not in message_text(built)


def test_build_poll_on_demand_names_who_opened_it():
    built = build_poll(poll_of(["A"]), Language.FR, TZ, opened_by="U0ORGA")

    assert_valid_message(built)
    assert "Sondage ouvert par <@U0ORGA>." in message_text(built)


def closure(
    texts: list[str],
    votes: list[tuple[str, str]] | None,
    *,
    themed: datetime | None = NEXT,
    from_events: bool = False,
    ask: tuple[str, ...] = (),
) -> PollClosure:
    poll = poll_of(texts)
    result = tally_votes(poll.option_pairs, votes, "UBOT") if votes is not None else None
    winner = poll.option_at(result.winner) if result and result.winner else None
    if winner is not None:
        outcome = CloseOutcome.DECIDED
    else:
        outcome = CloseOutcome.NO_VOTES if result else CloseOutcome.UNREADABLE
    return PollClosure(
        poll=poll,
        outcome=outcome,
        result=result,
        from_events=from_events,
        winner=winner,
        themed_meeting_starts_at=themed if winner else None,
        ask_user_ids=ask,
    )


def test_build_poll_result_shows_every_count_and_the_winner():
    built = build_poll_result(
        closure(["A", "B", "C"], [("U1", "two"), ("U2", "two"), ("U3", "one")]),
        Language.FR,
        TZ,
        "/partage",
    )

    assert_valid_message(built)
    text = message_text(built)
    assert ":one: A\u202f: 1 vote" in text
    assert ":two: B\u202f: 2 votes" in text
    assert ":three: C\u202f: 0 vote" in text
    assert "Thème retenu\u202f: *B*" in text
    assert "C’est le thème de la prochaine session, le jeudi 11 février 2027 à 14\u00a0h." in text
    assert "galité" not in text


@pytest.mark.parametrize(
    ("lang", "word"), [(Language.FR, "Égalité entre :one:, :two:"), (Language.EN, "Tie between")]
)
def test_build_poll_result_tie_says_so(lang, word):
    built = build_poll_result(
        closure(["A", "B"], [("U1", "two"), ("U2", "one")]), lang, TZ, "/partage"
    )

    text = message_text(built)
    assert word in text
    assert "*A*" in text


def test_build_poll_result_from_events_says_so():
    built = build_poll_result(
        closure(["A"], [("U1", "one")], from_events=True), Language.FR, TZ, "/partage"
    )

    assert "réactions que j’avais enregistrées" in message_text(built)


def test_build_poll_result_unreadable_asks_the_guide():
    built = build_poll_result(closure(["A"], None, ask=("U0GUIDE",)), Language.FR, TZ, "/partage")

    assert_valid_message(built)
    text = message_text(built)
    assert "<@U0GUIDE>, à vous de fixer le thème" in text
    assert "/partage theme" not in text
    assert ":one:" not in text  # no counts when the votes could not be read


def test_build_poll_result_nobody_voted_asks_organisers():
    built = build_poll_result(closure(["A"], [], ask=("U0A", "U0B")), Language.EN, TZ, "/partage")

    text = message_text(built)
    assert ":one: A: 0 votes" in text
    assert "Nobody voted. <@U0A>, <@U0B>, the next session's theme is yours to choose" in text
    assert "/partage theme" not in text


def test_build_poll_result_winner_without_session_says_an_organiser_will_set_it():
    built = build_poll_result(
        closure(["A"], [("U1", "one")], themed=None), Language.FR, TZ, "/partage"
    )

    text = message_text(built)
    assert "un·e organisateur·rice fixera ce thème une fois la prochaine session" in text
    assert "/partage session" not in text and "/partage theme" not in text


def test_votes_label_plural_rules():
    assert [votes_label(Language.FR, n) for n in (0, 1, 2)] == ["0 vote", "1 vote", "2 votes"]
    assert [votes_label(Language.EN, n) for n in (0, 1, 2)] == ["0 votes", "1 vote", "2 votes"]
