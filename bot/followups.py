"""Everything that follows a change, in one table: `FOLLOW_UPS`.

A domain operation records what happened (`bot.domain.events.emit`); listeners and jobs
call that one operation and render its result. When the unit of work commits, the bus
installed on the session factory (`FollowUps.install`) takes the events and runs, for
each, the follow-ups its type maps to here:

- in the same transaction, just before it commits: the refresh of the living messages
  (`bot.domain.changes`, one coalesced REFRESH delivery), the notices for the session's
  thread and the DMs (queued on that delivery's outbox), the calendar's SEQUENCE and the
  newer `.ics` for those who took it, and the re-planning of the session's deliveries.
  Committed with the change or not at all: a refused command leaves nothing behind, a
  crash after the commit loses nothing.
- after the commit: the App Homes of the members a change concerns, republished through
  the port given at wiring (`HomePublisher`), since a Home is a read of committed state.

Nothing else in the code base plans a refresh, queues a change's notice, raises a
calendar's SEQUENCE or republishes a Home after a change: `tests/test_followups.py` fails
when an event type has no entry here and when any entry is removed, and the import
contracts keep listeners and jobs away from this module and from what it calls.

This is the message bus of *Architecture Patterns with Python* (chapters 8-9), with one
difference on purpose: the writing follow-ups run inside the transaction rather than
after it, because the outbox is how this bot delivers exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import make_session_factory
from bot.db.models import Contribution, Group, Meeting, Poll
from bot.domain import calendar_changes, changes
from bot.domain import events as ev
from bot.domain.contributions import budget_used
from bot.domain.groups import group_language, group_timezone, organiser_ids
from bot.domain.meetings import guide_of, upcoming_meeting
from bot.domain.organising import concerned_members
from bot.domain.planning import plan_meeting
from bot.domain.recap import announcement_thread
from bot.domain.roles import people_of
from bot.enums import Language
from bot.i18n import format_when, t
from bot.slack.blocks.common import Message, text_message
from bot.slack.blocks.contribution import build_contribution_notice, build_guide_budget_alert
from bot.slack.blocks.programme import place_value
from bot.slack.blocks.roles import build_withdraw_notice

logger = logging.getLogger(__name__)

EVENTS_FOLLOWED = "partage.followed"
HOMES_KEY = "partage.homes"
# A bound on follow-ups that emit further events (none does today): a loop is a bug.
MAX_ROUNDS = 10


@dataclass(frozen=True)
class Defaults:
    """The deployment's defaults, for groups that have not set their own."""

    language: Language = Language.FR
    timezone: str = "Europe/Paris"
    command: str = "/partage"


# (group id, team id, members): republish these members' App Homes, and those of anyone
# whose Home shows the group. Called after the commit, off the request's thread.
HomePublisher = Callable[[int, str | None, list[str]], None]


@dataclass
class Context:
    """What a follow-up reads: the transaction of the change, and how to write for the
    group. Collects the Homes to republish once the transaction has committed."""

    session: Session
    defaults: Defaults
    homes: dict[tuple[int, str], list[str]] = field(default_factory=dict)

    def group(self, group_id: int) -> Group:
        group = self.session.get(Group, group_id)
        assert group is not None, f"group {group_id} is gone"
        return group

    def lang(self, group_id: int) -> Language:
        return group_language(self.session.get(Group, group_id), self.defaults.language)

    def tz(self, group_id: int) -> str:
        return group_timezone(self.session.get(Group, group_id), self.defaults.timezone)

    def meeting(self, e: ev.SessionEvent) -> Meeting:
        meeting = self.session.get(Meeting, e.meeting_id)
        assert meeting is not None, f"session {e.meeting_id} is gone"
        return meeting

    def when(self, e: ev.SessionEvent) -> str:
        return format_when(self.meeting(e).starts_at, self.tz(e.group_id), self.lang(e.group_id))

    def republish(self, group_id: int, users: list[str]) -> None:
        group = self.session.get(Group, group_id)
        team = group.team_id if group is not None else ""
        known = self.homes.setdefault((group_id, team), [])
        known.extend(u for u in users if u and u not in known)


FollowUp = Callable[[Context, Any], None]


# --- living messages --------------------------------------------------------------------


def refresh_session(ctx: Context, e: ev.SessionEvent) -> None:
    """The session's living messages (guide call, announcement, readiness DMs, the role
    call) are rebuilt by one coalesced REFRESH delivery, once any of them is out."""
    meeting = ctx.meeting(e)
    if changes.shown(ctx.session, meeting):
        changes.session_changed(ctx.session, meeting, e.at)


