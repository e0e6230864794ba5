"""`/calendar/<token>.ics` on the Socket Mode health server (the HTTP app is covered end
to end in tests/slack/listeners/test_calendar.py), and the ETag rules."""

from __future__ import annotations

import http.client
import socket
import threading
import time

import pytest
import uvicorn

from bot.calendar.feed import CalendarFeed
from bot.enums import Language
from bot.web import build_health_app, etag_matches, etag_of
from tests.calendar.test_feed import NOW, seed
from tests.support.clock import ManualClock


def serve(app: object) -> tuple[uvicorn.Server, int, threading.Thread]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    return server, sock.getsockname()[1], thread


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("etag") or ""
    finally:
        connection.close()


def test_health_server_serves_the_feed_404_and_304(db, engine):
    token = seed(db)
    feed = CalendarFeed(
        db, ManualClock(NOW), default_language=Language.FR, default_timezone="Europe/Paris"
    )
    server, port, thread = serve(build_health_app(engine, is_connected=lambda: True, feed=feed))
    try:
        ok, etag = get(port, f"/calendar/{token}.ics")
        cached, _ = get(port, f"/calendar/{token}.ics", {"If-None-Match": f'W/{etag}, "other"'})
        missing, _ = get(port, f"/calendar/{'A' * 43}.ics")
        health, _ = get(port, "/healthz")
    finally:
        server.should_exit = True
        thread.join(timeout=5)

    assert (ok, cached, missing, health) == (200, 304, 404, 200)


def test_health_server_without_public_url_has_no_feed(engine):
    server, port, thread = serve(build_health_app(engine, is_connected=lambda: True))
    try:
        status, _ = get(port, f"/calendar/{'A' * 43}.ics")
    finally:
        server.should_exit = True
        thread.join(timeout=5)

    assert status == 404


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        (None, False),
        ("", False),
        ('"abc"', False),
        ("*", True),
        ('"abc", ETAG', True),
        ("W/ETAG", True),
    ],
)
def test_etag_matches_lists_weak_tags_and_star(header, matches):
    etag = etag_of(b"BEGIN:VCALENDAR")

    assert etag_matches(header.replace("ETAG", etag) if header else header, etag) is matches
