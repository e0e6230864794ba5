"""The per-process caches listeners share through `Deps`."""

from __future__ import annotations

from bot.deps import CachedReply, ReplyCache
from bot.enums import Language


def _reply(version: int) -> CachedReply:
    return CachedReply(version=version, language=Language.FR, timezone=None, body="{}")


def test_reply_cache_forgets_the_least_recently_asked_beyond_its_capacity():
    cache = ReplyCache(capacity=2)
    cache.put("a", _reply(1))
    cache.put("b", _reply(1))
    cache.get("a")  # asked again: "b" is now the oldest

    cache.put("c", _reply(1))

    assert [cache.get(key) is not None for key in ("a", "b", "c")] == [True, False, True]


def test_reply_cache_keeps_the_last_answer_put_for_a_key():
    cache = ReplyCache()
    cache.put("a", _reply(1))

    cache.put("a", _reply(2))

    assert cache.get("a") == _reply(2)
