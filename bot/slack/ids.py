"""Every callback_id, action_id and block_id, defined once.

Builders, parsers and listener registrations all import from here, so a renamed id cannot
leave a button that no listener answers.
"""

from __future__ import annotations

from enum import StrEnum


class ActionId(StrEnum):
    # Buttons on the bot's messages; their `value` is the meeting id as a string.
    CLAIM_GUIDE = "partage_claim_guide"
    OPEN_CONTRIBUTION = "partage_open_contribution"
    MARK_READY = "partage_mark_ready"
    JOIN = "partage_join"
    # A contributor's reminder DM: edit the contribution (the one contribution form) or
    # withdraw it; the guide's overview: a friendly nudge to a contributor not ready
    # (value: the contribution id).
    EDIT_CONTRIBUTION = "partage_edit_contribution"
    WITHDRAW_CONTRIBUTION = "partage_withdraw_contribution"
    NUDGE_CONTRIBUTOR = "partage_nudge_contributor"
    # Inputs of the contribution modal (read from view.state.values, never dispatched).
    CONTRIBUTION_KIND = "partage_contribution_kind"
    CONTRIBUTION_TITLE = "partage_contribution_title"
    CONTRIBUTION_DESCRIPTION = "partage_contribution_description"
    CONTRIBUTION_DURATION = "partage_contribution_duration"
    CONTRIBUTION_LINK = "partage_contribution_link"
    CONTRIBUTION_GUEST = "partage_contribution_guest"
    CONTRIBUTION_AFFILIATION = "partage_contribution_affiliation"
    # The "Rejoindre" button of a video-call place: a url button, acknowledged and ignored.
    JOIN_CALL = "partage_join_call"
    # "Ajouter à mon agenda": the `.ics` by DM (value: the meeting id), and the url
    # buttons to Google Calendar and Outlook (Slack still reports their clicks).
    CALENDAR_ICS = "partage_calendar_ics"
    CALENDAR_GOOGLE = "partage_calendar_google"
    CALENDAR_OUTLOOK = "partage_calendar_outlook"
    # The roles modal and the App Home: the session is in the block_id (`board_block_id`),
    # the value says which contribution, page or member when it matters.
    ROLES_OPEN = "partage_roles_open"  # value: the meeting id, like the role buttons
    BOARD_TAKE_GUIDE = "partage_board_take_guide"
    BOARD_RELEASE_GUIDE = "partage_board_release_guide"
    BOARD_CONTRIBUTE = "partage_board_contribute"
    BOARD_READY = "partage_board_ready"
    BOARD_WITHDRAW = "partage_board_withdraw"
    BOARD_JOIN = "partage_board_join"
    BOARD_LEAVE = "partage_board_leave"
    BOARD_PAGE = "partage_board_page"  # value: the page to show
    # Organisers only (refused for anyone else, whatever the payload says).
    BOARD_ASSIGN_GUIDE = "partage_board_assign_guide"  # users_select
    BOARD_ASSIGN_CONTRIBUTION = "partage_board_assign_contribution"  # users_select
    BOARD_CONTRIBUTION_MENU = "partage_board_contribution_menu"  # overflow: up, down, remove
    BOARD_CANCEL_PLAN_NEXT = "partage_board_cancel_plan_next"
    BOARD_CANCEL_ONLY = "partage_board_cancel_only"
    BOARD_ADD_ORGANISER = "partage_board_add_organiser"  # users_select
    BOARD_REMOVE_ORGANISER = "partage_board_remove_organiser"  # value: the user id
    BOARD_CONFIG = "partage_board_config"
    # The history's "Plus anciennes" button (value: the page to show) and the
    # organisers' statistics button of the App Home.
    HISTORY_OLDER = "partage_history_older"
    STATS_OPEN = "partage_stats_open"
    # The tour de table's DM (value: the meeting id): answer or edit in a modal, delete
    # one's answers, stop receiving the invitation in this group, or receive it again
    # (value: the group id); under a need in the thread (value: the answer id).
    TOUR_ANSWER = "partage_tour_answer"
    TOUR_DELETE = "partage_tour_delete"
    TOUR_OPT_OUT = "partage_tour_opt_out"
    TOUR_OPT_IN = "partage_tour_opt_in"
    TOUR_HELP = "partage_tour_help"
    # Inputs of the tour de table's modal (read from view.state.values).
    TOUR_FEELING = "partage_tour_feeling"
    TOUR_DOING = "partage_tour_doing"
    TOUR_LEARNED = "partage_tour_learned"
    TOUR_NEEDS = "partage_tour_needs"
    TOUR_SHARE = "partage_tour_share"
    # `/partage mes-donnees`: "Supprimer mes données", behind Slack's confirm dialog; it
    # erases the data of whoever clicks (the value says nothing about whose).
    MY_DATA_ERASE = "partage_my_data_erase"


