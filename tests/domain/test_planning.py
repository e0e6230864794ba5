"""Planning a session's deliveries: due times in the group's zone, re-planning, late and
expired items. Every test passes an explicit `now`; nothing waits for a schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.engine import transaction
from bot.db.models import Delivery, Group, Meeting
from bot.domain.planning import (
    MEETING_KINDS,
    dedup_key,
    local_wall_time,
    meeting_deliveries,
    plan_meeting,
    upcoming_deliveries,
)
from bot.enums import DeliveryKind, DeliveryStatus, MeetingStatus
from tests.support.cycle import PARIS, schedule

K = DeliveryKind
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
# Thursday 14 January 2027, 14:00 in Paris (winter: UTC+1).
START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def rows(db: sessionmaker[Session], meeting_id: int) -> list[Delivery]:
    """The session's planned cycle; the refreshes its changes planned are not part of it."""
    with db() as session:
        deliveries = meeting_deliveries(session, meeting_id=meeting_id)
        return [d for d in deliveries if d.kind != DeliveryKind.REFRESH]


def by_kind(deliveries: list[Delivery], status: DeliveryStatus) -> dict[DeliveryKind, Delivery]:
    return {d.kind: d for d in deliveries if d.status == status}


def replan(db: sessionmaker[Session], meeting_id: int, now: datetime) -> list[Delivery]:
    with transaction(db) as session:
        meeting = session.get(Meeting, meeting_id)
        group = session.get(Group, meeting.group_id)
        return plan_meeting(session, group=group, meeting=meeting, now=now, timezone=PARIS)


def test_plan_meeting_defaults_due_at_ten_paris_and_expiry(db):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)

    planned = by_kind(rows(db, meeting_id), DeliveryStatus.PLANNED)

    assert {k: (d.due_at, d.expires_at) for k, d in planned.items()} == {
        K.GUIDE_CALL: (utc(2026, 12, 31, 9, 0), START),
        K.ANNOUNCEMENT: (utc(2027, 1, 7, 9, 0), START),
        K.CONTRIBUTOR_REMINDER: (utc(2027, 1, 7, 9, 0), START),
        K.GUIDE_OVERVIEW: (utc(2027, 1, 7, 9, 0), START),
        K.LAST_REMINDER: (utc(2027, 1, 13, 9, 0), START),
        K.GUIDE_LAST_OVERVIEW: (utc(2027, 1, 13, 9, 0), START),
        K.PARTICIPANT_REMINDER: (utc(2027, 1, 13, 9, 0), START),
        K.TOUR_INVITE: (utc(2027, 1, 12, 9, 0), START),
        K.RUN_OF_SHOW: (utc(2027, 1, 14, 12, 45), utc(2027, 1, 14, 14, 30)),
        K.TOUR_COMPILE: (utc(2027, 1, 14, 12, 45), utc(2027, 1, 14, 14, 30)),
        K.SESSION_START: (START, utc(2027, 1, 14, 14, 30)),
        K.SESSION_END: (utc(2027, 1, 14, 14, 30), utc(2027, 1, 17, 14, 30)),
    }
    assert all(d.available_at == d.due_at for d in planned.values())
    assert planned[K.ANNOUNCEMENT].dedup_key == f"meeting:{meeting_id}:announcement:20270114T1300Z"


def test_plan_meeting_spring_clock_change_keeps_ten_paris(db):
    # Clocks go forward on Sunday 28 March 2027: J-7 is in winter time, J-1 in summer time.
    starts_at = datetime(2027, 4, 1, 14, 0, tzinfo=ZoneInfo(PARIS))
    _, meeting_id = schedule(db, starts_at=starts_at, now=NOW)

    planned = by_kind(rows(db, meeting_id), DeliveryStatus.PLANNED)

    assert planned[K.GUIDE_CALL].due_at == utc(2027, 3, 18, 9, 0)  # 10:00 CET
    assert planned[K.ANNOUNCEMENT].due_at == utc(2027, 3, 25, 9, 0)  # 10:00 CET
    assert planned[K.LAST_REMINDER].due_at == utc(2027, 3, 31, 8, 0)  # 10:00 CEST
    assert planned[K.RUN_OF_SHOW].due_at == utc(2027, 4, 1, 11, 45)  # 13:45 CEST
    for delivery in (planned[K.ANNOUNCEMENT], planned[K.LAST_REMINDER]):
        local = delivery.due_at.astimezone(ZoneInfo(PARIS))
        assert (local.hour, local.minute) == (10, 0)


