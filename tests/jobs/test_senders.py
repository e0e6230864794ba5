"""Every delivery kind is declared once, completely."""

from __future__ import annotations

import pytest

from bot.domain.kinds import SPECS, Scope, Worker
from bot.enums import DeliveryKind, Language
from bot.i18n import CATALOGS
from bot.jobs.senders import default_jobs, default_senders


@pytest.mark.parametrize("kind", list(DeliveryKind))
def test_kind_has_a_spec_labels_and_a_worker(kind):
    spec = SPECS[kind]

    labels = {lang: CATALOGS[lang].get(spec.label_key) for lang in Language}
    # The jobs' table is built from the kinds' declaration; nothing here is called.
    jobs = default_jobs(db=None, notifier=None, settings=None, bot_user_id=lambda: "")
    worked_by = (kind in default_senders(), kind in jobs)

    assert spec.kind == kind
    assert all(labels.values()), labels
    assert worked_by == (spec.worker == Worker.SENDER, spec.worker == Worker.JOB)
    assert (spec.due is not None, spec.useful_until is not None) == (
        spec.scope == Scope.SESSION,
        spec.scope == Scope.SESSION,
    )