def refresh_poll(ctx: Context, e: ev.PollEvent) -> None:
    poll = ctx.session.get(Poll, e.poll_id)
    if poll is not None:
        changes.poll_changed(ctx.session, poll, e.at)


def refresh_tour_dm(ctx: Context, e: ev.TourAnswered) -> None:
    """The member's tour de table invitation follows their answer: "Modifier" and
    "Supprimer mes réponses" once they answered, "Répondre" again once they deleted.
    Only their DM is rewritten, and only if it was sent."""
    meeting = ctx.meeting(e)
    if changes.member_dm_posted(ctx.session, meeting, e.user_id):
        changes.member_dm_changed(ctx.session, meeting, e.user_id, e.at)


def refresh_erased(ctx: Context, e: ev.MemberErased) -> None:
    for meeting_id in e.meeting_ids:
        meeting = ctx.session.get(Meeting, meeting_id)
        if meeting is not None and changes.shown(ctx.session, meeting):
            changes.session_changed(ctx.session, meeting, e.at)


# --- the session's thread and DMs -------------------------------------------------------


def _notice(ctx: Context, e: ev.SessionEvent, notice: Message) -> None:
    _notice_for(ctx, e.group_id, e.meeting_id, e.at, notice)


def _notice_for(
    ctx: Context, group_id: int, meeting_id: int, at: datetime, notice: Message
) -> None:
    """A reply for the session's thread, once its announcement (the thread) is out.
    Before that the channel hears nothing: the announcement, when it comes, is written
    from the state then, and whoever acted had their answer."""
    if announcement_thread(ctx.session, meeting_id=meeting_id) is None:
        return
    changes.changed(
        ctx.session,
        changes.Change(changes.Subject.SESSION, meeting_id, group_id),
        at,
        notice=dict(notice),
    )


def notice_guide(ctx: Context, e: ev.RoleTaken) -> None:
    lang, when = ctx.lang(e.group_id), ctx.when(e)
    if e.actor == e.user_id:
        text = t(lang, "guide.notice", user=e.user_id, when=when)
    else:
        text = t(lang, "assign.guide.notice", actor=e.actor, user=e.user_id, when=when)
    _notice(ctx, e, text_message(text))


def notice_released(ctx: Context, e: ev.RoleReleased) -> None:
    notice = build_withdraw_notice(
        ctx.lang(e.group_id),
        when=ctx.when(e),
        user_id=e.user_id,
        meeting_id=e.meeting_id,
        released_guide=e.released_guide,
        contribution_title=e.contribution_title,
    )
    if notice is not None:
        _notice(ctx, e, notice)


def notice_contribution(ctx: Context, e: ev.ContributionSaved) -> None:
    contribution = ctx.session.get(Contribution, e.contribution_id)
    if contribution is None or e.actor != e.user_id:
        return  # an organiser's reassignment: the board confirms it to them
    notice = build_contribution_notice(
        ctx.lang(e.group_id),
        when=ctx.when(e),
        user_id=e.user_id,
        contribution=contribution,
        created=e.created,
    )
    _notice(ctx, e, notice)


def budget_alert(ctx: Context, e: ev.ContributionSaved) -> None:
    """The guide hears, at most once a day, that a submission took the programme over
    the group's presentation budget (the submitter reads it in their confirmation)."""
    contribution = ctx.session.get(Contribution, e.contribution_id)
    if contribution is None or e.actor != e.user_id:
        return  # a contribution handed to another member changes no duration
    meeting, group = ctx.meeting(e), ctx.group(e.group_id)
    used, budget = budget_used(ctx.session, meeting_id=meeting.id), group.presentation_minutes
    guide = guide_of(ctx.session, meeting_id=meeting.id)
    if used <= budget or guide is None or guide == e.user_id:
        return
    alert = build_guide_budget_alert(
        ctx.lang(e.group_id),
        when=ctx.when(e),
        channel_id=group.channel_id,
        user_id=e.user_id,
        contribution=contribution,
        budget_used=used,
        budget=budget,
    )
    changes.alert_at_most_daily(
        ctx.session, meeting=meeting, user_id=guide, notice=dict(alert), now=e.at
    )


def notice_place(ctx: Context, e: ev.PlaceSet) -> None:
    lang = ctx.lang(e.group_id)
    place = place_value(e.place, lang)
    _notice(ctx, e, text_message(t(lang, "place.notice", user=e.actor, place=place)))