def test_plan_meeting_autumn_clock_change_keeps_ten_paris(db):
    # Clocks go back on Sunday 31 October 2027: J-7 is in summer time, J-1 in winter time.
    starts_at = datetime(2027, 11, 4, 14, 0, tzinfo=ZoneInfo(PARIS))
    _, meeting_id = schedule(db, starts_at=starts_at, now=NOW)

    planned = by_kind(rows(db, meeting_id), DeliveryStatus.PLANNED)

    assert planned[K.ANNOUNCEMENT].due_at == utc(2027, 10, 28, 8, 0)  # 10:00 CEST
    assert planned[K.CONTRIBUTOR_REMINDER].due_at == utc(2027, 10, 28, 8, 0)
    assert planned[K.LAST_REMINDER].due_at == utc(2027, 11, 3, 9, 0)  # 10:00 CET
    assert planned[K.RUN_OF_SHOW].due_at == utc(2027, 11, 4, 12, 45)  # 13:45 CET


def test_local_wall_time_nonexistent_hour_reads_one_hour_later():
    # 02:00 does not exist in Paris on 28 March 2027; it reads as 03:00 CEST.
    starts_at = datetime(2027, 3, 29, 12, 0, tzinfo=UTC)

    due = local_wall_time(starts_at, days_before=1, hour=2, zone=ZoneInfo(PARIS))

    assert due == utc(2027, 3, 28, 1, 0)
    assert due.astimezone(ZoneInfo(PARIS)).hour == 3


def test_plan_meeting_again_is_idempotent(db):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    before = [(d.id, d.dedup_key, d.due_at, d.status) for d in rows(db, meeting_id)]

    replan(db, meeting_id, NOW + timedelta(hours=1))
    replan(db, meeting_id, NOW + timedelta(hours=2))

    assert [(d.id, d.dedup_key, d.due_at, d.status) for d in rows(db, meeting_id)] == before
    assert len(before) == 12


def test_schedule_meeting_move_cancels_old_date_and_plans_new_one(db):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    with transaction(db) as session:  # the guide call already went out
        session.scalars(
            select(Delivery).where(Delivery.kind == K.GUIDE_CALL)
        ).one().status = DeliveryStatus.DONE
    moved_to = datetime(2027, 1, 21, 13, 0, tzinfo=UTC)

    schedule(db, starts_at=moved_to, now=NOW + timedelta(days=1))

    deliveries = rows(db, meeting_id)
    old = [d for d in deliveries if d.dedup_key.endswith("20270114T1300Z")]
    new = [d for d in deliveries if d.dedup_key.endswith("20270121T1300Z")]
    assert {d.kind: d.status for d in old} == {
        **{k: DeliveryStatus.CANCELLED for k in MEETING_KINDS},
        K.GUIDE_CALL: DeliveryStatus.DONE,
    }
    assert {d.kind for d in new if d.status == DeliveryStatus.PLANNED} == {k for k in MEETING_KINDS}
    assert by_kind(new, DeliveryStatus.PLANNED)[K.ANNOUNCEMENT].due_at == utc(2027, 1, 14, 9, 0)


def test_schedule_meeting_moved_back_revives_cancelled_rows(db):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    schedule(db, starts_at=START + timedelta(days=7), now=NOW)

    schedule(db, starts_at=START, now=NOW)

    deliveries = rows(db, meeting_id)
    current = [d for d in deliveries if d.dedup_key.endswith("20270114T1300Z")]
    assert {d.status for d in current} == {DeliveryStatus.PLANNED}
    assert len(current) == 12
    assert len(deliveries) == 24


def test_plan_meeting_past_due_but_useful_is_planned_for_now(db):
    # Scheduled three days ahead: J-14 and J-7 are past, yet still worth sending.
    now = START - timedelta(days=3)

    _, meeting_id = schedule(db, starts_at=START, now=now)

    planned = by_kind(rows(db, meeting_id), DeliveryStatus.PLANNED)
    assert planned[K.GUIDE_CALL].available_at == now
    assert planned[K.GUIDE_CALL].due_at == utc(2026, 12, 31, 9, 0)
    assert planned[K.ANNOUNCEMENT].available_at == now
    assert planned[K.LAST_REMINDER].available_at == utc(2027, 1, 13, 9, 0)


def test_plan_meeting_close_session_sends_the_last_reminders_only(db):
    # Scheduled at 09:00 Paris for tomorrow: J-7 would go now and J-1 an hour later.
    now = utc(2027, 1, 13, 8, 0)

    _, meeting_id = schedule(db, starts_at=START, now=now)

    planned = by_kind(rows(db, meeting_id), DeliveryStatus.PLANNED)
    assert K.CONTRIBUTOR_REMINDER not in planned
    assert K.GUIDE_OVERVIEW not in planned
    assert planned[K.LAST_REMINDER].available_at == utc(2027, 1, 13, 9, 0)
    assert planned[K.GUIDE_LAST_OVERVIEW].available_at == utc(2027, 1, 13, 9, 0)
    assert planned[K.ANNOUNCEMENT].available_at == now


