# Hearings records.
#
#   make run    set up, then serve the site on http://127.0.0.1:8000
#   make test   set up, then run the whole test suite
#
# Both create .venv when it is missing, install the pinned requirements when
# they changed, migrate, load the seed records and collect the static files.
# Running them again changes nothing. DATABASE_URL and the other variables in
# the README's configuration table are read from the environment, so
# `DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make test` runs the
# suite on PostgreSQL.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
# Installed requirements are recorded here; pip runs again only when a
# requirements file is newer.
INSTALLED := $(VENV)/.requirements-installed
RUN_ADDR ?= 127.0.0.1:8000
PYTEST_ARGS ?=
# The browser tests (tests/browser/) drive Debian's Chromium, run the Nu Html
# Checker on Java, and inject axe-core: Debian packages installed only when
# missing, and the npm packages of package-lock.json, installed again only when
# it changed. Nothing downloads a browser or a Java runtime of its own. The Noto
# fonts (Debian's fonts-noto-core for Arabic, fonts-noto-cjk for Chinese) are
# system fonts the site's font stack names, so screenshots show every UN
# language's script rather than empty boxes.
CHROMIUM := /usr/bin/chromium
NODE_INSTALLED := node_modules/.installed
APT_GET := $(if $(filter 0,$(shell id -u)),,sudo )env DEBIAN_FRONTEND=noninteractive apt-get

.DEFAULT_GOAL := help
.PHONY: help install setup browser-deps redis bench profile drill run test lint format migrations-check check-deploy gettext messages messages-check

help:
	@echo "make run               set up, then serve on http://$(RUN_ADDR)"
	@echo "make test              set up, then run the test suite (PYTEST_ARGS=... to pass options)"
	@echo "make browser-deps      install what the browser tests need: Chromium, Java, Noto fonts, axe-core, vnu-jar"
	@echo "make lint              ruff lint and format check"
	@echo "make format            ruff format and safe fixes"
	@echo "make migrations-check  fail when a model change has no migration"
	@echo "make check-deploy      manage.py check --deploy with production settings"
	@echo "make bench             benchmark the pages under gunicorn at 10,000 and 100 hearings (BENCH_ARGS=...),"
	@echo "                       on SQLite, or on PostgreSQL when DATABASE_URL names it"
	@echo "make profile           where each public page spends its time, in-process (PROFILE_ARGS=--top 30 ...)"
	@echo "make drill             failure drills: cache down or hanging, database killed or hanging, restore"
	@echo "make messages          update the translation catalogs in locale/ from the code, and compile them"
	@echo "make messages-check    fail when a catalog misses a string, has one untranslated or fuzzy, or is not compiled"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check --quiet --requirement requirements-dev.txt
	touch $@

install: $(INSTALLED)

setup: install
	$(MANAGE) migrate --noinput
	$(MANAGE) load_seed
	$(MANAGE) collectstatic --noinput --verbosity 0

browser-deps: $(NODE_INSTALLED)
	@missing="$$([ -x $(CHROMIUM) ] || echo chromium) $$(command -v java >/dev/null || echo default-jre-headless)"; \
	missing="$$missing $$(fc-list : family 2>/dev/null | grep -q "Noto Sans Arabic" || echo fonts-noto-core)"; \
	missing="$$missing $$(fc-list : family 2>/dev/null | grep -q "Noto Sans CJK SC" || echo fonts-noto-cjk)"; \
	if [ -n "$$(echo $$missing)" ]; then \
		echo "installing $$missing"; \
		$(APT_GET) update -qq && $(APT_GET) install -y -qq $$missing; \
	fi

# The catalogs' tools (xgettext, msgmerge, msgfmt): Debian's gettext, installed only when missing. Only
# `make messages` and `make messages-check` need them; the compiled catalogs are committed, so `make run` does not.
MAKEMESSAGES_IGNORE := --ignore=node_modules --ignore=tests --ignore=bench --ignore=docs --ignore=staticfiles
gettext:
	@command -v xgettext >/dev/null && command -v msgfmt >/dev/null || { $(APT_GET) update -qq && $(APT_GET) install -y -qq gettext; }

messages: install gettext
	$(MANAGE) makemessages --all --no-obsolete $(MAKEMESSAGES_IGNORE)
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

messages-check: install gettext
	$(MANAGE) check_catalogs

# The cache tests run against a Redis on 127.0.0.1:6379: started (and installed from Debian) when none answers.
redis:
	@if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then \
		command -v redis-server >/dev/null || { $(APT_GET) update -qq && $(APT_GET) install -y -qq redis-server; }; \
		echo "starting redis-server on 127.0.0.1:6379"; \
		redis-server --bind 127.0.0.1 --port 6379 --save "" --appendonly no --daemonize yes >/dev/null; \
		for _ in 1 2 3 4 5 6 7 8 9 10; do (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null && break; sleep 0.5; done; \
	fi

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

run: setup
	$(MANAGE) runserver $(RUN_ADDR)

# Builds its own databases (kept for the next run) and drives gunicorn with wrk: SQLite files in
# .bench/, or <name>_bench_<hearings> databases on the PostgreSQL server DATABASE_URL names.
bench: install
	@command -v wrk >/dev/null || { $(APT_GET) update -qq && $(APT_GET) install -y -qq wrk; }
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Each public page rendered in-process with cProfile against the benchmark's large database (PROFILE_ARGS=...).
profile: install
	$(BIN)/python bench/pageprofile.py $(PROFILE_ARGS)

# Failure drills on PostgreSQL (DRILL_DATABASE_URL, default the local server) with a Redis of its own.
drill: install
	@command -v redis-server >/dev/null || { $(APT_GET) update -qq && $(APT_GET) install -y -qq redis-server; }
	$(BIN)/python bench/drill.py $(DRILL_ARGS)

# pytest exits with 5 when it collected no tests: say so rather than leave a bare "Error 5".
test: setup browser-deps redis
	@status=0; $(BIN)/python -m pytest $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests (exit 5)" >&2; fi; \
	exit $$status

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(MANAGE) makemigrations --check --dry-run

# Production settings: debug off, and a throwaway secret key and host name
# unless the environment provides real ones.
check-deploy: install
	DJANGO_DEBUG=0 \
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-hearings.example.org}" \
	$(MANAGE) check --deploy --fail-level WARNING
