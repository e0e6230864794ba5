"""The shape Slack's payloads have, checked before Bolt reads them.

Bolt and the listeners index into payloads (`body["team"]["id"]`, `view["state"]`, an
action's `value`) trusting Slack's documented shapes. A signed request always has them, but
the edge must not turn a crafted one into a traceback, so every field that Bolt's context
builder, its listener matchers or our listeners read is checked here for its JSON type.
Unknown fields are left alone: Slack adds fields often. Pure functions over dicts.
"""

from __future__ import annotations

from typing import Any

NONE = type(None)
Types = tuple[type, ...]

# Objects that Bolt reads `id`, `team_id` or `enterprise_id` from: at the top level of an
# interactive payload always objects; inside an event, a plain id or an object.
_OBJECT: Types = (dict, NONE)
_HOLDER: Types = (str, dict, NONE)
_HOLDER_FIELDS: dict[str, Types] = {
    "id": (str, NONE),
    "team_id": (str, NONE),
    "enterprise_id": (str, NONE),
    "name": (str, NONE),
    "domain": (str, NONE),
}

_TOP_LEVEL: dict[str, Types] = {
    "type": (str,),
    "token": (str, NONE),
    "command": (str,),
    "text": (str, NONE),
    "team_id": (str, NONE),
    "user_id": (str, NONE),
    "channel_id": (str, NONE),
    "enterprise_id": (str, NONE),
    "api_app_id": (str, NONE),
    "trigger_id": (str, NONE),
    "response_url": (str, NONE),
    "event_id": (str, NONE),
    "callback_id": (str, NONE),
    "challenge": (str, NONE),
    "bot_access_token": (str, NONE),
    "is_enterprise_install": (bool, str, NONE),
    "is_ext_shared_channel": (bool, NONE),
    "team": _OBJECT,
    "user": _OBJECT,
    "channel": _OBJECT,
    "enterprise": _HOLDER,
    "authorizations": (list, NONE),
    "event": (dict,),
    "view": (dict,),
    "actions": (list,),
    "container": (dict, NONE),
    "message": (dict, NONE),
    "state": (dict, NONE),
    "function_data": (dict, NONE),
    "response_urls": (list, NONE),
}

_AUTHORIZATION: dict[str, Types] = {
    "user_id": (str, NONE),
    "team_id": (str, NONE),
    "enterprise_id": (str, NONE),
    "is_bot": (bool, NONE),
    "is_enterprise_install": (bool, str, NONE),
}

_EVENT: dict[str, Types] = {
    "type": (str,),
    "subtype": (str, NONE),
    "user": _HOLDER,
    "channel": _HOLDER,
    "team": (str, NONE),
    "user_team": (str, NONE),
    "source_team": (str, NONE),
    "bot_id": (str, NONE),
    "reaction": (str, NONE),
    "item": (dict, NONE),
    "item_user": (str, NONE),
    "ts": (str, NONE),
    "thread_ts": (str, NONE),
    "event_ts": (str, NONE),
    "channel_type": (str, NONE),
    "message": (dict, NONE),
    "assistant_thread": (dict, NONE),
    "function_execution_id": (str, NONE),
    "inputs": (dict, NONE),
    "bot_access_token": (str, NONE),
}

_ITEM: dict[str, Types] = {
    "type": (str, NONE),
    "channel": (str, NONE),
    "ts": (str, NONE),
}

_VIEW: dict[str, Types] = {
    "id": (str, NONE),
    "type": (str, NONE),
    "callback_id": (str, NONE),
    "private_metadata": (str, NONE),
    "state": (dict, NONE),
    "hash": (str, NONE),
    "team_id": (str, NONE),
    "external_id": (str, NONE),
    "blocks": (list, NONE),
}

_ACTION: dict[str, Types] = {
    "action_id": (str,),
    "block_id": (str, NONE),
    "value": (str, NONE),
    "type": (str, NONE),
    "action_ts": (str, NONE),
    "selected_option": (dict, NONE),
}

_CONTAINER: dict[str, Types] = {
    "type": (str, NONE),
    "channel_id": (str, NONE),
    "message_ts": (str, NONE),
    "thread_ts": (str, NONE),
    "view_id": (str, NONE),
    "is_ephemeral": (bool, NONE),
}

