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
