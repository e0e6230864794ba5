"""Claims and leases: a live worker keeps its lease, a lapsed one is taken over, and the
lease must outlast one Slack call."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import ConfigError
from bot.db.engine import transaction
from bot.db.models import Delivery
from bot.enums import DeliveryKind, DeliveryStatus
from bot.jobs.claims import MAX_ATTEMPTS, ClaimCounts, Claims, LostClaim, check_lease
from bot.slack.notifier import SlackBudget
from tests.support.jobs import AFTER_END, delivery_of, seed_session_end
from tests.support.wait import wait_for

K = DeliveryKind


def claim_session_end(db, lease: timedelta, process_id: str = "test-host:1:aaaaaa") -> Claims:
    seed_session_end(db, ["A"])
    claims = Claims(db, process_id=process_id, lease=lease)
    assert claims.claim(AFTER_END, [K.SESSION_END], 5, ClaimCounts()) != []
    return claims


def test_heartbeat_renews_the_lease_while_the_work_runs(db):
    lease = timedelta(seconds=0.3)
    claims = claim_session_end(db, lease)
    delivery_id = delivery_of(db, K.SESSION_END).id
    clock = {"now": AFTER_END}

    with claims.heartbeat(delivery_id, lambda: clock["now"]):
        clock["now"] = AFTER_END + timedelta(hours=1)
        renewed = wait_for(
            lambda: delivery_of(db, K.SESSION_END).claimed_until > AFTER_END + timedelta(hours=1)
        )

    assert renewed
    assert delivery_of(db, K.SESSION_END).claimed_until == AFTER_END + timedelta(hours=1) + lease


def test_lapsed_claim_is_taken_over_and_the_old_owner_may_not_renew(db):
    first = claim_session_end(db, timedelta(seconds=120))
    second = Claims(db, process_id="other-host:2:bbbbbb", lease=timedelta(seconds=120))
    counts = ClaimCounts()

    taken = second.claim(AFTER_END + timedelta(minutes=3), [K.SESSION_END], 5, counts)

    assert (len(taken), counts.reclaimed) == (1, 1)
    with pytest.raises(LostClaim):
        first.renew(taken[0], AFTER_END + timedelta(minutes=3))


def test_job_retries_never_give_up_when_told_not_to(db):
    claims = claim_session_end(db, timedelta(seconds=120))
    delivery_id = delivery_of(db, K.SESSION_END).id
    with transaction(db) as session:
        session.get(Delivery, delivery_id).attempts = MAX_ATTEMPTS

    gives_up = claims.gives_up(delivery_id, AFTER_END, None)
    settled = claims.retry_later(delivery_id, AFTER_END, "boom", may_give_up=False)

    assert (gives_up, settled.given_up) == (True, False)
    with db() as session:
        assert session.scalars(select(Delivery.status).where(Delivery.id == delivery_id)).one() == (
            DeliveryStatus.PLANNED
        )


def test_check_lease_refuses_a_lease_one_call_could_outlast():
    budget = SlackBudget(timeout_seconds=5, rate_limit_retries=2, max_wait_seconds=5)

    check_lease(timedelta(seconds=120), SlackBudget())  # the defaults: 50 s at worst
    with pytest.raises(ConfigError) as raised:
        check_lease(timedelta(seconds=25), budget)

    assert str(raised.value).startswith("DISPATCH_LEASE_SECONDS=25 is too short")
    assert "set it above 25" in str(raised.value)
