"""The contribution modal and confirmations: valid Block Kit in French and English."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.db.models import Contribution
from bot.domain.programme import ContributionLine
from bot.enums import ContributionKind, ContributionStatus, Language
from bot.slack.blocks.contribution import (
    budget_text,
    build_contribution_confirmation,
    build_contribution_modal,
    build_contribution_notice,
    build_guide_budget_alert,
)
from bot.slack.ids import ActionId, BlockId, CallbackId
from bot.slack.view_parsing import ContributionMetadata
from tests.support.blocks import assert_valid_message, assert_valid_view

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
METADATA = ContributionMetadata(meeting_id=7, channel_id="C0GROUP").encode()


def contribution(**overrides) -> Contribution:
    values = {
        "id": 1,
        "meeting_id": 7,
        "author_user_id": "U0ALICE",
        "kind": ContributionKind.GUEST,
        "title": "x" * 150,
        "description": "d" * 3000,
        "duration_minutes": 30,
        "link": "https://exemple.fr/" + "a" * 1900,
        "guest_name": "g" * 150,
        "status": ContributionStatus.PROPOSED,
        "created_at": NOW,
        "updated_at": NOW,
    }
    values.update(overrides)
    return Contribution(**values)


def inputs(view: dict) -> dict[str, dict]:
    return {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}


@pytest.mark.parametrize("lang", list(Language))
def test_build_contribution_modal_empty_is_valid(lang):
    view = build_contribution_modal(lang, "jeudi 14 janvier 2027 à 14\u00a0h", None, METADATA)

    assert_valid_view(view)
    assert view["callback_id"] == CallbackId.CONTRIBUTION_MODAL
    assert view["private_metadata"] == METADATA
    assert all(
        "initial_value" not in b["element"] and "initial_option" not in b["element"]
        for b in inputs(view).values()
    )


@pytest.mark.parametrize("lang", list(Language))
def test_build_contribution_modal_prefilled_with_longest_values_is_valid(lang):
    existing = contribution()

    view = build_contribution_modal(lang, "Thursday", existing, METADATA, budget_used=45)

    assert_valid_view(view)
    blocks = inputs(view)
    assert blocks[BlockId.CONTRIBUTION_KIND]["element"]["initial_option"]["value"] == "guest"
    assert blocks[BlockId.CONTRIBUTION_TITLE]["element"]["initial_value"] == existing.title
    assert blocks[BlockId.CONTRIBUTION_DESCRIPTION]["element"]["initial_value"] == "d" * 3000
    assert blocks[BlockId.CONTRIBUTION_DURATION]["element"]["initial_value"] == "30"
    assert blocks[BlockId.CONTRIBUTION_LINK]["element"]["initial_value"] == existing.link
    assert blocks[BlockId.CONTRIBUTION_GUEST]["element"]["initial_value"] == "g" * 150


def test_build_contribution_modal_prefilled_from_a_programme_line_is_valid():
    line = ContributionLine(
        id=1,
        kind=ContributionKind.DEMO,
        title="Démo",
        author_user_id="U0ALICE",
        duration_minutes=5,
        ready=False,
        guest_name=None,
        link=None,
    )

    view = build_contribution_modal(Language.FR, "jeudi", line, METADATA)

    assert_valid_view(view)
    assert inputs(view)[BlockId.CONTRIBUTION_KIND]["element"]["initial_option"] == {
        "text": {"type": "plain_text", "text": "Démonstration", "emoji": True},
        "value": "demo",
    }


def test_build_contribution_modal_offers_the_four_kinds_with_french_labels():
    view = build_contribution_modal(Language.FR, "jeudi", None, METADATA)

    options = inputs(view)[BlockId.CONTRIBUTION_KIND]["element"]["options"]
    assert [(o["value"], o["text"]["text"]) for o in options] == [
        ("talk", "Exposé"),
        ("demo", "Démonstration"),
        ("experience", "Retour d’expérience"),
        ("guest", "Invité·e"),
    ]


def test_build_contribution_modal_uses_the_shared_ids():
    view = build_contribution_modal(Language.FR, "jeudi", None, METADATA)

    assert {(b, i["element"]["action_id"]) for b, i in inputs(view).items()} == {
        (BlockId.CONTRIBUTION_KIND, ActionId.CONTRIBUTION_KIND),
        (BlockId.CONTRIBUTION_AFFILIATION, ActionId.CONTRIBUTION_AFFILIATION),
        (BlockId.CONTRIBUTION_TITLE, ActionId.CONTRIBUTION_TITLE),
        (BlockId.CONTRIBUTION_DESCRIPTION, ActionId.CONTRIBUTION_DESCRIPTION),
        (BlockId.CONTRIBUTION_DURATION, ActionId.CONTRIBUTION_DURATION),
        (BlockId.CONTRIBUTION_LINK, ActionId.CONTRIBUTION_LINK),
        (BlockId.CONTRIBUTION_GUEST, ActionId.CONTRIBUTION_GUEST),
    }


@pytest.mark.parametrize("lang", list(Language))
def test_build_contribution_modal_texts_fit_slack_limits(lang):
    for existing in (None, contribution()):
        view = build_contribution_modal(lang, "jeudi", existing, METADATA)
        for key in ("title", "submit", "close"):
            assert len(view[key]["text"]) <= 24


def test_budget_text_warns_only_over_30_minutes():
    assert budget_text(Language.FR, 30) == "Temps de présentation prévu\u202f: 30\u00a0min sur 30."
    assert budget_text(Language.FR, 35).startswith(
        "⚠️ Temps de présentation prévu\u202f: 35\u00a0min sur 30, soit 5\u00a0min de trop."
    )


@pytest.mark.parametrize("lang", list(Language))
@pytest.mark.parametrize("created", [True, False])
def test_build_contribution_messages_are_valid(lang, created):
    saved = contribution(title="<!channel> & co", guest_name=None, kind=ContributionKind.TALK)

    confirmation = build_contribution_confirmation(
        lang, when="jeudi", contribution=saved, created=created, budget_used=35, command="/partage"
    )
    notice = build_contribution_notice(
        lang, when="jeudi", user_id="U0ALICE", contribution=saved, created=created, budget_used=35
    )
    alert = build_guide_budget_alert(
        lang,
        when="jeudi",
        channel_id="C0GROUP",
        user_id="U0ALICE",
        contribution=saved,
        budget_used=35,
    )

    for built in (confirmation, notice, alert):
        assert_valid_message(built)
        assert "&lt;!channel&gt; &amp; co" in built["blocks"][0]["text"]["text"]
        assert "<!channel>" not in built["blocks"][0]["text"]["text"]
