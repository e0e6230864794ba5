"""STATS_EXPORT: an organiser's statistics as a CSV file, by DM (files.uploadV2).

The recipient was queued in the command's transaction (`bot.domain.stats`); the file is
built here from the group as it is now. The upload is one outbox step keyed by the
organiser, so a rerun after a crash never sends it twice.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from bot.config import Settings
from bot.db.engine import transaction
from bot.db.models import Group
from bot.domain import stats as stats_domain
from bot.domain.groups import group_language
from bot.enums import DeliveryKind
from bot.i18n import t
from bot.jobs.contracts import JobEntry
from bot.jobs.dispatcher import DueItem

logger = logging.getLogger(__name__)


def send_export(*, db: sessionmaker[Session], item: DueItem, settings: Settings) -> None:
    if not item.useful:
        return
    outbox = item.outbox
    if outbox is None:
        raise RuntimeError(f"delivery {item.delivery_id}: a job needs its outbox")
    with transaction(db) as session:
        group = session.get(Group, item.group_id)
        if group is None:
            return
        lang = group_language(group, settings.bot_language)
        content = stats_domain.stats_csv(stats_domain.group_stats(session, group_id=group.id))
        channel = group.channel_id
    for key, method, args in outbox.queued():
        if method != stats_domain.EXPORT_METHOD:
            outbox.perform(key, method, args)  # the summary asked from the App Home
            continue
        outbox.upload(
            key,
            str(args["user"]),
            filename=f"statistiques-{channel}.csv",
            content=content,
            title=str(t(lang, "stats.file.title").plain()),
            comment=str(t(lang, "stats.file.comment").plain()),
        )


JOBS: dict[DeliveryKind, JobEntry] = {
    DeliveryKind.STATS_EXPORT: lambda deps, item, _now: send_export(
        db=deps.db, item=item, settings=deps.settings
    )
}
