"""Every callback_id, action_id and block_id, defined once.

Builders, parsers and listener registrations all import from here, so a renamed id cannot
leave a button that no listener answers.
"""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    CLAIM_GUIDE = "partage_claim_guide"
    OPEN_CONTRIBUTION = "partage_open_contribution"
    MARK_READY = "partage_mark_ready"
    JOIN = "partage_join"


class CallbackId(StrEnum):
    CONTRIBUTION_MODAL = "partage_contribution_modal"
    CONFIG_MODAL = "partage_config_modal"


class BlockId(StrEnum):
    HEADER = "partage_header"
    ACTIONS = "partage_actions"
