# Sentra: `make run` serves the demo, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
export DJANGO_SETTINGS_MODULE := sentra.settings

.PHONY: run test lint bench setup db messages

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
	@# The task worker (imports, reports) runs beside the web server and stops with it.
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:8000

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -m "not browser and not process"
	@# Browser and child-process tests run on their own: they need committed data, so they
	@# flush the test database, and SQLite's test database must be a file the child can open.
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo; echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!! BROWSER TESTS SKIPPED: Debian's chromium is not installed (apt-get install chromium)"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; echo; \
	fi
	SENTRA_SQLITE_TEST_FILE=$$(mktemp -u /tmp/sentra-test-XXXXXX.sqlite3) $(PY) -m pytest -m "browser or process" tests/browser tests/process

bench: db
	$(PY) bench/run.py

messages: $(STAMP)
	$(PY) manage.py makemessages -l en --ignore=.venv --ignore=bench
