"""How `make run` / `make run-prod` start Rasa (bot/launcher.py)."""
from pathlib import Path

from rasa.__main__ import create_argument_parser

from bot import launcher, serve, settings


def test_rasa_starts_whatever_its_random_token_begins_with(tmp_path, monkeypatch):
    # token_urlsafe draws "-" first once in 64: `make run` refused to start on such a token.
    monkeypatch.setenv("PASS_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("RASA_TOKEN", "-2e1Z9a2uYuUONRN1atqS2zMnZgYTjTillfxsnHvrhQ")
    cfg = settings.load()
    rasa = [s for s in launcher.services(cfg, Path("model.tar.gz")) + launcher.prod_services(cfg, Path("model.tar.gz"))
            if s.argv[2:4] == ["bot.serve", "rasa"]]
    assert len(rasa) == 3  # the dev server and the two production replicas
    for service in rasa:
        assert not any(cfg.rasa_token in arg for arg in service.argv)  # `ps` shows a command line
        # What `python -m rasa` reads, handed over in memory by bot/serve.py.
        args = create_argument_parser().parse_args(serve.rasa_argv(service.argv[4:], cfg.rasa_token)[1:])
        assert args.auth_token == "-2e1Z9a2uYuUONRN1atqS2zMnZgYTjTillfxsnHvrhQ"
        assert args.enable_api


def test_a_process_that_keeps_dying_is_restarted_ever_later_and_the_others_go_on(capsys):
    import sys
    import time

    crashing = launcher.Service("crashing", [sys.executable, "-c", "raise SystemExit(3)"], None, "crashing")
    steady = launcher.Service("steady", [sys.executable, "-c", "import time; time.sleep(60)"], None, "steady")
    runner = launcher.Launcher([crashing, steady], {})
    runner.start()
    try:
        steady_pid = runner.supervised["steady"].process.pid
        now, delays = time.monotonic(), []
        for _ in range(4):
            runner.supervised["crashing"].process.wait()
            died_at = now
            while not runner.supervise_once(now, check_health=False):
                now += 0.25
            delays.append(now - died_at)
        assert delays == sorted(delays) and delays[-1] >= 4 * delays[0]  # 1 s, 2 s, 4 s, 8 s
        assert runner.supervised["crashing"].restarts == 4
        assert runner.supervised["steady"].process.pid == steady_pid  # never touched
        assert "crashing exited with code 3: restarting in" in capsys.readouterr().out
        assert runner.states()["steady"].startswith("up")
    finally:
        runner.stop()


def test_what_a_killed_process_leaves_behind_goes_before_it_is_started_again(tmp_path):
    """kill -9 of nginx's master left its worker holding the ports: the new nginx never bound
    them and was restarted forever. The dead service's whole process group goes first."""
    import os
    import signal
    import subprocess
    import sys
    import time

    child_pid = tmp_path / "child.pid"
    script = ("import subprocess, sys, time; "
              "c = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); "
              f"open({str(child_pid)!r}, 'w').write(str(c.pid)); time.sleep(60)")
    master = launcher.Service("master", [sys.executable, "-c", script], None, "master")
    runner = launcher.Launcher([master], {})
    runner.start()
    try:
        deadline = time.monotonic() + 10
        while not child_pid.exists() or not child_pid.read_text():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        worker = int(child_pid.read_text())
        os.kill(runner.supervised["master"].process.pid, signal.SIGKILL)  # the master only
        runner.supervised["master"].process.wait()
        runner.supervise_once(time.monotonic(), check_health=False)
        deadline = time.monotonic() + 5
        while subprocess.run(["ps", "-o", "stat=", "-p", str(worker)], capture_output=True, text=True).stdout.strip()[:1] not in ("", "Z"):
            assert time.monotonic() < deadline, "the orphaned worker is still running"
            time.sleep(0.05)
    finally:
        runner.stop()


def test_make_run_prods_postgresql_and_redis_killed_are_restarted_and_answer_again(monkeypatch):
    """`make run-prod` hands PostgreSQL and Redis to the launcher (PASS_SUPERVISED_STORES=1): a
    store killed with SIGKILL comes back like any other process, with its data."""
    import glob
    import os
    import shutil
    import subprocess
    import tempfile
    import time

    import pytest
    import sqlalchemy

    from bot.settings import ROOT
    from tests.e2e import free_port

    if not glob.glob("/usr/lib/postgresql/*/bin/postgres") or not shutil.which("redis-server"):
        pytest.skip("needs Debian's postgresql and redis-server (make test installs them)")
    home = Path(tempfile.mkdtemp(prefix="pass-stores-"))
    home.chmod(0o755)  # the postgres user keeps its cluster in here
    pg_port, redis_port = free_port(), free_port()
    for name, value in {"PASS_SUPERVISED_STORES": "1", "PASS_TEST_PG_PORT": str(pg_port),
                        "PASS_PG_DIR": str(home / "postgres"), "PASS_REDIS_PORT": str(redis_port),
                        "PASS_REDIS_DIR": str(home / "redis")}.items():
        monkeypatch.setenv(name, value)
    url = subprocess.run([str(ROOT / "scripts/postgres.sh"), "prepare", "pass"], check=True, capture_output=True,
                         text=True).stdout.strip()
    stores = launcher.store_services()
    assert [s.name for s in stores] == ["postgres", "redis"]
    runner = launcher.Launcher(stores, dict(os.environ))
    try:
        runner.start(until_wave=launcher.STORES_WAVE)
        engine = sqlalchemy.create_engine(url, poolclass=sqlalchemy.pool.NullPool)
        with engine.begin() as db:
            db.execute(sqlalchemy.text("CREATE TABLE kept (n int)"))
            db.execute(sqlalchemy.text("INSERT INTO kept VALUES (7)"))
        for name in ("postgres", "redis"):
            runner.kill(name)
            now = time.monotonic()
            while not runner.supervise_once(now, check_health=False):
                now += 0.5
            runner.wait_until_ready([runner._service(name)])
            assert runner.supervised[name].restarts == 1
        with engine.begin() as db:
            assert db.execute(sqlalchemy.text("SELECT n FROM kept")).scalar_one() == 7
        assert subprocess.run(["redis-cli", "-p", str(redis_port), "ping"], capture_output=True,
                              text=True).stdout.strip() == "PONG"
    finally:
        runner.stop()
        shutil.rmtree(home, ignore_errors=True)
    # Stopped, nothing of them is left: the ports are free for the next start.
    assert subprocess.run(["redis-cli", "-p", str(redis_port), "ping"], capture_output=True).returncode != 0
    assert not runner.healthy(stores[0])
