"""The Matrix side of the bot: commands read by the transport, run by `commands`, and
their answers sent where they belong. `MatrixRunner` runs it all on its own event loop
in a thread, beside Slack's server in the same process.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import t
from bot.matrix.commands import (
    Audience,
    CommandDeps,
    MatrixCommand,
    MatrixReply,
    command_text,
    command_word,
    run_command,
)
from bot.matrix.render import matrix_content
from bot.matrix.transport import IncomingCommand, MatrixSendError, MatrixTransport
from bot.slack.blocks.common import text_message

logger = logging.getLogger(__name__)


class MatrixService:
    """Reads `!partage` commands from every room the bot is in and answers them."""

    def __init__(self, settings: Settings, db: sessionmaker[Session], clock: Clock) -> None:
        self.deps = CommandDeps(settings=settings, db=db, clock=clock)
        self.word = command_word(settings)
        self.transport = MatrixTransport(
            settings,
            on_command=self._enqueue,
            on_synced=self._synced,
            is_command=lambda body: command_text(body, self.word) is not None,
        )
        # Commands to answer, and after a sync's commands the sync token to save then.
        self._queue: asyncio.Queue[IncomingCommand | str] | None = None

    async def start(self, *, budget_seconds: float = 0.0) -> None:
        await self.transport.start(budget_seconds=budget_seconds)

    async def close(self) -> None:
        await self.transport.close()

    async def run(self, stop: asyncio.Event) -> None:
        """Sync until `stop`; commands are worked one at a time, in the order read, by a
        worker beside the sync (an answer may need a sync: a new direct room)."""
        self._queue = asyncio.Queue()
        worker = asyncio.ensure_future(self._work(self._queue))
        try:
            await self.transport.run(stop)
        finally:
            worker.cancel()

    async def _enqueue(self, incoming: IncomingCommand) -> None:
        if self._queue is not None:
            self._queue.put_nowait(incoming)

    async def _synced(self, token: str) -> None:
        if self._queue is not None:
            self._queue.put_nowait(token)

    async def _work(self, queue: asyncio.Queue[IncomingCommand | str]) -> None:
        while True:
            incoming = await queue.get()
            if isinstance(incoming, str):
                # Every command of that sync is answered: a restart resumes after it.
                self.transport.save_sync_token(incoming)
                continue
            try:
                await self.handle(incoming)
            except Exception:
                logger.exception(
                    "Matrix: command %s in %s failed", incoming.event_id, incoming.room_id
                )

    async def handle(self, incoming: IncomingCommand) -> None:
        """Run one command and send its answers, each with a transaction id made from the
        command's event id: a command read twice (a sync replayed after a crash) answers
        once."""
        transport = self.transport
        command = MatrixCommand(
            room_id=incoming.room_id,
            sender=incoming.sender,
            text=command_text(incoming.body, self.word) or "",
            power_level=transport.power_level(incoming.room_id, incoming.sender),
            in_direct_room=incoming.room_id in transport.direct_rooms(),
            sender_name=transport.display_name(incoming.sender, incoming.room_id),
        )
        try:
            replies = await asyncio.to_thread(run_command, self.deps, command)
        except SQLAlchemyError:
            logger.exception("Matrix: database error on %s", incoming.event_id)
            replies = [self._apology("error.database")]
        except Exception:
            logger.exception("Matrix: unexpected error on %s", incoming.event_id)
            replies = [self._apology("error.unexpected")]
        for index, reply in enumerate(replies):
            await self._send(incoming, reply, f"partage.{incoming.event_id}.{index}")

    def _apology(self, key: str) -> MatrixReply:
        return MatrixReply(Audience.MEMBER, text_message(t(self.deps.settings.bot_language, key)))

    async def _send(self, incoming: IncomingCommand, reply: MatrixReply, txn_id: str) -> None:
        transport = self.transport
        try:
            if reply.audience is Audience.ROOM:
                room_id = incoming.room_id
            else:
                room_id = await transport.direct_room(incoming.sender)
            content = matrix_content(
                reply.message,
                command=self.word,
                names=lambda user: transport.display_name(user, incoming.room_id),
            )
            await transport.send(room_id, content, txn_id=txn_id)
        except (MatrixSendError, TimeoutError) as error:
            logger.warning("Matrix: answer %s not sent: %s", txn_id, error)


class MatrixRunner:
    """The Matrix service on its own asyncio loop in a thread: `start` returns once the
    bot is connected (or raises its MatrixStartupError), `stop` ends the sync."""

    def __init__(self, service: MatrixService) -> None:
        self.service = service
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None

    def start(self, *, budget_seconds: float = 0.0) -> None:
        self._thread = threading.Thread(
            target=asyncio.run,
            args=(self._main(budget_seconds),),
            name="matrix",
            daemon=True,
        )
        self._thread.start()
        self._ready.wait()
        if self._error is not None:
            self._thread.join()
            raise self._error

    async def _main(self, budget_seconds: float) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        try:
            await self.service.start(budget_seconds=budget_seconds)
        except BaseException as error:
            self._error = error
            await self.service.close()
            self._ready.set()
            return
        self._ready.set()
        try:
            await self.service.run(self._stop)
        finally:
            await self.service.close()

    def call(self, coroutine: Any, timeout: float = 30.0) -> Any:
        """Run a coroutine on the service's loop from another thread (tests, tools)."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        if self._loop is not None and self._stop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(timeout)
