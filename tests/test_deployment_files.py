"""The operator's files stay in step with the declared settings."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.config import SETTINGS

ROOT = Path(__file__).resolve().parent.parent


def test_env_example_documents_every_setting():
    text = (ROOT / ".env.example").read_text()
    documented = {
        line.split("=", 1)[0]
        for line in text.splitlines()
        if "=" in line and not line.startswith("#")
    }

    assert documented == {variable for variable, _, _ in SETTINGS}


def test_docker_compose_runs_bot_on_postgres_from_env_file():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())

    bot = compose["services"]["bot"]
    assert bot["env_file"] == ".env"
    assert bot["environment"]["DATABASE_URL"].startswith("postgresql://")
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert compose["services"]["postgres"]["image"].startswith("postgres:")
