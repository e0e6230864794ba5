#!/usr/bin/env bash
# Creates .venv (if needed) and installs the bot's dependencies and development tools at
# the exact versions of requirements-dev.lock (the set CI tests; scripts/lock re-pins it).
# Run by scripts/run and scripts/test; does nothing when the lock and pyproject.toml have
# not changed since the last install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "partage-bot needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $("$PYTHON" --version 2>&1)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed-$(cat pyproject.toml requirements-dev.lock | sha256sum | cut -c1-16)
if [ ! -e "$stamp" ]; then
  echo "setup: installing the pinned dependencies (requirements-dev.lock); the first time takes about a minute"
  .venv/bin/python -m pip install --disable-pip-version-check --progress-bar off \
    --upgrade pip 2>&1 | { grep -E '^(Successfully|ERROR)' || true; }
  .venv/bin/python -m pip install --disable-pip-version-check --progress-bar off \
    -r requirements-dev.lock 2>&1 | { grep -vE '^(Requirement already satisfied|  )' || true; }
  # The bot runs from this checkout (`python -m bot`, migrations/ beside it): a path file
  # puts it on the venv's path, which is what an editable install amounts to, without a
  # package build on every change of pyproject.toml.
  pwd > "$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/partage_bot.pth"
  .venv/bin/python -m pip check >/dev/null || { .venv/bin/python -m pip check; exit 1; }
  rm -f .venv/.installed-*
  touch "$stamp"
  echo "setup: done"
fi
