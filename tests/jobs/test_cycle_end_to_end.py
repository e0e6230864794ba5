"""The cycle through the real wiring: `/partage session` on the running bot plans, the
dispatcher built by `bootstrap` sends as the ManualClock moves from J-14 to the session."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.bootstrap import build_dispatcher
from bot.db.models import Meeting
from bot.enums import ContributionStatus
from tests.support.cycle import add_contribution, add_guide
from tests.support.slack_client import message_text

J14 = datetime(2026, 12, 31, 9, 0, tzinfo=UTC)
J7 = datetime(2027, 1, 7, 9, 0, tzinfo=UTC)
J1 = datetime(2027, 1, 13, 9, 0, tzinfo=UTC)
RUN_OF_SHOW = datetime(2027, 1, 14, 12, 45, tzinfo=UTC)


def test_cycle_from_session_command_to_run_of_show(slack, fake_slack, clock, db, bot_server):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    slack.command("theme Les communs numériques", user="U0ORGA")
    with db() as session:
        meeting_id = session.scalars(select(Meeting.id)).one()
    add_contribution(db, meeting_id, "U0ANNA", now=clock.now(), title="Un commun", order=1)
    add_contribution(
        db,
        meeting_id,
        "U0BOB",
        now=clock.now(),
        title="Une démo",
        order=2,
        status=ContributionStatus.READY,
    )
    dispatcher = build_dispatcher(bot_server.runtime)
    fake_slack.reset()
    sent: dict[str, list[str]] = {}
    for moment in (J14, J7, J1, RUN_OF_SHOW):
        clock.set(moment)
        if moment == J7:
            add_guide(db, meeting_id, "U0GUIDE", moment)
        dispatcher.dispatch_due(clock.now())
        sent[moment.isoformat()] = [p["channel"] for p in fake_slack.posts()]
        fake_slack.reset()

    assert sent == {
        J14.isoformat(): ["C0GROUP"],
        J7.isoformat(): ["C0GROUP", "U0ANNA", "U0BOB", "U0GUIDE"],
        # U0BOB is ready; the organiser is alerted that the place is still missing.
        J1.isoformat(): ["U0ANNA", "U0GUIDE", "U0ORGA"],
        # The run-of-show; nobody answered the tour de table: no digest for the guide.
        RUN_OF_SHOW.isoformat(): ["C0GROUP"],
    }


def test_cycle_announcement_names_theme_in_the_group_language(
    slack, fake_slack, clock, db, bot_server
):
    slack.command("session 2027-01-14 14:00", user="U0ORGA")
    slack.command("theme Les communs numériques", user="U0ORGA")
    dispatcher = build_dispatcher(bot_server.runtime)
    fake_slack.reset()
    clock.set(J7)

    dispatcher.dispatch_due(clock.now())

    announcement = message_text(fake_slack.posts()[-1])
    assert "Prochaine session\u202f: jeudi 14 janvier 2027 à 14\u00a0h" in announcement
    assert "thème *Les communs numériques*" in announcement
