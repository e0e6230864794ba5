"""The contribution modal and the messages that confirm a saved contribution.

The modal's inputs use the ids of `bot.slack.ids` that `bot.slack.view_parsing` reads
back, so a renamed block cannot silently drop a field.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.domain.agenda import PRESENTATION_BUDGET_MINUTES
from bot.domain.contributions import (
    DESCRIPTION_MAX_LENGTH,
    DURATION_MAX_MINUTES,
    DURATION_MIN_MINUTES,
    GUEST_NAME_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from bot.enums import ContributionKind, Language
from bot.i18n import t
from bot.slack.blocks.common import Block, Message, message, plain_object, section, truncate
from bot.slack.ids import ActionId, BlockId, CallbackId
from bot.slack.text import NEWLINE, Mrkdwn, escape

View = dict[str, Any]


class ContributionFields(Protocol):
    """What these builders read of a contribution: a stored row or a programme line
    alike, so the builders need no ORM model."""

    @property
    def kind(self) -> ContributionKind: ...
    @property
    def title(self) -> str: ...
    @property
    def author_user_id(self) -> str: ...
    @property
    def duration_minutes(self) -> int: ...
    @property
    def link(self) -> str | None: ...
    @property
    def guest_name(self) -> str | None: ...
    @property
    def guest_affiliation(self) -> str | None: ...


MODAL_TEXT_LIMIT = 24  # modal title, submit and close


def _plain(text: str, limit: int = 2000) -> dict[str, Any]:
    return plain_object(text, limit)


def _input(
    block_id: BlockId,
    label: str,
    element: dict[str, Any],
    *,
    hint: str | None = None,
    optional: bool = False,
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id.value,
        "label": _plain(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = _plain(hint)
    return block


def kind_label(lang: Language, kind: ContributionKind) -> Mrkdwn:
    return t(lang, f"kind.{kind.value}")


def guest_text(lang: Language, contribution: ContributionFields) -> Mrkdwn:
    """`Marie Dupont (APF France handicap)`, or the name alone."""
    name = contribution.guest_name or ""
    if contribution.guest_affiliation:
        return t(lang, "guest.affiliation", name=name, affiliation=contribution.guest_affiliation)
    return escape(name)


def _is_guest(contribution: ContributionFields) -> bool:
    return contribution.kind is ContributionKind.GUEST and bool(contribution.guest_name)


def contribution_what(
    lang: Language, contribution: ContributionFields, *, title: object = None
) -> Mrkdwn:
    """`Exposé « titre »`, or `Invité·e : Marie Dupont (APF) — « titre »` for a guest:
    the guest presents, so the guest is named, not folded into the title. `title` may be
    the title as a link."""
    shown = contribution.title if title is None else title
    if _is_guest(contribution):
        return t(lang, "contribution.what.guest", guest=guest_text(lang, contribution), title=shown)
    return t(lang, "contribution.what", kind=kind_label(lang, contribution.kind), title=shown)


def contribution_label(
    lang: Language, contribution: ContributionFields, *, title: object = None
) -> Mrkdwn:
    """Who and what, as every list shows it: `@Camille — Exposé « titre »`, or
    `Invité·e : Marie Dupont (APF) — « titre », accueilli·e par @Inès`."""
    what = contribution_what(lang, contribution, title=title)
    key = "contribution.by.guest" if _is_guest(contribution) else "contribution.by"
    return t(lang, key, what=what, author=contribution.author_user_id)


def _kind_option(lang: Language, kind: ContributionKind) -> dict[str, Any]:
    return {"text": _plain(kind_label(lang, kind), 75), "value": kind.value}


def build_contribution_modal(
    lang: Language,
    meeting_label: str,
    existing: ContributionFields | None,
    private_metadata: str,
    *,
    budget_used: int = 0,
    budget: int = PRESENTATION_BUDGET_MINUTES,
) -> View:
    """The modal, empty for a first contribution or prefilled to edit `existing`.

    Slack enforces lengths and the number range in the client too, but the server
    validates again on submission: the client's checks are a convenience, not a guarantee.
    """
    description = getattr(existing, "description", "") or ""
    kind_element: dict[str, Any] = {
        "type": "static_select",
        "action_id": ActionId.CONTRIBUTION_KIND.value,
        "placeholder": _plain(t(lang, "contribution.field.kind.placeholder"), 150),
        "options": [_kind_option(lang, kind) for kind in ContributionKind],
    }
    title_element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ActionId.CONTRIBUTION_TITLE.value,
        "max_length": TITLE_MAX_LENGTH,
    }
    description_element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ActionId.CONTRIBUTION_DESCRIPTION.value,
        "multiline": True,
        "max_length": DESCRIPTION_MAX_LENGTH,
    }
    duration_element: dict[str, Any] = {
        "type": "number_input",
        "action_id": ActionId.CONTRIBUTION_DURATION.value,
        "is_decimal_allowed": False,
        "min_value": str(DURATION_MIN_MINUTES),
        "max_value": str(DURATION_MAX_MINUTES),
    }
    link_element: dict[str, Any] = {
        "type": "url_text_input",
        "action_id": ActionId.CONTRIBUTION_LINK.value,
    }
    guest_element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ActionId.CONTRIBUTION_GUEST.value,
        "max_length": GUEST_NAME_MAX_LENGTH,
    }
    affiliation_element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": ActionId.CONTRIBUTION_AFFILIATION.value,
        "max_length": GUEST_NAME_MAX_LENGTH,
    }
    if existing is not None:
        kind_element["initial_option"] = _kind_option(lang, existing.kind)
        # Raw text (plain_text inputs), cut to what the input accepts: a row stored
        # before a limit existed must not make Slack refuse the whole modal.
        title_element["initial_value"] = truncate(existing.title, TITLE_MAX_LENGTH)
        if description:
            description_element["initial_value"] = truncate(description, DESCRIPTION_MAX_LENGTH)
        duration_element["initial_value"] = str(existing.duration_minutes)
        if existing.link:
            link_element["initial_value"] = existing.link
        if existing.guest_name:
            guest_element["initial_value"] = truncate(existing.guest_name, GUEST_NAME_MAX_LENGTH)
        affiliation = getattr(existing, "guest_affiliation", None)
        if affiliation:
            affiliation_element["initial_value"] = truncate(affiliation, GUEST_NAME_MAX_LENGTH)

    editing = existing is not None
    intro = t(
        lang,
        "contribution.modal.intro.edit" if editing else "contribution.modal.intro",
        when=meeting_label,
        budget=budget,
        used=budget_used,
    )
    title_key = "contribution.modal.title.edit" if editing else "contribution.modal.title"
    return {
        "type": "modal",
        "callback_id": CallbackId.CONTRIBUTION_MODAL.value,
        "private_metadata": private_metadata,
        "title": _plain(t(lang, title_key), MODAL_TEXT_LIMIT),
        "submit": _plain(t(lang, "contribution.modal.submit"), MODAL_TEXT_LIMIT),
        "close": _plain(t(lang, "contribution.modal.close"), MODAL_TEXT_LIMIT),
        "blocks": [
            section(intro, block_id=BlockId.HEADER.value),
            _input(BlockId.CONTRIBUTION_KIND, t(lang, "contribution.field.kind"), kind_element),
            _input(
                BlockId.CONTRIBUTION_TITLE,
                t(lang, "contribution.field.title"),
                title_element,
                hint=t(lang, "contribution.field.title.hint"),
            ),
            _input(
                BlockId.CONTRIBUTION_DESCRIPTION,
                t(lang, "contribution.field.description"),
                description_element,
                hint=t(lang, "contribution.field.description.hint"),
                optional=True,
            ),
            _input(
                BlockId.CONTRIBUTION_DURATION,
                t(lang, "contribution.field.duration"),
                duration_element,
                hint=t(lang, "contribution.field.duration.hint"),
            ),
            _input(
                BlockId.CONTRIBUTION_LINK,
                t(lang, "contribution.field.link"),
                link_element,
                hint=t(lang, "contribution.field.link.hint"),
                optional=True,
            ),
            _input(
                BlockId.CONTRIBUTION_GUEST,
                t(lang, "contribution.field.guest"),
                guest_element,
                hint=t(lang, "contribution.field.guest.hint"),
                optional=True,
            ),
            _input(
                BlockId.CONTRIBUTION_AFFILIATION,
                t(lang, "contribution.field.affiliation"),
                affiliation_element,
                hint=t(lang, "contribution.field.affiliation.hint"),
                optional=True,
            ),
        ],
    }


def budget_text(lang: Language, used: int, budget: int = PRESENTATION_BUDGET_MINUTES) -> Mrkdwn:
    """The presentation time planned so far, with a warning when it is over the budget."""
    if used > budget:
        return t(lang, "contribution.budget.over", used=used, budget=budget, over=used - budget)
    return t(lang, "contribution.budget", used=used, budget=budget)


def _summary(lang: Language, contribution: ContributionFields) -> dict[str, object]:
    return {
        "what": contribution_what(lang, contribution),
        "minutes": contribution.duration_minutes,
    }


def build_contribution_confirmation(
    lang: Language,
    *,
    when: str,
    contribution: ContributionFields,
    created: bool,
    budget_used: int,
    command: str,
    budget: int = PRESENTATION_BUDGET_MINUTES,
) -> Message:
    """The submitter's ephemeral confirmation: what was saved, the budget, what next."""
    key = "contribution.created" if created else "contribution.updated"
    saved = t(lang, key, when=when, **_summary(lang, contribution))
    next_key = (
        "contribution.next_steps.guest" if _is_guest(contribution) else "contribution.next_steps"
    )
    lines = [saved, budget_text(lang, budget_used, budget), t(lang, next_key, cmd=command)]
    return message(saved, [section(NEWLINE.join(lines))])


