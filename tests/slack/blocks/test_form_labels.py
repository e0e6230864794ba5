"""Every form leaves a field's optional or required state to Slack: Slack writes
"(facultatif)" / "(optional)" next to an optional input's label, so no label or hint of
ours says it again, and none can contradict it (a guest's name marked "(facultatif)" by
Slack while the hint said "(obligatoire)")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.enums import Language
from bot.slack.blocks.config import build_config_modal
from bot.slack.blocks.contribution import build_contribution_modal
from bot.slack.blocks.place import build_place_modal
from bot.slack.blocks.tour import TourSession, build_tour_modal
from tests.slack.blocks.test_config import SETTINGS
from tests.slack.blocks.test_contribution import METADATA, contribution
from tests.support.blocks import assert_valid_view, field_state_claims

START = datetime(2027, 1, 14, 13, 0, tzinfo=UTC)

FORMS: dict[str, Callable[[Language], dict[str, Any]]] = {
    "contribution": lambda lang: build_contribution_modal(lang, "jeudi", None, METADATA),
    "contribution edit": lambda lang: build_contribution_modal(
        lang, "jeudi", contribution(), METADATA
    ),
    "tour de table": lambda lang: build_tour_modal(
        TourSession(
            meeting_id=7,
            group_id=3,
            channel_id="C0GROUP",
            starts_at=START,
            lang=lang,
            tz="Europe/Paris",
        ),
        None,
    ),
    "settings": lambda lang: build_config_modal(SETTINGS, lang, group_id=7, channel_id="C0GROUP"),
    "place": lambda lang: build_place_modal(
        lang, meeting_id=7, channel_id="C0GROUP", when="jeudi", current=None
    ),
}


@pytest.mark.parametrize("lang", list(Language))
@pytest.mark.parametrize("name", list(FORMS))
def test_form_hints_never_state_a_fields_optional_or_required_state(name, lang):
    view = FORMS[name](lang)

    assert_valid_view(view)
    assert field_state_claims(view) == []


def test_guest_name_hint_says_when_to_fill_it_without_contradicting_slack():
    view = FORMS["contribution"](Language.FR)

    [guest] = [b for b in view["blocks"] if b.get("block_id") == "partage_contribution_guest_block"]
    assert guest["optional"] is True
    assert guest["hint"]["text"] == (
        "À remplir pour une contribution Invité·e, et seulement pour elle\u202f: la personne "
        "qui présente, que vous accueillez."
    )


def test_field_state_claims_finds_a_hint_that_contradicts_slack():
    view = {
        "blocks": [
            {
                "type": "input",
                "block_id": "b",
                "optional": True,
                "label": {"type": "plain_text", "text": "Nom"},
                "hint": {"type": "plain_text", "text": "Pour un·e invité·e (obligatoire)"},
            }
        ]
    }

    assert field_state_claims(view) == ["b (optional) hint: Pour un·e invité·e (obligatoire)"]
