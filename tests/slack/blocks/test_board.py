"""The roles modal and the App Home builders: valid for slack_sdk, under 100 blocks with
40 contributions, member text escaped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.board import Board, BoardContribution, HomeGroup
from bot.domain.organising import Change
from bot.enums import AuditAction, ContributionKind, Language
from bot.slack.blocks.board import PAGE_SIZE, build_home, build_roles_modal
from tests.support.blocks import assert_valid_view

STARTS = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)


def board(count: int, *, organiser: bool, title: str = "Sujet", meeting_id: int = 7) -> Board:
    return Board(
        group_id=meeting_id,
        channel_id=f"C0G{meeting_id}",
        language=None,
        timezone=None,
        meeting_id=meeting_id,
        starts_at=STARTS,
        theme="Les communs",
        guide="U0GUIDE",
        viewer="U0VIEW",
        participant=True,
        participant_count=12,
        contributions=tuple(
            BoardContribution(
                id=i + 1,
                kind=ContributionKind.DEMO,
                author="U0VIEW" if i == 0 else f"U0A{i:03d}",
                title=f"{title} {i}",
                duration_minutes=5,
                ready=i % 2 == 0,
                guest_name=None,
                link=None,
            )
            for i in range(count)
        ),
        organiser=organiser,
        organisers=("U0ORGA",),
        changes=tuple(
            Change("U0ORGA", AuditAction.REORDER, None, "A > B", STARTS - timedelta(hours=i))
            for i in range(20 if organiser else 0)
        ),
    )


@pytest.mark.parametrize("lang", list(Language))
@pytest.mark.parametrize("organiser", [False, True])
def test_roles_modal_every_page_of_forty_contributions_is_valid_and_small(lang, organiser):
    pages = [
        build_roles_modal(board(40, organiser=organiser), lang, "Europe/Paris", page=p)
        for p in range(40 // PAGE_SIZE)
    ]

    for view in pages:
        assert_valid_view(view)
        assert len(view["blocks"]) < 100
    assert [v["private_metadata"] for v in pages] == ["7:0", "7:1", "7:2", "7:3"]


def test_roles_modal_page_beyond_the_last_shows_the_last():
    view = build_roles_modal(board(12, organiser=False), Language.FR, "Europe/Paris", page=99)

    assert view["private_metadata"] == "7:1"


@pytest.mark.parametrize("lang", list(Language))
def test_home_five_organised_groups_of_forty_contributions_stay_under_100_blocks(lang):
    groups = [
        HomeGroup(i, f"C0G{i}", None, None, True, board(40, organiser=True, meeting_id=i))
        for i in range(1, 6)
    ]

    view = build_home(groups, lang, "Europe/Paris")

    assert_valid_view(view)
    assert len(view["blocks"]) <= 100


def test_home_too_many_groups_are_counted_not_cut_in_the_middle():
    groups = [
        HomeGroup(i, f"C0G{i}", None, None, True, board(40, organiser=True, meeting_id=i))
        for i in range(1, 12)
    ]

    view = build_home(groups, Language.FR, "Europe/Paris")

    assert_valid_view(view)
    assert view["blocks"][-1]["type"] == "context"
    assert "autre(s) groupe(s)" in view["blocks"][-1]["elements"][0]["text"]


def test_roles_modal_escapes_member_text():
    view = build_roles_modal(
        board(2, organiser=True, title="<!channel> & co"), Language.FR, "Europe/Paris"
    )

    texts = " ".join(str(b.get("text", "")) for b in view["blocks"])
    assert "<!channel>" not in texts
    assert "&lt;!channel&gt; &amp; co" in texts