def build_contribution_notice(
    lang: Language,
    *,
    when: str,
    user_id: str,
    contribution: ContributionFields,
    created: bool,
    budget_used: int | None = None,
    budget: int = PRESENTATION_BUDGET_MINUTES,
) -> Message:
    """The short notice for the session's thread: who contributes what. Without
    `budget_used`, no budget line: over-budget advice is for the submitter and the guide,
    and the announcement shows the total."""
    key = "contribution.notice.created" if created else "contribution.notice.updated"
    if _is_guest(contribution):
        # Said as an invitation: the member brings a guest, who presents.
        notice = t(
            lang,
            f"{key}.guest",
            when=when,
            user=user_id,
            guest=guest_text(lang, contribution),
            title=contribution.title,
            minutes=contribution.duration_minutes,
        )
    else:
        notice = t(lang, key, when=when, user=user_id, **_summary(lang, contribution))
    if budget_used is None:
        return message(notice, [section(notice)])
    budget_line = budget_text(lang, budget_used, budget)
    return message(notice, [section(NEWLINE.join([notice, budget_line]))])


def build_guide_budget_alert(
    lang: Language,
    *,
    when: str,
    channel_id: str,
    user_id: str,
    contribution: ContributionFields,
    budget_used: int,
    budget: int = PRESENTATION_BUDGET_MINUTES,
) -> Message:
    """The guide's DM when a submission takes the programme over the budget."""
    text = t(
        lang,
        "contribution.guide_alert",
        when=when,
        channel=channel_id,
        user=user_id,
        used=budget_used,
        budget=budget,
        over=budget_used - budget,
        **_summary(lang, contribution),
    )
    return message(text, [section(text)])