class CallbackId(StrEnum):
    CONTRIBUTION_MODAL = "partage_contribution_modal"
    CONFIG_MODAL = "partage_config_modal"
    ROLES_MODAL = "partage_roles_modal"
    TOUR_MODAL = "partage_tour_modal"


class BlockId(StrEnum):
    HEADER = "partage_header"
    ACTIONS = "partage_actions"
    JOIN_CALL = "partage_join_call_block"
    CALENDAR = "partage_calendar"
    HISTORY = "partage_history"
    MY_DATA = "partage_my_data"
    # Input blocks of the contribution modal: `response_action: errors` is keyed on them.
    CONTRIBUTION_KIND = "partage_contribution_kind_block"
    CONTRIBUTION_TITLE = "partage_contribution_title_block"
    CONTRIBUTION_DESCRIPTION = "partage_contribution_description_block"
    CONTRIBUTION_DURATION = "partage_contribution_duration_block"
    CONTRIBUTION_LINK = "partage_contribution_link_block"
    CONTRIBUTION_GUEST = "partage_contribution_guest_block"
    CONTRIBUTION_AFFILIATION = "partage_contribution_affiliation_block"
    # The tour de table: the DM's buttons, the modal's inputs, a need's button in the
    # thread (`tour_need_block_id`).
    TOUR_ACTIONS = "partage_tour_actions"
    TOUR_FEELING = "partage_tour_feeling_block"
    TOUR_DOING = "partage_tour_doing_block"
    TOUR_LEARNED = "partage_tour_learned_block"
    TOUR_NEEDS = "partage_tour_needs_block"
    TOUR_SHARE = "partage_tour_share_block"


# The settings modal (`/partage config`) names each setting's input block
# `partage_config_<key>`, from the setting's entry in `bot.domain.group_settings.SETTINGS`.
CONFIG_BLOCK_PREFIX = "partage_config_"


class ConfigBlockId(StrEnum):
    """Inputs of the settings modal that code or tests point at by name. The modal itself
    derives every block id from the settings table (a test checks these against it), so a
    new setting needs no member here; the switches' list is the one block of no setting."""

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
    SESSION_MINUTES = "partage_config_session_minutes"
    PRESENTATION_MINUTES = "partage_config_presentation_minutes"
    TOUR_MINUTES = "partage_config_tour_minutes"
    CALENDAR_ALARM = "partage_config_calendar_alarm"
    TOUR_DAYS = "partage_config_tour_days"
    TOUR_RETENTION = "partage_config_tour_retention"


# Inside each input block of the settings modal the element's action_id is this one; the
# block id says which setting it is.
CONFIG_INPUT_ACTION = "partage_config_input"


# Every block of the roles modal and the App Home that holds an action: its block_id is
# `partage_board:<meeting id>:<part>[:<contribution id>]`, unique within a Home that shows
# several groups, and it tells the listener which session the click is about.
BOARD_BLOCK_PREFIX = "partage_board"


def board_block_id(meeting_id: int, part: str, item: int | None = None) -> str:
    tail = f":{item}" if item is not None else ""
    return f"{BOARD_BLOCK_PREFIX}:{meeting_id}:{part}{tail}"


# A need's "Je peux aider" button in the thread: one actions block per answer, unique
# within the message.
TOUR_NEED_BLOCK_PREFIX = "partage_tour_need"


def tour_need_block_id(answer_id: int) -> str:
    return f"{TOUR_NEED_BLOCK_PREFIX}:{answer_id}"


# A contribution's "Relancer" in the guide's last overview: one section per contribution.
NUDGE_BLOCK_PREFIX = "partage_nudge"


def nudge_block_id(contribution_id: int) -> str:
    return f"{NUDGE_BLOCK_PREFIX}:{contribution_id}"


def tour_home_block_id(group_id: int) -> str:
    """The App Home's tour de table line of one group (several groups share a Home)."""
    return f"{BlockId.TOUR_ACTIONS.value}:{group_id}"
