"""`make bench`: our assistant (production profile) side by side with the stock `rasa init` bot,
bare and in the equivalent set-up (bench/stock_equivalent.py: custom actions, SQL tracker store
on the same PostgreSQL, Redis lock store, two replicas behind nginx), in the same run on the same
machine. Writes bench/results/<date>.json and prints the markdown
tables of docs/benchmarks.md.

Measured: cold training time; REST throughput and p50/p95/p99 latency at 1, 10 and 50 concurrent
conversations (ours: real screenings, actions and databases included; stock: greet / mood /
affirm / goodbye), with the CPU time per message of each kind of process; NLU parse latency; resident memory of every process; SMS segments of a
screening + rights checklist + booking (every language); 10 000 due reminders through the real SMS
workers to the fake Twilio. The machine may be shared: the load average is recorded.
"""
from __future__ import annotations

import json
import re
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, reminders, stock_equivalent  # noqa: E402
from bot import interview  # noqa: E402
from bot.rendering import SMS, render  # noqa: E402
from bot.responses import LANGUAGE_NAMES  # noqa: E402
from bot.sms import join_turn, segments  # noqa: E402
from tests.e2e import free_port  # noqa: E402

CONCURRENCY = (1, 10, 50)
SECONDS_PER_LEVEL = float(os.environ.get("BENCH_SECONDS", "15"))
REMINDERS = int(os.environ.get("BENCH_REMINDERS", "10000"))
PG_PORT, REDIS_PORT = os.environ.get("BENCH_PG_PORT", "54391"), os.environ.get("BENCH_REDIS_PORT", "63791")
OUR_SCREENING = ["bonjour", "1", "oui", "oui", "1", "non", "oui"]  # French, to the outcome (actions run)
STOCK_CONVERSATION = ["hello", "I am sad", "yes", "bye"]  # moodbot: greet, mood_unhappy, affirm, goodbye
PARSE_TEXTS = ["bonjour", "je n'ai pas de papiers", "oui", "I have no insurance", "مرحبا", "je vis à Saint-Denis"]
STOCK_PARSE_TEXTS = ["hello", "I am sad", "yes", "great", "goodbye", "no"]
# A screening to the rights checklist and a booking, in every language: the person greets in
# their language, picks it from the menu, then answers by the numbers the SMS lists (1 = yes,
# 2 = no) and by figures, as many do on a basic phone. Non-EU, no permit, 8 months in France.
GREETINGS = {"fr": "bonjour", "en": "hello", "ar": "مرحبا", "ro": "buna ziua", "bn": "নমস্কার", "fa": "سلام",
             "es": "hola", "pt": "ola"}
SCREENING_ANSWERS = ["1", "1", "1", "2", "1"]  # consent, health problem, no cover, cannot advance, lives here
RIGHTS_ANSWERS = {"urgent": "2", "nationality_group": "3", "residence_status": "4", "age": "30",
                  "months_in_france": "8", "prior_ame_end": "1", "household_size": "1", "annual_resources": "0",
                  "has_stable_address": "1", "has_domiciliation": "1", "hosted_by_third_party": "2",
                  "has_photo_id": "1", "unaccompanied_minor": "2"}
# The REST channel is off in the production profile without a token: the bench drives it with one.
os.environ.setdefault("PASS_REST_TOKEN", "bench-rest-token")
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "LOG_LEVEL": "WARNING"}