def notice_theme(ctx: Context, e: ev.ThemeSet) -> None:
    if e.actor is None:
        return  # the poll's winner: the poll's result said it
    lang = ctx.lang(e.group_id)
    _notice(ctx, e, text_message(t(lang, "theme.notice", user=e.actor, theme=e.theme)))


def _previous_when(ctx: Context, e: ev.SessionMoved) -> str:
    return format_when(e.previous_starts_at, ctx.tz(e.group_id), ctx.lang(e.group_id))


def notice_moved(ctx: Context, e: ev.SessionMoved) -> None:
    lang, previous = ctx.lang(e.group_id), _previous_when(ctx, e)
    text = t(lang, "living.moved.notice", user=e.actor, when=ctx.when(e), previous=previous)
    _notice(ctx, e, text_message(text))


def dm_moved(ctx: Context, e: ev.SessionMoved) -> None:
    """Those who count on the session hear of the move directly, with both dates."""
    lang, group = ctx.lang(e.group_id), ctx.group(e.group_id)
    dm = text_message(
        t(
            lang,
            "living.moved.dm",
            channel=group.channel_id,
            when=ctx.when(e),
            previous=_previous_when(ctx, e),
            cmd=ctx.defaults.command,
        )
    )
    meeting = ctx.meeting(e)
    for user_id in people_of(ctx.session, meeting_id=e.meeting_id):
        if user_id != e.actor:
            changes.queue_direct_message(
                ctx.session, meeting=meeting, user_id=user_id, notice=dm, now=e.at
            )


def notice_cancelled(ctx: Context, e: ev.SessionCancelled) -> None:
    lang = ctx.lang(e.group_id)
    _notice(ctx, e, text_message(t(lang, "cancel.notice", actor=e.actor, when=ctx.when(e))))


def notice_proposal(ctx: Context, e: ev.ProposalAdded) -> None:
    """Listed in the next session's thread, when there is one."""
    meeting = upcoming_meeting(ctx.session, group_id=e.group_id)
    if meeting is None:
        return
    lang = ctx.lang(e.group_id)
    text = t(lang, "proposal.notice", user=e.user_id, text=e.text, cmd=ctx.defaults.command)
    _notice_for(ctx, e.group_id, meeting.id, e.at, text_message(text))


# --- calendars and plans ----------------------------------------------------------------


def calendar_sequence(ctx: Context, e: ev.SessionEvent) -> None:
    """A detail changed: calendars that read the feed or the next invite get a newer
    SEQUENCE, without a DM to everyone who took the invite."""
    calendar_changes.sequence_raised(ctx.session, meeting=ctx.meeting(e), now=e.at, notify=False)


def calendar_notify(ctx: Context, e: ev.SessionEvent) -> None:
    """A move or a cancellation: everyone who took the invite gets the newer `.ics`."""
    calendar_changes.sequence_raised(ctx.session, meeting=ctx.meeting(e), now=e.at, notify=True)


def replan(ctx: Context, e: ev.Event) -> None:
    """The group's upcoming session's deliveries follow its date and the settings."""
    meeting = upcoming_meeting(ctx.session, group_id=e.group_id)
    if meeting is None:
        return
    group = ctx.group(e.group_id)
    plan_meeting(ctx.session, group=group, meeting=meeting, now=e.at, timezone=ctx.tz(group.id))


# --- App Homes --------------------------------------------------------------------------


def _actors(e: ev.Event) -> list[str]:
    found = [getattr(e, name, None) for name in ("actor", "user_id", "previous")]
    return [str(u) for u in found if u]


def homes_of_session(ctx: Context, e: ev.SessionEvent) -> None:
    """Whoever holds a role or a contribution in the session, its organisers and who
    acted; `HomePublisher` adds anyone whose Home shows the group."""
    users = [
        *_actors(e),
        *concerned_members(ctx.session, meeting_id=e.meeting_id),
        *organiser_ids(ctx.session, group_id=e.group_id),
    ]
    ctx.republish(e.group_id, users)


def homes_of_group(ctx: Context, e: ev.Event) -> None:
    """A change to the group (a poll, its organisers, its settings): the upcoming
    session's people, the organisers and who acted."""
    meeting = upcoming_meeting(ctx.session, group_id=e.group_id)
    users = [*_actors(e), *organiser_ids(ctx.session, group_id=e.group_id)]
    if meeting is not None:
        users += concerned_members(ctx.session, meeting_id=meeting.id)
    ctx.republish(e.group_id, users)


def home_of_member(ctx: Context, e: ev.Event) -> None:
    ctx.republish(e.group_id, _actors(e))


