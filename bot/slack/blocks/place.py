"""The place, for those who may set it: the "Indiquer le lieu" button, the modal it
opens, and the J-1 alert while the place is still missing.

Members only ever read "Lieu : à préciser"; the organisers and the guide get a button
that does the same as `/partage lieu`, so none of them has to know the command.
"""

from __future__ import annotations

from typing import Any

from bot.domain.place import PLACE_MAX_LENGTH
from bot.domain.programme import Programme
from bot.enums import Language
from bot.i18n import format_day, format_when, t
from bot.slack.blocks.common import (
    Block,
    Message,
    actions,
    button,
    header,
    message,
    plain_object,
    section,
)
from bot.slack.ids import ActionId, BlockId, CallbackId
from bot.slack.text import Mrkdwn
from bot.slack.view_parsing import row_id

View = dict[str, Any]
MODAL_TEXT_LIMIT = 24  # modal title, submit and close


def place_button(
    lang: Language, meeting_id: int, *, change: bool = False, urgent: bool = False
) -> Block:
    """The button that opens the place modal: "Indiquer le lieu", or once the place is
    set "Modifier le lieu"; `urgent` makes it the message's primary action."""
    key = "place.button.change" if change else "place.button"
    style = "primary" if urgent else None
    return button(t(lang, key), ActionId.SET_PLACE, str(meeting_id), style=style)


def place_actions(lang: Language, meeting_id: int, *, urgent: bool = False) -> Block:
    return actions(BlockId.PLACE_ACTIONS, place_button(lang, meeting_id, urgent=urgent))


def place_alert(lang: Language) -> Block:
    """The J-1 warning at the top of the guide's last overview."""
    return section(t(lang, "place.alert"))


def build_place_alert(programme: Programme, lang: Language, tz: str, channel_id: str) -> Message:
    """The J-1 DM to an organiser while the place is still missing: what, when, and the
    button that sets it."""
    title = t(lang, "place.alert.title", day=format_day(programme.starts_at, tz, lang))
    body = t(
        lang,
        "place.alert.organiser",
        channel=channel_id,
        when=format_when(programme.starts_at, tz, lang),
    )
    return message(
        title,
        [header(title), section(body), place_actions(lang, programme.meeting_id, urgent=True)],
    )


def build_place_modal(
    lang: Language, *, meeting_id: int, channel_id: str, when: str, current: str | None
) -> View:
    """One input, prefilled with the place in force; the same checks as the command."""
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ActionId.PLACE_INPUT,
        "max_length": PLACE_MAX_LENGTH,
        "placeholder": plain_object(t(lang, "place.modal.placeholder"), 150),
    }
    if current:
        element["initial_value"] = current[:PLACE_MAX_LENGTH]
    return {
        "type": "modal",
        "callback_id": CallbackId.PLACE_MODAL,
        "private_metadata": str(meeting_id),
        "title": plain_object(t(lang, "place.modal.title"), MODAL_TEXT_LIMIT),
        "submit": plain_object(t(lang, "place.modal.submit"), MODAL_TEXT_LIMIT),
        "close": plain_object(t(lang, "place.modal.close"), MODAL_TEXT_LIMIT),
        "blocks": [
            section(t(lang, "place.modal.intro", channel=channel_id, when=when)),
            {
                "type": "input",
                "block_id": BlockId.PLACE_INPUT,
                "label": plain_object(t(lang, "place.modal.label"), 2000),
                "hint": plain_object(t(lang, "place.modal.hint", max=PLACE_MAX_LENGTH), 2000),
                "element": element,
            },
        ],
    }


def build_place_saved(lang: Language, text: Mrkdwn) -> View:
    """What the modal becomes once the place is saved."""
    return {
        "type": "modal",
        "callback_id": CallbackId.PLACE_MODAL,
        "title": plain_object(t(lang, "place.modal.title"), MODAL_TEXT_LIMIT),
        "close": plain_object(t(lang, "place.modal.saved.close"), MODAL_TEXT_LIMIT),
        "blocks": [section(text)],
    }


def place_metadata(view: dict[str, Any]) -> int | None:
    """The meeting the modal was opened for."""
    return row_id(view.get("private_metadata"))


def read_place_state(values: dict[str, Any]) -> str:
    """The typed place ("" when Slack sent nothing)."""
    block = values.get(BlockId.PLACE_INPUT) or {}
    field = block.get(ActionId.PLACE_INPUT) or {}
    value = field.get("value") if isinstance(field, dict) else None
    return value if isinstance(value, str) else ""
