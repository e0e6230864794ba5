"""The group's calendar feed, as the HTTP edge serves it: a token in, an `.ics` out."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.calendar.ics import render
from bot.clock import Clock
from bot.db.engine import read_transaction
from bot.domain import calendar as calendar_domain
from bot.domain.groups import group_language, group_timezone
from bot.enums import Language
from bot.i18n import t
from bot.slack.text import plain


class CalendarFeed:
    """`feed(token)`: the group's last and next sessions as one VCALENDAR, or None for
    a token no group has. Read-only; the same sessions give the same bytes (DTSTAMP is
    the session's last change, not the request's time), so the ETag holds."""

    def __init__(
        self,
        db: sessionmaker[Session],
        clock: Clock,
        *,
        default_language: Language,
        default_timezone: str,
    ) -> None:
        self._db = db
        self._clock = clock
        self._language = default_language
        self._timezone = default_timezone

    def __call__(self, token: str) -> bytes | None:
        with read_transaction(self._db) as session:
            group = calendar_domain.group_for_token(session, token=token)
            if group is None:
                return None
            lang = group_language(group, self._language)
            tz = group_timezone(group, self._timezone)
            events = calendar_domain.feed_events(
                session, group=group, timezone=tz, now=self._clock.now()
            )
            return render(events, lang=lang, name=plain(t(lang, "calendar.feed.name")))
