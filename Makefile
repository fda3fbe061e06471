# The front door. `make run` and `make test` do all set-up on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv is used from PATH when present, otherwise installed into .tools/ (never system-wide).
UV_LOCAL := .tools/uv/bin/uv
UV := $(or $(shell command -v uv 2>/dev/null),$(UV_LOCAL))
PYTHON_FOR_UV := $(shell python3.12 -c 'import sys; print(sys.executable)' 2>/dev/null || pyenv which python3.12 2>/dev/null || command -v python3.12)
export UV_PYTHON := $(PYTHON_FOR_UV)
export UV_PYTHON_DOWNLOADS := never
RUN := $(UV) run --frozen --no-sync
MANAGE := $(RUN) python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help run worker install browser-tools migrate content test lint format check-migrations pytest bench bench-maps profile screenshots superuser export-content clean

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(UV_LOCAL):
	@test -n "$(PYTHON_FOR_UV)" || { echo "Python 3.12 is required (python3.12 on PATH, or pyenv with 3.12 installed)."; exit 1; }
	$(PYTHON_FOR_UV) -m venv .tools/uv
	.tools/uv/bin/pip install --quiet uv

install: $(if $(shell command -v uv 2>/dev/null),,$(UV_LOCAL))  ## Install the locked dependencies into .venv
	$(UV) sync --frozen

migrate: install  ## Apply database migrations
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(MANAGE) migrate --noinput

content: migrate  ## Load the content pack from content/ (idempotent)
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(MANAGE) load_content content

# The worker runs beside the server; Ctrl-C stops both (the trap stops the worker however
# the server ends).
run: content  ## Install, migrate, load content; serve on http://127.0.0.1:8000/ with the worker
	export DJANGO_DEBUG=$${DJANGO_DEBUG-1}; \
	$(MANAGE) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

worker: migrate  ## Only the background worker (emails); `make run` starts one already
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(MANAGE) worker

superuser: migrate  ## Create an admin account
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(MANAGE) createsuperuser

export-content: migrate  ## Write the database's content back to content/
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(MANAGE) export_content content

lint: install  ## ruff check and format check; the one-way chain of apps (import-linter)
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) lint-imports

format: install  ## Format and fix what ruff can
	$(RUN) ruff format .
	$(RUN) ruff check --fix .

check-migrations: install  ## Fail when models and migrations disagree
	DJANGO_DEBUG=1 $(MANAGE) makemigrations --check --dry-run

# The test server speaks plain HTTP, so the HTTPS-only defaults of production are relaxed.
TEST_ENV := DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-test-only-secret-key-not-for-production} \
	DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SESSION_COOKIE_SECURE=0 DJANGO_CSRF_COOKIE_SECURE=0

pytest: install browser-tools
	$(TEST_ENV) $(RUN) pytest $(PYTEST_ARGS)

# axe-core and the Nu HTML Checker for tests/browser, pinned by its package-lock.json and
# installed from the npm registry into .tools/npm. Install scripts are skipped: vnu-jar's
# would download a Java runtime, and the machine's `java` runs the checker.
NPM_TOOLS := .tools/npm
NPM_STAMP := $(NPM_TOOLS)/node_modules/.installed

browser-tools: $(NPM_STAMP)  ## Install the accessibility and HTML checkers the browser tests use

$(NPM_STAMP): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		mkdir -p $(NPM_TOOLS) && cp tests/browser/package.json tests/browser/package-lock.json $(NPM_TOOLS)/ && \
		npm ci --prefix $(NPM_TOOLS) --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else case "$${CI:-}" in 1|true|yes) echo "npm not found: CI needs it for the accessibility and HTML checks."; exit 1;; \
		*) echo "npm not found: the axe-core and Nu HTML Checker tests will be skipped.";; esac; fi

test: lint check-migrations pytest  ## The whole suite: lint, migrations check, pytest (SQLite, or DATABASE_URL)

bench: install  ## Benchmark on a large synthetic data set; prints a table, writes bench/results.json; then the weekly emails of 10,000 learners
	$(RUN) python -m bench.run $(BENCH_ARGS)
	$(RUN) python -m bench.weekly_emails

bench-maps: install  ## Role maps of the shipped and the bench pack: layout time, crossings, size, SVG KB
	$(RUN) python -m bench.maps

profile: install  ## pyinstrument over one endpoint on the kept bench database: make profile URL=/dashboard/
	$(RUN) python -m bench.profile $(URL) $(PROFILE_ARGS)

screenshots: install  ## PNGs of the main pages into docs/screenshots/
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-screenshots-only-secret} $(RUN) python -m tests.browser.screenshots

clean:  ## Remove the virtualenv, tools and local database
	rm -rf .venv .tools db.sqlite3 staticfiles
