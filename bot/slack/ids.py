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


class ConfigBlockId(StrEnum):
    """The inputs of the settings modal (`/partage config`), one per setting."""

    TIMEZONE = "partage_config_timezone"
    LANGUAGE = "partage_config_language"
    REMINDER_HOUR = "partage_config_reminder_hour"
    SWITCHES = "partage_config_switches"
    GUIDE_CALL_DAYS = "partage_config_guide_call_days"
    ANNOUNCEMENT_DAYS = "partage_config_announcement_days"
    LAST_REMINDER_DAYS = "partage_config_last_reminder_days"
    LEAD_MINUTES = "partage_config_lead_minutes"
    POLL_HOURS = "partage_config_poll_hours"
    RECURRENCE = "partage_config_recurrence"


# Inside each input block of the settings modal the element's action_id is this one; the
# block id says which setting it is.
CONFIG_INPUT_ACTION = "partage_config_input"
