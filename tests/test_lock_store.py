"""The Redis lock of the production profile (bot/channels/lock_store.py) against a real Redis:
messages of one conversation reaching two replicas at the same moment are handled one after
the other, never at once (at once, one of them would be lost from the conversation)."""
import asyncio
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from rasa.utils.endpoints import EndpointConfig

from bot.channels.lock_store import AtomicRedisLockStore
from tests.e2e import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory):
    if not (shutil.which("redis-server") or Path("/usr/bin/redis-server").exists()):
        pytest.skip("redis-server is installed by `make test`")
    port = str(free_port())
    env = {"PATH": "/usr/sbin:/usr/bin:/bin", "PASS_REDIS_PORT": port,
           "PASS_REDIS_DIR": str(tmp_path_factory.mktemp("redis"))}
    subprocess.run([str(ROOT / "scripts/redis.sh"), "start"], env=env, check=True, capture_output=True)
    yield port
    subprocess.run([str(ROOT / "scripts/redis.sh"), "stop"], env=env)


def replica(port: str) -> AtomicRedisLockStore:
    """A lock store as a Rasa replica builds it from endpoints.prod.yml."""
    return AtomicRedisLockStore(EndpointConfig.from_dict(
        {"type": "bot.channels.lock_store.AtomicRedisLockStore", "url": "127.0.0.1", "port": port, "db": 0,
         "key_prefix": "pass"}))


def test_tickets_asked_for_at_the_same_moment_by_many_replicas_are_all_different(redis_port):
    stores = [replica(redis_port) for _ in range(8)]
    tickets, start = [], threading.Barrier(8)

    def ask(store):
        start.wait()
        for _ in range(25):
            tickets.append(store.issue_ticket("same-person"))

    threads = [threading.Thread(target=ask, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(tickets) == list(range(200))


def test_turns_of_one_conversation_on_two_replicas_never_overlap(redis_port):
    inside, most_inside, done, count = [0], [0], [], threading.Lock()

    async def turns(store, first):
        for n in range(first, first + 15):
            async with store.lock("one-conversation", wait_time_in_seconds=0.01):
                with count:
                    inside[0] += 1
                    most_inside[0] = max(most_inside[0], inside[0])
                await asyncio.sleep(0.005)  # the turn's work
                with count:
                    inside[0] -= 1
                done.append(n)

    # Two replicas: two processes in production, two threads with their own event loop here.
    replicas = [threading.Thread(target=lambda f=first: asyncio.run(turns(replica(redis_port), f)))
                for first in (0, 15)]
    for r in replicas:
        r.start()
    for r in replicas:
        r.join()
    assert sorted(done) == list(range(30))
    assert most_inside[0] == 1
    assert replica(redis_port).get_lock("one-conversation") is None  # nothing left behind
