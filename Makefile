# The two commands: `make run` and `make test`. Everything else is a step they depend on.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PO_FILES := $(wildcard locales/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
export RASA_TELEMETRY_ENABLED := false

.PHONY: run run-prod backup restore bench test personas install catalogs catalogs-update train db lock nlu-compare nlu-report sms-report clean

# On an empty development database, demo openings (two demo social workers, 4 weeks, both sites:
# bot/booking/demo.py) so that the whole path can be tried; `make run-prod` never adds them.
PASS_DEMO ?= 1
run: install catalogs
	PASS_DEMO=$(PASS_DEMO) $(PY) -m bot run

# The production profile on this machine: PostgreSQL and Redis from Debian's packages on loopback
# (data kept in var/postgres and var/redis), nginx in front of two Rasa and two action servers.
# The launcher runs PostgreSQL and Redis too, and restarts them like every other process.
PROD_PG_PORT ?= 54330
PROD_REDIS_PORT ?= 63790
PROD_STORES := PASS_TEST_PG_PORT=$(PROD_PG_PORT) PASS_PG_DIR=$(CURDIR)/var/postgres \
	PASS_REDIS_PORT=$(PROD_REDIS_PORT) PASS_REDIS_DIR=$(CURDIR)/var/redis
run-prod: install catalogs
	@command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light; }
	@# var/ 0711: the postgres user must reach its cluster in var/postgres (after `make run`, var/ is 0700).
	@mkdir -p var && chmod 0711 var && pg=$$($(PROD_STORES) scripts/postgres.sh prepare pass pass_tracker) && \
	  $(PROD_STORES) PASS_SUPERVISED_STORES=1 DATABASE_URL=$$pg TRACKER_DATABASE_URL=$${pg%/pass}/pass_tracker \
	  REDIS_URL=redis://127.0.0.1:$(PROD_REDIS_PORT)/0 $(PY) -m bot run --profile prod

# Both databases of the development profile into var/backups/<UTC time>/ (docs/operations.md);
# with DATABASE_URL / TRACKER_DATABASE_URL set, the PostgreSQL ones (pg_dump).
backup: install
	$(PY) -m bot backup

# make restore FROM=var/backups/<time>: put both back (stop the assistant first).
restore: install
	@test -n "$(FROM)" || { echo "usage: make restore FROM=var/backups/<time>"; exit 2; }
	$(PY) -m bot restore "$(FROM)"

# The PostgreSQL tests run against a throwaway server (installed from Debian's package if missing);
# the fault tests (tests/test_faults.py) start the production profile with their own PostgreSQL and
# Redis and Debian's nginx (installed here if missing);
# the browser tests use Debian's Chromium (installed by scripts/chromium.sh if missing).
test: install catalogs
	@scripts/chromium.sh >/dev/null
	@command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
	@command -v redis-server >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }
	@url=$$(scripts/postgres.sh start) && trap 'scripts/postgres.sh stop' EXIT && \
	  TEST_POSTGRES_URL=$$url $(PY) -m pytest --durations=15  # the slowest tests, to keep the suite under 30 min

# Every persona of tests/personas/ through a freshly started assistant, in their own words:
# right / handed to a human / wrong per language (issue 14 point 5). Exits 1 on any problem.
personas: install catalogs
	$(PY) -m tests.personas.run

install: $(INSTALLED)

# pyenv picks Python 3.10 from .python-version; refuse any other version early and clearly.
$(INSTALLED): requirements.lock pyproject.toml
	@python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' || \
	  { echo "Python 3.10 is needed (see .python-version; with pyenv: pyenv install 3.10)"; exit 1; }
	test -x $(PY) || python -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

catalogs: install $(MO_FILES)

# Fuzzy (unchecked) translations are left out of the compiled catalog.
locales/%/LC_MESSAGES/messages.mo: locales/%/LC_MESSAGES/messages.po | $(INSTALLED)
	$(VENV)/bin/pybabel compile --statistics -d locales -D messages -l $*

# After editing texts in bot/responses.py: refresh the template and merge it into each catalog.
catalogs-update: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ --no-default-keywords --no-location --sort-output \
	  --project "PASS Saint-Denis" --copyright-holder "Ville de Saint-Denis" -o locales/messages.pot .
	$(VENV)/bin/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --width 100

train: install
	$(PY) -m bot train

db: install
	$(PY) -m bot db upgrade

# Re-resolve the environment from pyproject.toml into requirements.lock (needs the registry).
lock:
	rm -rf /tmp/pass-lock-venv && python -m venv /tmp/pass-lock-venv
	/tmp/pass-lock-venv/bin/pip install --quiet --disable-pip-version-check ".[test]"
	{ echo "# The whole environment, pinned. Regenerate with \`make lock\` after changing pyproject.toml."; \
	  echo "# Python 3.10 (Rasa 3.6 does not run on 3.11)."; \
	  /tmp/pass-lock-venv/bin/pip freeze --all | grep -v -E '^(pip|pass-saint-denis)[= ]' | sort -f; } > requirements.lock

# Our assistant (production profile) against the stock `rasa init` bot, same run, same machine:
# writes bench/results/<date>.json and prints the tables of docs/benchmarks.md (about 12 minutes); then the cost
# of a turn along a long conversation, SQLite and PostgreSQL (about 8 minutes), and what a
# person's path costs in SMS, the personas answering in words (about 2 minutes).
bench: install catalogs
	@command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light; }
	$(PY) bench/run.py
	$(PY) -m bench.turn_positions --postgres  # a turn at positions 1, 50, 100, 200 of a long conversation
	$(PY) -m tests.personas.run --sms-cost  # SMS per person, answered in words

# Compare NLU pipelines (LogisticRegression, LR with wider n-grams, DIET) by 5-fold cross-validation
# and training time (docs/benchmarks.md; long: DIET trains five times).
nlu-compare: install
	$(PY) bench/nlu_pipelines.py

# Per-language intent figures: held-out sets tests/nlu/<lang>.yml, safety precision/recall, and
# 5-fold cross-validation over all training data (about 5 minutes on 2 cores).
nlu-report: install
	$(PY) -m bot nlu-report

# The SMS texts that cost the most segments, per language.
sms-report: install catalogs
	$(PY) -m bot sms-report

clean:
	rm -rf $(VENV) models/*.tar.gz .rasa results
