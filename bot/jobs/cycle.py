"""Senders for the session cycle, from the J-14 guide call to the run-of-show.

Each one reloads the session as it is now (`bot.domain.cycle`), applies the "follows
changes" rules there, and builds the messages with the pure builders. They send nothing
themselves: the dispatcher records each recipient before calling Slack.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.db.models import Delivery
from bot.domain import cycle
from bot.domain.groups import group_language, group_timezone
from bot.enums import DeliveryKind
from bot.jobs.dispatcher import Cancel, Outgoing, SendContext, Sender
from bot.jobs.rotation import suggested_names
from bot.slack.blocks.cycle import (
    Audience,
    build_announcement,
    build_contributor_reminder,
    build_guide_call,
    build_guide_overview,
    build_participant_reminder,
    build_run_of_show,
)
from bot.slack.blocks.place import build_place_alert

Plan = Cancel | Sequence[Outgoing]
Build = Callable[[cycle.CycleState, Audience], Plan]


def _audience(state: cycle.CycleState, context: SendContext) -> Audience:
    return Audience(
        lang=group_language(state.group, context.default_language),
        tz=group_timezone(state.group, context.default_timezone),
        command=context.command,
        channel_id=state.group.channel_id,
    )


def _meeting_sender(build: Build) -> Sender:
    """Wrap a builder with the checks every session item shares (session still
    scheduled, not moved since planning)."""

    def send(session: Session, delivery: Delivery, context: SendContext) -> Plan:
        state = cycle.load_cycle_state(session, delivery=delivery)
        if isinstance(state, cycle.NotToSend):
            return Cancel(state.reason)
        return build(state, _audience(state, context))

    return send


def _guide_call(session: Session, delivery: Delivery, context: SendContext) -> Plan:
    state = cycle.load_cycle_state(session, delivery=delivery)
    if isinstance(state, cycle.NotToSend):
        return Cancel(state.reason)
    moot = cycle.guide_call_moot(state.programme)
    if moot is not None:
        return Cancel(moot.reason)
    audience = _audience(state, context)
    # A sender runs in the dispatcher's transaction: the names come from the process's
    # cache, and a miss (once per member a day, three at most) is one bounded users.info.
    suggestion = suggested_names(
        session, group_id=state.group.id, now=context.now, names=context.names
    )
    message = build_guide_call(state.programme, audience, suggestion)
    return [Outgoing(audience.channel_id, message)]


def _announcement(state: cycle.CycleState, audience: Audience) -> Plan:
    return [Outgoing(audience.channel_id, build_announcement(state.programme, audience))]


def _reminders(*, last: bool) -> Build:
    def build(state: cycle.CycleState, audience: Audience) -> Plan:
        programme = state.programme
        targets = (
            cycle.contributors_not_ready(programme)
            if last
            else cycle.contributors_to_remind(programme)
        )
        return [
            Outgoing(
                c.author_user_id,
                build_contributor_reminder(
                    programme,
                    c,
                    cycle.co_contributors(programme, c.author_user_id),
                    audience,
                    last=last,
                ),
            )
            for c in targets
        ]

    return build


def _is_tomorrow(state: cycle.CycleState, audience: Audience, now: datetime) -> bool:
    """Whether the session is the day after `now` in the group's zone (on working days
    a Monday session's last overview goes out on the Friday: that is not "demain")."""
    zone = ZoneInfo(audience.tz)
    return (state.meeting.starts_at.astimezone(zone).date() - now.astimezone(zone).date()).days == 1


def _overview(*, last: bool) -> Sender:
    def send(session: Session, delivery: Delivery, context: SendContext) -> Plan:
        state = cycle.load_cycle_state(session, delivery=delivery)
        if isinstance(state, cycle.NotToSend):
            return Cancel(state.reason)
        missing = cycle.guide_missing(state.programme)
        if missing is not None:
            return Cancel(missing.reason)
        guide = state.programme.guide_user_id
        assert guide is not None
        audience = _audience(state, context)
        message = build_guide_overview(
            state.programme,
            audience,
            lead_minutes=state.group.run_of_show_lead_minutes,
            last=last,
            needs=state.needs,
            tour_answers=state.tour_answers,
            changes=state.changes,
            tomorrow=last and _is_tomorrow(state, audience, context.now),
        )
        return [Outgoing(guide, message)]

    return send


def _last_overview(session: Session, delivery: Delivery, context: SendContext) -> Plan:
    """The guide's J-1 overview and, while the session has no place, an alert with the
    "Indiquer le lieu" button to each organiser: sent even without a guide, since an
    organiser can still set the place."""
    overview = _overview(last=True)(session, delivery, context)
    state = cycle.load_cycle_state(session, delivery=delivery)
    if isinstance(state, cycle.NotToSend):
        return Cancel(state.reason)
    audience = _audience(state, context)
    outgoing = [] if isinstance(overview, Cancel) else list(overview)
    alerted = cycle.place_missing_for(session, state)
    if alerted:
        alert = build_place_alert(state.programme, audience.lang, audience.tz, audience.channel_id)
        outgoing += [Outgoing(user_id, alert) for user_id in alerted]
    if not outgoing:
        assert isinstance(overview, Cancel)
        return overview
    return outgoing


def _run_of_show(state: cycle.CycleState, audience: Audience) -> Plan:
    return [Outgoing(audience.channel_id, build_run_of_show(state.programme, audience))]


def _participant_reminder(session: Session, delivery: Delivery, context: SendContext) -> Plan:
    """One DM per member who still says they will come, read at send time."""
    state = cycle.load_cycle_state(session, delivery=delivery)
    if isinstance(state, cycle.NotToSend):
        return Cancel(state.reason)
    audience = _audience(state, context)
    message = build_participant_reminder(state.programme, audience)
    return [
        Outgoing(user_id, message)
        for user_id in cycle.participants_to_remind(session, meeting_id=state.meeting.id)
    ]


SENDERS: dict[DeliveryKind, Sender] = {
    DeliveryKind.GUIDE_CALL: _guide_call,
    DeliveryKind.ANNOUNCEMENT: _meeting_sender(_announcement),
    DeliveryKind.CONTRIBUTOR_REMINDER: _meeting_sender(_reminders(last=False)),
    DeliveryKind.GUIDE_OVERVIEW: _overview(last=False),
    DeliveryKind.LAST_REMINDER: _meeting_sender(_reminders(last=True)),
    DeliveryKind.GUIDE_LAST_OVERVIEW: _last_overview,
    DeliveryKind.RUN_OF_SHOW: _meeting_sender(_run_of_show),
    DeliveryKind.PARTICIPANT_REMINDER: _participant_reminder,
}