_MESSAGE: dict[str, Types] = {
    "ts": (str, NONE),
    "thread_ts": (str, NONE),
    "user": (str, NONE),
    "text": (str, NONE),
    "bot_id": (str, NONE),
}


def _fields_problem(data: dict[str, Any], spec: dict[str, Types], where: str) -> str | None:
    for name, types in spec.items():
        # bool is an int in Python: accept it only where it is named.
        value = data.get(name)
        if name in data and (
            not isinstance(value, types) or (isinstance(value, bool) and bool not in types)
        ):
            return f"{where}{name} has the wrong type"
    return None


def _holder_problem(data: dict[str, Any], names: tuple[str, ...], where: str) -> str | None:
    for name in names:
        value = data.get(name)
        if isinstance(value, dict):
            problem = _fields_problem(value, _HOLDER_FIELDS, f"{where}{name}.")
            if problem:
                return problem
    return None


def _view_problem(view: dict[str, Any], *, submission: bool) -> str | None:
    """A submission's `state.values` is left to `bot.slack.listeners.forms`, which
    answers a malformed one on the form itself (a 400 would show the member an opaque
    error); elsewhere (a click in a modal) it is checked here."""
    problem = _fields_problem(view, _VIEW, "view.")
    if problem or submission:
        return problem
    values = (view.get("state") or {}).get("values")
    if values is None:
        return None
    if not isinstance(values, dict):
        return "view.state.values has the wrong type"
    for block in values.values():
        if not isinstance(block, dict) or not all(isinstance(e, dict) for e in block.values()):
            return "view.state.values has the wrong shape"
    return None


def _list_problem(items: list[Any], spec: dict[str, Types], where: str) -> str | None:
    for item in items:
        if not isinstance(item, dict):
            return f"{where} holds a non-object"
        problem = _fields_problem(item, spec, f"{where}[].")
        if problem:
            return problem
    return None


def _url_problem(body: dict[str, Any]) -> str | None:
    """Follow-up answers are posted to `response_url`: it must at least be a web URL."""
    url = body.get("response_url")
    if url and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
        return "response_url is not a web URL"
    container = body.get("container") or {}
    on_message = container.get("type", "message") == "message"
    if body.get("type") == "block_actions" and on_message and not url:
        return "block_actions on a message without response_url"
    urls = body.get("response_urls") or []
    for entry in urls:
        if not isinstance(entry, dict) or _url_problem(entry):
            return "response_urls holds something else than web URLs"
    return None


def _has_nul(body: Any) -> bool:
    """A NUL character in any string: Slack never sends one and PostgreSQL refuses to
    store one (the query would fail instead of the member being answered)."""
    stack = [body]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def shape_problem(body: Any) -> str | None:
    """Why `body` is not a payload Slack would send, or None when it may be handed to
    Bolt. The reason names a field, never its value (it goes to the log)."""
    if not isinstance(body, dict):
        return "body is not an object"
    checks = (
        lambda: _fields_problem(body, _TOP_LEVEL, ""),
        lambda: _holder_problem(body, ("team", "user", "channel", "enterprise"), ""),
        lambda: _list_problem(body.get("authorizations") or [], _AUTHORIZATION, "authorizations"),
        lambda: _list_problem(body.get("actions") or [], _ACTION, "actions"),
        lambda: "actions is empty" if body.get("actions") == [] else None,
        lambda: _url_problem(body) if isinstance(body.get("container") or {}, dict) else None,
        lambda: _fields_problem(body.get("container") or {}, _CONTAINER, "container."),
        lambda: _fields_problem(body.get("message") or {}, _MESSAGE, "message."),
        lambda: _event_problem(body.get("event")),
        lambda: (
            _view_problem(body["view"], submission=body.get("type") == "view_submission")
            if "view" in body
            else None
        ),
        lambda: "a field holds a NUL character" if _has_nul(body) else None,
    )
    for check in checks:
        problem = check()
        if problem:
            return problem
    return None


def _event_problem(event: Any) -> str | None:
    if event is None:
        return None
    problem = _fields_problem(event, _EVENT, "event.")
    if problem:
        return problem
    problem = _holder_problem(event, ("user", "channel"), "event.")
    if problem:
        return problem
    return _fields_problem(event.get("item") or {}, _ITEM, "event.item.")
