"""Global Bolt middlewares called directly, without Bolt's keyword injection.

Bolt rebuilds a function middleware's keyword arguments on every request (inspecting its
signature's names), which costs more than what the bot's middlewares do: measured on
`/partage programme`, about a fifth of the bot's own time per request. A `Middleware`
subclass is called as `process(req=, resp=, next=)` instead.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

# (the request, the response so far, next) -> an answer that ends the chain, or None.
Step = Callable[[BoltRequest, BoltResponse, Callable[[], object]], BoltResponse | None]


class DirectMiddleware(Middleware):
    def __init__(self, name: str, step: Step) -> None:
        self._name = name
        self._step = step

    @property
    def name(self) -> str:
        return self._name

    def process(
        self,
        *,
        req: BoltRequest,
        resp: BoltResponse,
        next: Callable[[], BoltResponse],  # Bolt's name for it
    ) -> BoltResponse | None:
        answer = self._step(req, resp, next)
        return resp if answer is None else answer