def test_plan_meeting_replanned_after_downtime_cancels_superseded_reminders(db):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    later = utc(2027, 1, 13, 8, 0)

    replan(db, meeting_id, later)

    with db() as session:
        statuses = {
            d.kind: d.status
            for d in session.scalars(select(Delivery).where(Delivery.meeting_id == meeting_id))
        }
    assert statuses[K.CONTRIBUTOR_REMINDER] == DeliveryStatus.CANCELLED
    assert statuses[K.GUIDE_OVERVIEW] == DeliveryStatus.CANCELLED
    assert statuses[K.LAST_REMINDER] == DeliveryStatus.PLANNED


def test_plan_meeting_past_expiry_is_not_planned(db):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    with transaction(db) as session:
        for delivery in session.scalars(select(Delivery)):
            session.delete(delivery)
    after_start = START + timedelta(minutes=10)

    planned = replan(db, meeting_id, after_start)

    assert [(d.kind, d.available_at) for d in planned] == [
        (K.RUN_OF_SHOW, after_start),
        (K.TOUR_COMPILE, after_start),
        (K.SESSION_START, after_start),
        (K.SESSION_END, utc(2027, 1, 14, 14, 30)),
    ]


def test_plan_meeting_disabled_kind_cancelled_then_revived(db):
    group_id, meeting_id = schedule(db, starts_at=START, now=NOW)
    with transaction(db) as session:
        session.get(Group, group_id).guide_call_enabled = False

    replan(db, meeting_id, NOW)
    off = {d.kind: d.status for d in rows(db, meeting_id)}
    with transaction(db) as session:
        session.get(Group, group_id).guide_call_enabled = True
    replan(db, meeting_id, NOW)
    on = {d.kind: d.status for d in rows(db, meeting_id)}

    assert off[K.GUIDE_CALL] == DeliveryStatus.CANCELLED
    assert off[K.ANNOUNCEMENT] == DeliveryStatus.PLANNED
    assert on[K.GUIDE_CALL] == DeliveryStatus.PLANNED


def test_plan_meeting_settings_change_moves_pending_rows_only(db):
    group_id, meeting_id = schedule(db, starts_at=START, now=NOW)
    with transaction(db) as session:
        session.scalars(
            select(Delivery).where(Delivery.kind == K.GUIDE_CALL)
        ).one().status = DeliveryStatus.DONE
        group = session.get(Group, group_id)
        group.reminder_hour = 9
        group.announcement_days = 5

    replan(db, meeting_id, NOW)

    deliveries = {d.kind: d for d in rows(db, meeting_id)}
    assert deliveries[K.GUIDE_CALL].status == DeliveryStatus.DONE
    assert deliveries[K.GUIDE_CALL].due_at == utc(2026, 12, 31, 9, 0)
    # J-5 is Saturday 9 January: the announcement goes out on Friday 8 at 09:00.
    assert deliveries[K.ANNOUNCEMENT].due_at == utc(2027, 1, 8, 8, 0)
    assert deliveries[K.ANNOUNCEMENT].available_at == utc(2027, 1, 8, 8, 0)
    assert deliveries[K.LAST_REMINDER].due_at == utc(2027, 1, 13, 8, 0)


def test_plan_meeting_group_time_zone_is_used(db):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    with transaction(db) as session:
        meeting = session.get(Meeting, meeting_id)
        group = session.get(Group, meeting.group_id)
        # Cayenne is UTC-3: 14 January 13:00 UTC is 10:00 there; J-1 10:00 is 13:00 UTC.
        planned = plan_meeting(
            session, group=group, meeting=meeting, now=NOW, timezone="America/Cayenne"
        )

    assert {d.kind: d.due_at for d in planned}[K.LAST_REMINDER] == utc(2027, 1, 13, 13, 0)


def test_plan_meeting_not_scheduled_cancels_everything_pending(db):
    _, meeting_id = schedule(db, starts_at=START, now=NOW)
    with transaction(db) as session:
        session.get(Meeting, meeting_id).status = MeetingStatus.CANCELLED

    planned = replan(db, meeting_id, NOW)

    assert planned == []
    assert {d.status for d in rows(db, meeting_id)} == {DeliveryStatus.CANCELLED}


