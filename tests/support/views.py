"""What Slack sends back when a member submits a modal we built: `view.state.values`
filled from each input's initial value, with the overrides a test wants."""

from __future__ import annotations

from typing import Any

from tests.support.fake_slack import TEAM_ID


def submitted_state(view: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """`overrides` maps a block id to the raw value: a string for text, numbers, selects
    and radio buttons (the option value), a list of option values for checkboxes."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        kind = element["type"]
        raw = overrides.get(block["block_id"], _initial(element))
        if kind in ("static_select", "radio_buttons"):
            option = next((o for o in element["options"] if o["value"] == raw), None)
            if option is None and raw is not None:  # a value the client would not offer
                option = {"value": raw}
            state = {"type": kind, "selected_option": option}
        elif kind == "checkboxes":
            chosen = [o for o in element["options"] if o["value"] in raw]
            chosen += [{"value": v} for v in raw if v not in {o["value"] for o in chosen}]
            state = {"type": kind, "selected_options": chosen}
        else:
            state = {"type": kind, "value": raw}
        values[block["block_id"]] = {element["action_id"]: state}
    return values


def _initial(element: dict[str, Any]) -> Any:
    if element["type"] in ("static_select", "radio_buttons"):
        return (element.get("initial_option") or {}).get("value")
    if element["type"] == "checkboxes":
        return [o["value"] for o in element.get("initial_options") or []]
    return element.get("initial_value")


def view_submission(view: dict[str, Any], user: str, values: dict[str, Any]) -> dict[str, Any]:
    """The `view_submission` payload Slack posts for `view` submitted by `user`."""
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "beta"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM_ID},
        "api_app_id": "A0001",
        "token": "legacy-verification-token",
        "trigger_id": "trigger-submit",
        "view": {
            **view,
            "id": "V0001",
            "team_id": TEAM_ID,
            "hash": "1700000000.abcdef",
            "state": {"values": values},
        },
        "response_urls": [],
    }
