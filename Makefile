# Sentra: `make run` serves the demo, `make test` runs every check, `make serve` runs production's servers.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
export DJANGO_SETTINGS_MODULE := sentra.settings

.PHONY: run serve test lint bench setup db messages

# A developer's machine: DEBUG on and a throwaway SECRET_KEY (sentra/settings.py). `make serve`, and
# `make db` on its own, take the environment as it is: production's needs SECRET_KEY (docs/deployment.md).
run test bench messages: export SENTRA_DEV := 1

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

setup: $(STAMP)

db: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_regions
	$(PY) manage.py load_kbli

run: db
	$(PY) manage.py seed_demo
	@# The task worker (imports, reports) runs beside the web server and stops with it;
	@# run_worker starts it again whenever it exits.
	$(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

# Production's servers on this machine: gunicorn (deploy/gunicorn.conf.py, SENTRA_BIND, default
# 127.0.0.1:8000) and the task worker. Needs SECRET_KEY; add SENTRA_HTTPS=0 to try it over plain http.
serve: db
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn --config deploy/gunicorn.conf.py

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Which tests that need committed data run after the unit tests: `make test LIVE_TESTS=process` leaves
# the browser out (CI walks the pages once, on SQLite, and runs the rest again on PostgreSQL).
LIVE_TESTS ?= browser or process

test: lint
	$(PY) manage.py makemigrations --check --dry-run
	@# On every core: pytest-xdist gives each worker its own test database.
	$(PY) -m pytest -n auto -m "not browser and not process"
	@# Browser and child-process tests run on their own: they need committed data, so they
	@# flush the test database, and SQLite's test database must be a file the child can open.
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo; echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!! BROWSER TESTS SKIPPED: Debian's chromium is not installed (apt-get install chromium)"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; echo; \
	fi
	SENTRA_SQLITE_TEST_FILE=$$(mktemp -u /tmp/sentra-test-XXXXXX.sqlite3) $(PY) -m pytest -m "$(LIVE_TESTS)" tests/browser tests/process

# The benches' servers run as production does (DEBUG off: hashed static files, so collected first),
# over plain http on this machine.
bench: db
	DEBUG=0 $(PY) manage.py collectstatic --noinput --verbosity 0
	SENTRA_HTTPS=0 $(PY) bench/run.py

messages: $(STAMP)
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=bench
