"""manifest.yml is valid for Slack and matches what the code listens to."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from bot.config import load_settings

ROOT = Path(__file__).resolve().parent.parent


def _schema_dir() -> Path:
    for candidate in (ROOT.parent / "shared" / "slack-manifest-schema", ROOT / "shared"):
        if candidate.is_dir():
            return candidate
    pytest.skip("Slack's manifest schemas (../shared/slack-manifest-schema) are not here")
    raise AssertionError  # unreachable


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def test_manifest_validates_against_slack_schema(manifest):
    version = manifest["_metadata"]["major_version"]
    schema = json.loads((_schema_dir() / f"manifest.schema.{version}.0.0.json").read_text())

    jsonschema.validate(manifest, schema)


def test_manifest_declares_default_command_socket_mode_and_scopes(manifest):
    settings = load_settings(
        {"SLACK_BOT_TOKEN": "xoxb-x", "SLACK_SIGNING_SECRET": "s"}, dotenv=False
    )

    commands = [c["command"] for c in manifest["features"]["slash_commands"]]
    assert commands == [settings.slash_command]
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert {"commands", "chat:write", "im:write", "users:read", "reactions:read"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )
    # A post that may have gone out is looked for in the conversation's history.
    assert {"channels:history", "groups:history", "im:history"} <= set(
        manifest["oauth_config"]["scopes"]["bot"]
    )
    # The tour de table lists the channel's members (conversations.members).
    assert {"channels:read", "groups:read"} <= set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"reaction_added", "reaction_removed", "app_home_opened"} <= set(
        manifest["settings"]["event_subscriptions"]["bot_events"]
    )


def test_manifest_turns_on_the_app_home_the_bot_publishes(manifest):
    app_home = manifest["features"]["app_home"]

    assert app_home["home_tab_enabled"] is True
    assert app_home["messages_tab_enabled"] is True
