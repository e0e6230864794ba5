"""A group's month, played as its members would, through the running bot: commands,
buttons, modals, the App Home and reactions as signed requests, and the clock moving from
the session's scheduling to its poll's result, with the dispatcher built by `bootstrap`
sending what falls due. Every message and view the bot wrote is returned, in order, for
tests that read the month as a member does (typography, pings, what each reader sees).

The members' own words (theme, titles, answers) avoid apostrophes and punctuation, so
that whatever a check finds in the texts was written by the bot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.bootstrap import build_dispatcher
from bot.enums import Language
from bot.slack.ids import ActionId, ConfigBlockId
from tests.support.board import click as click_in_view
from tests.support.board import open_roles
from tests.support.clock import ManualClock
from tests.support.contributions import contribute
from tests.support.fake_slack import BOT_USER_ID, FakeSlack
from tests.support.living import refresh
from tests.support.server import BotServer
from tests.support.slack_client import HttpReply, SlackSender
from tests.support.tour import answer, channel_members, meeting_id
from tests.support.views import submitted_state, view_submission

ORGANISER = "U0ORGA"
GUIDE = "U0GUIDE"
CONTRIBUTOR = "U0ANNA"
HOST = "U0BOB"  # contributes by hosting a guest
PARTICIPANTS = ("U0CHLOE", "U0DAN")
MEMBERS = (ORGANISER, GUIDE, CONTRIBUTOR, HOST, *PARTICIPANTS)
NAMES = {
    ORGANISER: "Olga",
    GUIDE: "Gaël",
    CONTRIBUTOR: "Anna",
    HOST: "Bob",
    "U0CHLOE": "Chloé",
    "U0DAN": "Dan",
}

# Thursday 14 January 2027, 14 h in Paris; the group's messages go out at 10 h.
J14 = datetime(2026, 12, 31, 9, 0, tzinfo=UTC)
J7 = datetime(2027, 1, 7, 9, 0, tzinfo=UTC)
TOUR = datetime(2027, 1, 12, 9, 0, tzinfo=UTC)
J1 = datetime(2027, 1, 13, 9, 0, tzinfo=UTC)
RUN_OF_SHOW = datetime(2027, 1, 14, 12, 45, tzinfo=UTC)
SESSION_END = datetime(2027, 1, 14, 14, 30, tzinfo=UTC)
# 72 h would close the poll on a Sunday: on working days it closes on Monday.
POLL_CLOSED = SESSION_END + timedelta(hours=96, minutes=2)

# What the bot writes with: the Web API methods whose arguments a member reads.
SHOWN_METHODS = (
    "chat.postMessage",
    "chat.postEphemeral",
    "chat.update",
    "views.open",
    "views.update",
    "views.push",
    "views.publish",
    "files.completeUploadExternal",
)


@dataclass(frozen=True)
class Shown:
    """One thing the bot showed: how (a Web API method, `response_url`, or the reply to a
    request), and its arguments or body."""

    how: str
    args: dict[str, Any]


class Month:
    def __init__(
        self,
        slack: SlackSender,
        fake_slack: FakeSlack,
        clock: ManualClock,
        bot_server: BotServer,
        language: Language = Language.FR,
    ) -> None:
        self.slack = slack
        self.fake_slack = fake_slack
        self.clock = clock
        self.bot_server = bot_server
        self.dispatcher = build_dispatcher(bot_server.runtime)
        self.language = language
        self.replies: list[Shown] = []
        # Where the month starts being read: for a group set to English, once it is.
        self._since_calls = 0
        self._since_responses = 0

    # --- what members do -------------------------------------------------------------
    def command(self, text: str, user: str) -> HttpReply:
        reply = self.slack.command(text, user=user)
        assert reply.status == 200, reply.body
        self._keep(reply)
        return reply

    def click(self, action_id: str, value: str, user: str, **kwargs: Any) -> HttpReply:
        reply = self.slack.block_action(action_id, value, user=user, **kwargs)
        assert reply.status == 200, reply.body
        self._keep(reply)
        return reply

    def open_home(self, user: str) -> None:
        reply = self.slack.event(
            {"type": "app_home_opened", "user": user, "channel": "D0", "tab": "home"}
        )
        assert reply.status == 200, reply.body

    def at(self, moment: datetime) -> None:
        """The clock reaches `moment`; what is due is sent, and the refreshes the changes
        planned too."""
        self.clock.set(moment)
        self.dispatcher.dispatch_due(self.clock.now())
        self.settle()

    def settle(self) -> None:
        """Let the living messages follow the changes made so far."""
        refresh(self.bot_server, self.clock)

    def _keep(self, reply: HttpReply) -> None:
        if reply.body.strip().startswith("{"):
            self.replies.append(Shown("reply", reply.json()))

    # --- what the bot showed ---------------------------------------------------------
    def shown(self) -> list[Shown]:
        calls = [
            Shown(call.method, call.args)
            for call in self.fake_slack.calls()[self._since_calls :]
            if call.method in SHOWN_METHODS
        ]
        responses = [
            Shown("response_url", args)
            for args in self.fake_slack.response_posts()[self._since_responses :]
        ]
        return calls + responses + self.replies

    # --- the month -------------------------------------------------------------------
    def play(self) -> list[Shown]:
        fake = self.fake_slack
        channel_members(fake, *MEMBERS)
        fake.names.update(NAMES)
        fake.set_clock(lambda: self.clock.now().timestamp())

        self._plan()
        self._take_roles()
        self._prepare()
        self._hold()
        self._look_back()
        return self.shown()

    def _plan(self) -> None:
        """Late November: the organiser plans the session and sets the group up; members
        look around."""
        self.command("session jeudi prochain", ORGANISER)  # not a date the bot reads
        self.command("session 2027-01-14 14:00", ORGANISER)
        self._configure()
        self.command("aide", CONTRIBUTOR)
        self.command("theme Les communs numériques", ORGANISER)
        self.command("proposer Accessibilité numérique", CONTRIBUTOR)
        self.command("proposer Données ouvertes", HOST)
        self.command("proposer Design des services publics", "U0CHLOE")
        self.command("programme", "U0DAN")
        self.command("planning", ORGANISER)
        self.command("progamme", "U0DAN")  # a typo
        self.open_home(CONTRIBUTOR)
        self.open_home(ORGANISER)
        self.settle()

    def _take_roles(self) -> None:
        """J-14: the call for a guide; roles are taken."""
        fake = self.fake_slack
        self.at(J14)
        self.command("guide", GUIDE)
        contribute(self.slack, fake, user=CONTRIBUTOR, title="Un commun numérique", duration="10")
        contribute(
            self.slack,
            fake,
            user=HOST,
            kind="guest",
            title="Les communs au quotidien",
            guest="Ana Lima",
            affiliation="DINUM",
            duration="15",
        )
        contribute(self.slack, fake, user="U0DAN", title="Trop long", duration="12")
        self.command("retirer contribution", "U0DAN")
        roles = open_roles(self.slack, fake, user="U0CHLOE")
        clicked = click_in_view(self.slack, roles, ActionId.BOARD_JOIN, user="U0CHLOE")
        assert clicked.status == 200, clicked.body
        self.click(ActionId.JOIN, str(self._meeting_id()), "U0DAN")  # on the guide call
        self.command("roles", ORGANISER)
        self.command("calendrier", "U0CHLOE")
        self.open_home(CONTRIBUTOR)
        self.open_home(GUIDE)
        self.open_home(ORGANISER)
        self.settle()

    def _prepare(self) -> None:
        """J-7: the announcement and the first reminders; one contribution gets ready,
        the place is set; then the tour de table's invitations and answers."""
        fake = self.fake_slack
        self.at(J7)
        self.command("prête", HOST)
        self.command("lieu Salle 3, 12 rue des Lilas", ORGANISER)
        self.command("programme", "U0CHLOE")
        self.settle()
        self.at(TOUR)
        answer(
            self.slack,
            fake,
            self.bot_server.runtime.deps.db,
            "U0CHLOE",
            feeling="En forme",
            doing="Je migre une application",
            needs="Un regard sur mon accessibilité",
        )
        answer(
            self.slack,
            fake,
            self.bot_server.runtime.deps.db,
            "U0DAN",
            learned="Les index partiels",
            share=False,
        )
        self.settle()

    def _hold(self) -> None:
        """J-1, the run-of-show, the session's end and its poll."""
        self.at(J1)
        self.at(RUN_OF_SHOW)
        self.at(SESSION_END)
        self._vote()

    def _look_back(self) -> None:
        """The poll closes; members look back."""
        self.at(POLL_CLOSED)
        self.command("historique", "U0CHLOE")
        self.command("stats", ORGANISER)
        self.command("mes-donnees", CONTRIBUTOR)
        self.command("programme", CONTRIBUTOR)
        for member in MEMBERS:
            self.open_home(member)
        self.settle()

    def _meeting_id(self) -> int:
        return meeting_id(self.bot_server.runtime.deps.db)

    def _configure(self) -> None:
        """The organiser opens the settings and saves them in the month's language; a
        group set to English is read from then on."""
        before = len(self.fake_slack.calls("views.open"))
        self.command("config", ORGANISER)
        [opened] = self.fake_slack.calls("views.open")[before:]
        view = opened.args["view"]
        state = submitted_state(view, **{ConfigBlockId.LANGUAGE: self.language.value})
        reply = self.slack.interaction(view_submission(view, ORGANISER, state), settle=True)
        assert reply.status == 200, reply.body
        if self.language is not Language.FR:
            self._since_calls = len(self.fake_slack.calls())
            self._since_responses = len(self.fake_slack.response_posts())
            self.replies.clear()
        self._keep(reply)

    def _vote(self) -> None:
        """Members react to the poll, as they would in Slack."""
        timestamps = {c.args["timestamp"] for c in self.fake_slack.calls("reactions.add")}
        [ts] = timestamps
        self.fake_slack.reactions[ts] = [
            {"name": "one", "users": [BOT_USER_ID, "U0CHLOE", "U0DAN"], "count": 3},
            {"name": "two", "users": [BOT_USER_ID, CONTRIBUTOR], "count": 2},
            {"name": "three", "users": [BOT_USER_ID], "count": 1},
        ]
        reply = self.slack.event(
            {
                "type": "reaction_added",
                "user": "U0CHLOE",
                "reaction": "one",
                "item": {"type": "message", "channel": "C0GROUP", "ts": ts},
                "event_ts": f"{self.clock.now().timestamp():.6f}",
            }
        )
        assert reply.status == 200, reply.body
