"""The cycle's jobs driven through a real dispatcher, for tests that inject faults."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.engine import transaction
from bot.db.models import Delivery, DeliveryMessage, Poll
from bot.domain.planning import plan_meeting
from bot.enums import DeliveryKind, DeliveryStatus
from bot.jobs.cycle import SENDERS
from bot.jobs.dispatcher import Dispatcher
from bot.jobs.senders import default_jobs
from bot.slack.identity import BotIdentity
from bot.slack.notifier import Notifier
from tests.support.factories import SESSION_START, make_group, make_meeting, make_proposals

AFTER_END = SESSION_START + timedelta(minutes=91)
# The 72-hour poll would close on Sunday 17 January; on working days (the default) the
# Friday before would leave it a day only, so it closes on Monday 18 at the same hour.
AFTER_CLOSE = AFTER_END + timedelta(hours=96, minutes=1)


def make_dispatcher(
    db: sessionmaker[Session],
    notifier: Notifier,
    settings: Settings,
    *,
    process_id: str = "test-host:1:aaaaaa",
    lease: timedelta = timedelta(seconds=120),
) -> Dispatcher:
    identity = BotIdentity(notifier._client)
    return Dispatcher(
        db=db,
        notifier=notifier,
        senders=SENDERS,
        jobs=default_jobs(
            db=db, notifier=notifier, settings=settings, bot_user_id=identity.user_id
        ),
        default_language=settings.bot_language,
        default_timezone=settings.bot_timezone,
        command=settings.slash_command,
        process_id=process_id,
        lease=lease,
    )


def seed_session_end(
    db: sessionmaker[Session], texts: list[str], *, channel: str = "C0GROUP"
) -> int:
    """A session on SESSION_START with open proposals; only its SESSION_END is pending."""
    with transaction(db) as session:
        group = make_group(session, channel=channel)
        meeting = make_meeting(session, group)
        make_proposals(session, group, texts)
        plan_meeting(
            session, group=group, meeting=meeting, now=SESSION_START, timezone="Europe/Paris"
        )
        for delivery in session.scalars(select(Delivery).where(Delivery.group_id == group.id)):
            if delivery.kind != DeliveryKind.SESSION_END:
                delivery.status = DeliveryStatus.DONE
    return meeting.id


def the_poll(db: sessionmaker[Session]) -> Poll:
    with db() as session:
        return session.scalars(select(Poll).order_by(Poll.id)).first()  # type: ignore[return-value]


def delivery_of(db: sessionmaker[Session], kind: DeliveryKind) -> Delivery:
    """The first delivery of that kind (the rollover plans the next session's too)."""
    with db() as session:
        return session.scalars(
            select(Delivery).where(Delivery.kind == kind).order_by(Delivery.id).limit(1)
        ).one()


def outbox_rows(db: sessionmaker[Session], kind: DeliveryKind) -> dict[str, str]:
    with db() as session:
        return {
            m.recipient: m.status.value
            for m in session.scalars(
                select(DeliveryMessage)
                .join(Delivery, Delivery.id == DeliveryMessage.delivery_id)
                .where(Delivery.kind == kind)
            )
        }


def run_again(db: sessionmaker[Session], kind: DeliveryKind, now: datetime) -> None:
    """Put a settled delivery back in the queue, as a crash before its settling would."""
    with transaction(db) as session:
        delivery = session.scalars(
            select(Delivery).where(Delivery.kind == kind).order_by(Delivery.id).limit(1)
        ).one()
        delivery.status = DeliveryStatus.PLANNED
        delivery.available_at = now