def timed(argv: list[str], **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return round(time.perf_counter() - started, 1)


def wait_for(url: str, process: subprocess.Popen, seconds: float = 400) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited while starting: {url}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError(f"not ready: {url}")


def process_tree(root_pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root_pid]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


def role(pid: int) -> str | None:
    """What a process is, for the CPU table (None: not one we count)."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None
    for needle, name in (("bot.serve rasa", "Rasa"), ("rasa run", "Rasa"), ("bot.serve actions", "action servers"),
                         ("rasa_sdk", "action servers"), ("nginx", "nginx"), ("postgres", "PostgreSQL"),
                         ("redis", "Redis"), ("sms worker", "SMS workers")):
        if needle in command:
            return name
    return "other"


def cpu_seconds(roots: list[int]) -> dict[str, float]:
    """CPU time (user + system) so far of every process under `roots`, summed by role."""
    ticks = os.sysconf("SC_CLK_TCK")
    found: dict[str, float] = {}
    for pid in {p for root in roots for p in process_tree(root)}:
        name = role(pid)
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if name:
            found[name] = found.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / ticks
    return found


def store_pids() -> list[int]:
    """PostgreSQL's postmaster and Redis, as scripts/*.sh started them for the bench."""
    found = []
    for pid_file in (Path(f"/tmp/pass-test-pg-{PG_PORT}/postmaster.pid"), Path(f"/tmp/pass-redis-{REDIS_PORT}/redis.pid")):
        try:
            found.append(int(pid_file.read_text().split()[0]))
        except (OSError, ValueError, IndexError):
            pass
    return found


def measured(url: str, messages: list[str], concurrency: int, roots: list[int]) -> dict:
    """One load level, with the CPU time per message of each role (ms) while it ran."""
    before = cpu_seconds(roots)
    result = load.run(f"{url}/webhooks/rest/webhook", messages, concurrency, SECONDS_PER_LEVEL)
    after = cpu_seconds(roots)
    count = max(result["messages"], 1)
    result["cpu_ms_per_message"] = {name: round((after[name] - before.get(name, 0.0)) * 1000 / count, 2)
                                    for name in sorted(after)}
    return result


def memory(root_pid: int) -> dict[str, float]:
    """Resident memory (MB) of every process under root_pid, named by its command line."""
    found = {}
    for pid in process_tree(root_pid):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        rss = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        command = " ".join(a.decode(errors="replace") for a in argv if a)
        name = re.sub(r"\S*/(\S+)", r"\1", command)[:100]  # paths shortened to their last part
        found[f"{pid} {name}"] = round(rss / 1024, 1)
    return found


def sms_path(base: str, language: str) -> tuple[str, list[tuple[str, list[str]]]]:
    """One screening + rights checklist + booking over REST rendered as SMS: the conversation id
    and each turn as (what the person wrote, the texts the assistant answered)."""
    menu_number = str(list(LANGUAGE_NAMES).index(language) + 1)
    sender = f"bench-sms-{language}-{time.time_ns()}"
    turns: list[tuple[str, list[str]]] = []

    def say(text: str) -> list[str]:
        reply = requests.post(f"{base}/webhooks/rest/webhook", json={"sender": sender, "message": text, "metadata": {"render": "sms"}},
                              headers={"Authorization": f"Bearer {os.environ['PASS_REST_TOKEN']}"}, timeout=60)
        reply.raise_for_status()
        texts = [m.get("text", "") for m in reply.json() if m.get("text")]
        turns.append((text, texts))
        return texts

    for text in [GREETINGS[language], menu_number, *SCREENING_ANSWERS]:
        texts = say(text)
    while True:
        fact = next((f for f, q in interview.QUESTIONS.items()
                     if texts and texts[-1].startswith(render(q.response, language, SMS).text)), None)
        if fact is None:
            break
        texts = say(RIGHTS_ANSWERS[fact])
    say("1")  # the first time offered
    return sender, turns


def screening_segments(base: str, language: str) -> dict:
    """SMS segments the assistant sends for one screening + rights checklist + booking."""
    sender, turns = sms_path(base, language)
    slots = requests.get(f"{base}/conversations/{sender}/tracker", params={"token": "bench-token"}, timeout=30).json()["slots"]
    sms = [message for _, texts in turns for message in join_turn(texts)]
    return {"turns": len(turns), "sms": len(sms), "segments": sum(segments(m) for m in sms),
            "booked": slots.get("has_appointment") is True}


def start_ours(var_dir: Path) -> tuple[subprocess.Popen, dict, list[str]]:
    stores = {**ENV, "PASS_TEST_PG_PORT": PG_PORT, "PASS_REDIS_PORT": REDIS_PORT}
    pg = subprocess.run([str(ROOT / "scripts/postgres.sh"), "start", "pass", "pass_tracker", "pass_reminders",
                         "stock_tracker"],
                        env=stores, check=True, capture_output=True, text=True).stdout.strip()
    redis = subprocess.run([str(ROOT / "scripts/redis.sh"), "start"], env=stores, check=True,
                           capture_output=True, text=True).stdout.strip()
    ports = {name: free_port() for name in ("rasa", "action", "r1", "r2", "a1", "a2")}
    env = {**ENV, "PASS_VAR_DIR": str(var_dir), "DATABASE_URL": pg, "TRACKER_DATABASE_URL": pg[:-len("/pass")] + "/pass_tracker",
           "REDIS_URL": redis, "RASA_PORT": str(ports["rasa"]), "ACTION_PORT": str(ports["action"]),
           "RASA_REPLICA_PORTS": f"{ports['r1']},{ports['r2']}", "ACTION_REPLICA_PORTS": f"{ports['a1']},{ports['a2']}",
           "RASA_TOKEN": "bench-token"}
    cli = lambda *args: subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, check=True,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cli("db", "upgrade")
    cli("workers", "add", "AS bench", "--site", "cms_1", "--weekly",
        "mon 09:00-17:00, tue 09:00-17:00, wed 09:00-17:00, thu 09:00-17:00, fri 09:00-17:00")
    cli("slots", "generate", "--days", "21")
    log = (var_dir / "launcher.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "bot", "run", "--profile", "prod"], cwd=ROOT, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 400
    while "The PASS assistant is running" not in (var_dir / "launcher.log").read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("our assistant did not start:\n" + (var_dir / "launcher.log").read_text()[-3000:])
        time.sleep(1)
    return process, {**env, "url": f"http://127.0.0.1:{ports['rasa']}"}, [pg[:-len("/pass")] + "/pass_reminders"]


def stop_stores() -> None:
    stores = {**ENV, "PASS_TEST_PG_PORT": PG_PORT, "PASS_REDIS_PORT": REDIS_PORT}
    subprocess.run([str(ROOT / "scripts/redis.sh"), "stop"], env=stores)
    subprocess.run([str(ROOT / "scripts/postgres.sh"), "stop"], env=stores)


def stop(process: subprocess.Popen | None, sig=signal.SIGINT) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> int:
    started = time.perf_counter()
    results: dict = {"date": date.today().isoformat(), "cpus": os.cpu_count(), "load_average_start": os.getloadavg()}
    ours = stock = None
    equivalent: list[subprocess.Popen] = []
    with tempfile.TemporaryDirectory(prefix="pass-bench-") as temp:
        temp = Path(temp)
        try:
            print("training (cold cache)...", flush=True)
            (temp / "stock").mkdir()
            results["training_s"] = {
                "ours": timed([sys.executable, "-m", "bot", "train", "--force"], cwd=ROOT,
                              env={**ENV, "RASA_CACHE_DIRECTORY": str(temp / "cache-ours")}),
                "stock": timed([sys.executable, "-m", "rasa", "init", "--no-prompt", "--init-dir", str(temp / "stock")],
                               cwd=temp, env={**ENV, "RASA_CACHE_DIRECTORY": str(temp / "cache-stock")}),
            }
            stock_equivalent.prepare(temp / "stock", temp / "stock-sql")
            results["training_s"]["equivalent"] = timed(
                [sys.executable, "-m", "rasa", "train"], cwd=temp / "stock-sql",
                env={**ENV, "RASA_CACHE_DIRECTORY": str(temp / "cache-equivalent")})
            print("starting the three assistants...", flush=True)
            (temp / "var").mkdir()
            ours, env, (reminders_db,) = start_ours(temp / "var")
            stock_port = free_port()
            stock = subprocess.Popen([sys.executable, "-m", "rasa", "run", "--enable-api", "-i", "127.0.0.1", "-p",
                                      str(stock_port), "--model", "models"], cwd=temp / "stock", env=ENV,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            stock_url = f"http://127.0.0.1:{stock_port}"
            wait_for(f"{stock_url}/", stock)
            ports = {name: free_port() for name in ("rasa", "actions", "r1", "r2", "a1", "a2")}
            equivalent = stock_equivalent.start(temp / "stock-sql", ports, PG_PORT, REDIS_PORT, "stock_tracker", ENV,
                                                wait_for)
            stores = store_pids()
            systems = (("ours", env["url"], OUR_SCREENING, [ours.pid, *stores]),
                       ("stock", stock_url, STOCK_CONVERSATION, [stock.pid]),
                       ("equivalent", f"http://127.0.0.1:{ports['rasa']}", STOCK_CONVERSATION,
                        [p.pid for p in equivalent] + stores))
            for name, url, messages, _ in systems:
                load.run(f"{url}/webhooks/rest/webhook", messages, 2, 3)  # warm up
            results["rest"] = {name: [] for name, *_ in systems}
            for concurrency in CONCURRENCY:
                for name, url, messages, roots in systems:
                    print(f"REST {name} at {concurrency}...", flush=True)
                    results["rest"][name].append(measured(url, messages, concurrency, roots))
            results["parse"] = {
                "ours": load.parse_latency(f"{env['url']}/model/parse?token=bench-token", PARSE_TEXTS, 200),
                "stock": load.parse_latency(f"{stock_url}/model/parse", STOCK_PARSE_TEXTS, 200)}
            results["memory_mb"] = {"ours": memory(ours.pid), "stock": memory(stock.pid)}
            print("SMS segments...", flush=True)
            results["sms_segments"] = {language: screening_segments(env["url"], language)
                                       for language in GREETINGS}
            stop(stock)
            for process in equivalent:
                stop(process, signal.SIGTERM)
            stop(ours)
            print(f"{REMINDERS} reminders...", flush=True)
            results["reminders"] = reminders.run(reminders_db, str(temp / "var"), REMINDERS)
        finally:
            stop(stock)
            for process in equivalent:
                stop(process, signal.SIGTERM)
            stop(ours)
            stop_stores()
    results["load_average_end"] = os.getloadavg()
    results["bench_seconds"] = round(time.perf_counter() - started)
    out = ROOT / "bench" / "results" / f"{results['date']}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten {out.relative_to(ROOT)}\n")
    print(table(results))
    return 0


def table(r: dict) -> str:
    ours, stock = r["rest"]["ours"], r["rest"]["stock"]
    lines = [f"Measured {r['date']} on {r['cpus']} cores (load average "
             f"{r['load_average_start'][0]:.1f} at the start, {r['load_average_end'][0]:.1f} at the end); "
             f"`make bench` took {r['bench_seconds']} s.", "",
             "| REST, concurrent conversations | ours msg/s | ours p50 / p95 / p99 ms | stock msg/s | stock p50 / p95 / p99 ms | ratio ours/stock |",
             "|---|---|---|---|---|---|"]
    for o, s in zip(ours, stock):
        ratio = o["messages_per_s"] / s["messages_per_s"] if s["messages_per_s"] else float("nan")
        lines.append(f"| {o['concurrency']} | {o['messages_per_s']} ({o['conversations_per_s']} screenings/s, "
                     f"{o['errors']} errors) | {o['p50_ms']} / {o['p95_ms']} / {o['p99_ms']} | {s['messages_per_s']} "
                     f"({s['errors']} errors) | {s['p50_ms']} / {s['p95_ms']} / {s['p99_ms']} | {ratio:.2f}× |")
    equivalent = r["rest"].get("equivalent")
    if equivalent:
        lines += ["", "| REST, concurrent conversations | equivalent stock msg/s | equivalent p50 / p95 / p99 ms | ratio ours/equivalent |",
                  "|---|---|---|---|"]
        for o, e in zip(ours, equivalent):
            ratio = o["messages_per_s"] / e["messages_per_s"] if e["messages_per_s"] else float("nan")
            lines.append(f"| {o['concurrency']} | {e['messages_per_s']} ({e['errors']} errors) | "
                         f"{e['p50_ms']} / {e['p95_ms']} / {e['p99_ms']} | {ratio:.2f}× |")
    roles = sorted({name for runs in r["rest"].values() for run in runs for name in run.get("cpu_ms_per_message", {})})
    if roles:
        lines += ["", "| CPU ms per message | conversations | " + " | ".join(roles) + " | all |",
                  "|---|---|" + "---|" * (len(roles) + 1)]
        for system, runs in r["rest"].items():
            for run in runs:
                cpu = run.get("cpu_ms_per_message", {})
                lines.append(f"| {system} | {run['concurrency']} | " + " | ".join(str(cpu.get(n, "–")) for n in roles)
                             + f" | {sum(cpu.values()):.1f} |")
    p, t = r["parse"], r["training_s"]
    lines += ["", "| other | ours | stock `rasa init` |", "|---|---|---|",
              f"| NLU parse p50 / p95 | {p['ours']['p50_ms']} / {p['ours']['p95_ms']} ms | {p['stock']['p50_ms']} / {p['stock']['p95_ms']} ms |",
              f"| training, cold cache | {t['ours']} s | {t['stock']} s (init + training); equivalent "
              f"{t.get('equivalent', '–')} s |",
              f"| memory (RSS, all processes) | {sum(r['memory_mb']['ours'].values()):.0f} MB | {sum(r['memory_mb']['stock'].values()):.0f} MB |"]
    for language, s in r["sms_segments"].items():
        lines.append(f"| SMS, screening + checklist + booking ({language}) | {s['segments']} segments in {s['sms']} SMS, "
                     f"{s['turns']} turns{'' if s['booked'] else ', NOT BOOKED'} | – |")
    m = r["reminders"]
    lines.append(f"| {m['reminders']} due reminders, {m['workers']} workers → fake Twilio | {m['seconds']} s "
                 f"({m['per_second']}/s), exactly once: {'yes' if m['exactly_once'] else 'NO'} | – |")
    lines += ["", "Memory per process (MB): " + "; ".join(f"{k.split(' ', 1)[1]} {v}" for k, v in r["memory_mb"]["ours"].items())]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
