"""The database half of `/healthz` (`bot.health`): a write probe at most every few
seconds while the database takes writes, at once again after a failure, and failing as
the bot's writes would (a read-only file, a full disk)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text

from bot.db.engine import WRITE_PROBE, make_engine, migrate_to_head
from bot.health import DatabaseHealth, DatabaseState
from tests.support.databases import read_only_sqlite, sqlite_at


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Path:
    """A database file of its own, at the latest revision."""
    path = tmp_path / "partage.db"
    sqlite_at(path)
    return path


def probes_counted(engine: Engine) -> list[str]:
    """Every write probe the engine runs, as it runs."""
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(_conn, _cursor, statement, *_args):
        if statement == WRITE_PROBE:
            seen.append(statement)

    return seen


def test_write_probe_runs_at_most_once_per_interval_while_the_database_takes_writes(
    sqlite_file: Path,
):
    engine = make_engine(f"sqlite:///{sqlite_file}")
    now = [0.0]
    health = DatabaseHealth(engine, interval=5.0, monotonic=lambda: now[0])
    probes = probes_counted(engine)

    states = [health.check() for _ in range(10)]
    now[0] = 4.9
    states.append(health.check())
    probes_within_interval = len(probes)
    now[0] = 5.0
    states.append(health.check())
    engine.dispose()

    assert states == [DatabaseState.OK] * 12
    assert (probes_within_interval, len(probes)) == (1, 2)


def test_write_probe_runs_again_at_once_after_a_failure(sqlite_file: Path):
    engine = make_engine(read_only_sqlite(sqlite_file))
    health = DatabaseHealth(engine, interval=5.0, monotonic=lambda: 0.0)
    probes = probes_counted(engine)

    states = [health.check() for _ in range(3)]
    engine.dispose()

    assert states == [DatabaseState.NOT_WRITABLE] * 3
    assert len(probes) == 3


def test_write_probe_changes_nothing(sqlite_file: Path):
    engine = make_engine(f"sqlite:///{sqlite_file}")
    with engine.connect() as conn:
        before = conn.execute(text("SELECT version_num FROM alembic_version")).all()

    state = DatabaseHealth(engine).check()
    with engine.connect() as conn:
        after = conn.execute(text("SELECT version_num FROM alembic_version")).all()
    engine.dispose()

    assert state == DatabaseState.OK
    assert after == before


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MiB tmpfs to fill up; skipped where mounting is not allowed (it needs root)."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(path: Path) -> None:
    """Write zeros to `path` until the disk refuses."""
    with path.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(b"\0" * 65536)
        except OSError:
            pass


def test_write_probe_fails_on_a_full_disk_and_recovers_once_space_is_freed(small_disk: Path):
    url = f"sqlite:///{small_disk / 'partage.db'}"
    migrate_to_head(url)
    engine = make_engine(url)
    now = [0.0]
    health = DatabaseHealth(engine, interval=5.0, monotonic=lambda: now[0])
    before = health.check()
    filler = small_disk / "filler"
    fill(filler)

    now[0] = 5.0
    full = health.check()
    filler.unlink()
    freed = health.check()
    engine.dispose()

    assert (before, full, freed) == (
        DatabaseState.OK,
        DatabaseState.NOT_WRITABLE,
        DatabaseState.OK,
    )