# --- the table ----------------------------------------------------------------------------

E = ev
FOLLOW_UPS: dict[type[ev.Event], tuple[FollowUp, ...]] = {
    E.SessionScheduled: (replan, homes_of_group),
    E.SessionMoved: (
        calendar_notify,
        replan,
        refresh_session,
        notice_moved,
        dm_moved,
        homes_of_session,
    ),
    E.SessionCancelled: (calendar_notify, notice_cancelled, homes_of_session),
    E.SessionStarted: (refresh_session,),
    E.SessionHeld: (refresh_session, homes_of_session),
    E.RoleTaken: (refresh_session, notice_guide, homes_of_session),
    E.RoleReleased: (refresh_session, notice_released, homes_of_session),
    E.ContributionSaved: (refresh_session, notice_contribution, budget_alert, homes_of_session),
    E.ContributionWithdrawn: (refresh_session, homes_of_session),
    E.ContributionReady: (refresh_session, homes_of_session),
    E.ContributionsReordered: (refresh_session, homes_of_session),
    E.RsvpChanged: (refresh_session, homes_of_session),
    E.PlaceSet: (calendar_sequence, refresh_session, notice_place, homes_of_session),
    E.ThemeSet: (calendar_sequence, refresh_session, notice_theme, homes_of_session),
    E.PollOpened: (homes_of_group,),
    E.PollClosed: (refresh_poll, homes_of_group),
    E.PollCancelled: (homes_of_group,),
    E.PollVoted: (refresh_poll,),
    E.ProposalAdded: (notice_proposal,),
    E.TourAnswered: (refresh_tour_dm, home_of_member),
    E.TourOptedOut: (home_of_member,),
    E.OrganisersChanged: (homes_of_group,),
    E.MemberErased: (refresh_erased, home_of_member),
    # The settings' own operation re-plans (its caller shows the plan).
    E.SettingsChanged: (homes_of_group,),
    E.StaleClick: (refresh_session, home_of_member),
}


# --- the bus ------------------------------------------------------------------------------


class FollowUps:
    """Applies `table` to the events of every unit of work of the factories it is
    installed on."""

    def __init__(
        self,
        defaults: Defaults,
        homes: HomePublisher | None = None,
        table: dict[type[ev.Event], tuple[FollowUp, ...]] | None = None,
    ) -> None:
        self.defaults = defaults
        self.homes = homes
        self.table = FOLLOW_UPS if table is None else table

    def install(self, factory: sessionmaker[Session]) -> sessionmaker[Session]:
        event.listen(factory, "before_commit", self._before_commit)
        event.listen(factory, "after_commit", self._after_commit)
        event.listen(factory, "after_rollback", self._after_rollback)
        return factory

    def follow(self, session: Session) -> dict[tuple[int, str], list[str]]:
        """Run the follow-ups of the events recorded so far, in this transaction; the
        Homes to republish are returned (and kept for `_after_commit`)."""
        ctx = Context(session, self.defaults, session.info.setdefault(HOMES_KEY, {}))
        for _ in range(MAX_ROUNDS):
            events = ev.take_events(session)
            if not events:
                break
            for e in events:
                for follow_up in self.table[type(e)]:
                    follow_up(ctx, e)
                session.info.setdefault(EVENTS_FOLLOWED, []).append(e)
        else:
            raise RuntimeError("follow-ups keep emitting events")
        return ctx.homes

    def _before_commit(self, session: Session) -> None:
        if session.in_nested_transaction():
            return  # the outer transaction follows them all when it commits
        self.follow(session)

    def _after_commit(self, session: Session) -> None:
        if session.in_nested_transaction():
            return
        session.info.pop(EVENTS_FOLLOWED, None)
        homes: dict[tuple[int, str], list[str]] = session.info.pop(HOMES_KEY, {})
        if self.homes is None:
            return
        for (group_id, team), users in homes.items():
            try:
                self.homes(group_id, team or None, users)
            except Exception:  # the change is committed: a Home left stale is not worth more
                logger.exception("could not republish the App Homes of group %s", group_id)

    def _after_rollback(self, session: Session) -> None:
        for key in (ev.EVENTS_KEY, HOMES_KEY, EVENTS_FOLLOWED):
            session.info.pop(key, None)


def session_factory(
    engine: Engine, defaults: Defaults | None = None, homes: HomePublisher | None = None
) -> sessionmaker[Session]:
    """The unit of work every part of the bot uses: a session factory whose commits
    follow their events."""
    return FollowUps(defaults or Defaults(), homes).install(make_session_factory(engine))
