"""The shared counters (bot/limits.py) behave the same in memory and in Redis, and what uses
them counts across processes: the web chat's limits and the console's logins."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from bot import webchat
from bot.limits import MemoryStore, RedisStore
from bot.settings import ROOT
from tests.e2e import free_port


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    if not (shutil.which("redis-server") or Path("/usr/bin/redis-server").exists()):
        pytest.skip("needs Debian's redis-server (make test installs it)")
    env = {**os.environ, "PASS_REDIS_PORT": str(free_port()), "PASS_REDIS_DIR": str(tmp_path_factory.mktemp("redis"))}
    url = subprocess.run([str(ROOT / "scripts/redis.sh"), "start"], env=env, check=True, capture_output=True,
                         text=True).stdout.strip()
    yield url
    subprocess.run([str(ROOT / "scripts/redis.sh"), "stop"], env=env)


@pytest.fixture(params=["memory", "redis"])
def store(request):
    return MemoryStore() if request.param == "memory" else RedisStore(request.getfixturevalue("redis_url"),
                                                                      prefix=f"test:{time.time_ns()}:")


def test_counts_and_holds_expire(store):
    assert [store.hit("k", 0.5) for _ in range(3)] == [1, 2, 3]
    store.hold("w", 0.5)
    assert 0 < store.held_for("w") <= 0.5 and store.held_for("other") == 0
    time.sleep(0.7)
    assert store.hit("k", 0.5) == 1 and store.held_for("w") == 0  # a new window
    store.clear("k")
    assert store.count("k") == 0


def test_two_replicas_share_the_web_chat_limits(store):
    first, second = webchat.RateLimiter(3, new_per_hour=2, store=store), webchat.RateLimiter(3, new_per_hour=2,
                                                                                            store=store)
    assert [first.allow("conv"), second.allow("conv"), first.allow("conv"), second.allow("conv")] == [
        True, True, True, False]  # counted together, not three on each
    assert [first.allow_new("10.1.2.3"), second.allow_new("10.1.2.3"), first.allow_new("10.1.2.3")] == [
        True, True, False]
    assert second.allow_new("10.9.9.9")  # another address is not held back


def test_the_keys_never_hold_the_conversation_id_nor_the_address(redis_url):
    store = RedisStore(redis_url, prefix="test:keys:")
    webchat.RateLimiter(3, store=store).allow("web-secret-conversation")
    webchat.RateLimiter(3, store=store).allow_new("10.7.7.7")
    keys = [k.decode() for k in store.redis.keys("test:keys:*")]
    assert len(keys) == 2 and not any("secret" in k or "10.7.7.7" in k for k in keys)


def test_with_redis_away_the_web_chat_still_answers():
    """Redis killed: the web chat's posts got a bare 500; the limits let the person through."""
    limiter = webchat.RateLimiter(3, new_per_hour=2, store=RedisStore("redis://127.0.0.1:1/0"))
    assert limiter.allow("conv") and limiter.allow_new("10.1.2.3")