def test_upcoming_deliveries_in_due_order_for_the_group_only(db):
    group_id, _ = schedule(db, starts_at=START, now=NOW)
    schedule(db, starts_at=START, now=NOW, channel="C0OTHER")

    with db() as session:
        upcoming = upcoming_deliveries(session, group_id=group_id)

    assert [d.kind for d in upcoming][:2] == [K.GUIDE_CALL, K.ANNOUNCEMENT]
    assert len(upcoming) == 12
    assert {d.group_id for d in upcoming} == {group_id}
    assert [d.available_at for d in upcoming] == sorted(d.available_at for d in upcoming)


def test_dedup_key_changes_with_the_date():
    assert dedup_key(3, K.RUN_OF_SHOW, START) != dedup_key(3, K.RUN_OF_SHOW, START + timedelta(1))


# --- working days ------------------------------------------------------------------------


def test_plan_meeting_monday_session_j1_falls_on_sunday_goes_out_friday(db):
    monday = datetime(2027, 1, 18, 14, 0, tzinfo=ZoneInfo(PARIS))
    _, meeting_id = schedule(db, starts_at=monday, now=NOW)

    planned = by_kind(rows(db, meeting_id), DeliveryStatus.PLANNED)

    assert planned[K.LAST_REMINDER].due_at == utc(2027, 1, 15, 9, 0)  # Friday 10:00
    assert planned[K.PARTICIPANT_REMINDER].due_at == utc(2027, 1, 15, 9, 0)
    # The session itself, its run-of-show and its end are never moved.
    assert planned[K.RUN_OF_SHOW].due_at == utc(2027, 1, 18, 12, 45)
    assert planned[K.SESSION_END].due_at == utc(2027, 1, 18, 14, 30)


def test_plan_meeting_monday_session_with_working_days_off_keeps_sunday(db):
    group_id, meeting_id = schedule(db, starts_at=datetime(2027, 1, 18, 13, 0, tzinfo=UTC), now=NOW)
    with transaction(db) as session:
        session.get(Group, group_id).working_days_enabled = False

    replan(db, meeting_id, NOW)

    planned = by_kind(rows(db, meeting_id), DeliveryStatus.PLANNED)
    assert planned[K.LAST_REMINDER].due_at == utc(2027, 1, 17, 9, 0)  # Sunday 10:00


def test_plan_meeting_after_easter_monday_2027_reminds_on_friday_26_march(db):
    # Tuesday 30 March: J-1 is Easter Monday, then the weekend; Good Friday is worked.
    _, meeting_id = schedule(
        db, starts_at=datetime(2027, 3, 30, 14, 0, tzinfo=ZoneInfo(PARIS)), now=NOW
    )

    planned = by_kind(rows(db, meeting_id), DeliveryStatus.PLANNED)

    assert planned[K.LAST_REMINDER].due_at == utc(2027, 3, 26, 9, 0)  # 10:00 CET


def test_plan_meeting_after_easter_monday_in_alsace_moselle_reminds_on_thursday(db):
    group_id, meeting_id = schedule(
        db, starts_at=datetime(2027, 3, 30, 14, 0, tzinfo=ZoneInfo(PARIS)), now=NOW
    )
    with transaction(db) as session:
        session.get(Group, group_id).alsace_moselle = True

    replan(db, meeting_id, NOW)

    planned = by_kind(rows(db, meeting_id), DeliveryStatus.PLANNED)
    assert planned[K.LAST_REMINDER].due_at == utc(2027, 3, 25, 9, 0)  # Good Friday skipped


def test_plan_meeting_after_14_juillet_2027_reminds_on_tuesday(db):
    # Thursday 15 July: J-1 is Wednesday 14 July, a holiday.
    _, meeting_id = schedule(
        db, starts_at=datetime(2027, 7, 15, 14, 0, tzinfo=ZoneInfo(PARIS)), now=NOW
    )

    planned = by_kind(rows(db, meeting_id), DeliveryStatus.PLANNED)

    assert planned[K.PARTICIPANT_REMINDER].due_at == utc(2027, 7, 13, 8, 0)  # 10:00 CEST
    assert planned[K.RUN_OF_SHOW].due_at == utc(2027, 7, 15, 11, 45)


def test_plan_meeting_of_a_matrix_group_plans_nothing_until_matrix_sends(db):
    from bot.domain.groups import MATRIX_TEAM, ensure_group
    from bot.domain.planning import plan_meeting
    from tests.support.factories import make_meeting

    with db.begin() as session:
        group = ensure_group(session, team_id=MATRIX_TEAM, channel_id="!room:hs", now=NOW)
        meeting = make_meeting(session, group, starts_at=START, now=NOW)
        planned = plan_meeting(
            session, group=group, meeting=meeting, now=NOW, timezone="Europe/Paris"
        )

    assert planned == []
    assert rows(db, meeting.id) == []
