# digistyr — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 8000
# uv from PATH, or else as a module of python3 (installed by `deps` when missing).
UV ?= $(or $(shell command -v uv 2>/dev/null),python3 -m uv)
PY := $(UV) run --frozen python
# Test workers (pytest-xdist): one per core by default; WORKERS=0 runs in one process.
WORKERS ?= auto
# Each run prints its 15 slowest tests, so growth shows early.
PYTEST := $(UV) run --frozen pytest -n $(WORKERS) --dist worksteal --durations=15
# What cannot differ by database runs once, in the SQLite pass: the browser tests, the API
# fuzzer, rendering documents and the permission matrix's requests that only the rules decide
# (marker `roles`). `make test-pg PG_TESTS=` runs everything on PostgreSQL.
PG_TESTS ?= not browser and not schemathesis and not documents and not roles
# Debian packages: WeasyPrint's (PDFs) for `make run`, and the tests' too for `make test`.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils gettext clamav-daemon

.PHONY: run serve serve-env test test-pg setup deps assets migrate demo bench lint messages check-migrations \
	system-packages missing-packages

run: setup migrate demo ## set everything up and serve the demo on SQLite
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(RUN_PACKAGES)"
	@$(PY) manage.py demo_logins
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

serve: serve-env setup ## production settings under gunicorn, with the job worker and the scheduler
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(RUN_PACKAGES)"
	scripts/serve

# What `make serve` needs is said before anything is installed (scripts/serve checks it too).
serve-env:
	@test -n "$(DATABASE_URL)" || (echo "make serve: set DATABASE_URL, e.g. postgres://digistyr@127.0.0.1:5432/digistyr" && exit 2)
	@test -n "$(DIGISTYR_REDIS_URL)" || (echo "make serve: set DIGISTYR_REDIS_URL, e.g. redis://127.0.0.1:6379/0" && exit 2)

test: setup ## set up and run the whole suite (SQLite unless DATABASE_URL is set)
	@$(MAKE) --no-print-directory system-packages PACKAGES="$(TEST_PACKAGES)"
	$(PYTEST)

test-pg: setup ## what can differ by database, on PostgreSQL from DATABASE_URL
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/digistyr" && exit 2)
	DATABASE_URL=$(DATABASE_URL) $(PYTEST) $(if $(PG_TESTS),-m "$(PG_TESTS)")

# Says once, clearly, which Debian packages are missing (it installs nothing itself).
system-packages:
	@missing="$$($(MAKE) --no-print-directory -s missing-packages PACKAGES="$(PACKAGES)")"; \
	if [ -n "$$missing" ]; then \
	  echo "digistyr: these Debian packages are missing: $$missing"; \
	  echo "  Without them PDFs are slow or fail, or tests cannot run. Install them with:"; \
	  echo "  sudo apt-get install --no-install-recommends $$missing"; \
	fi

# The Debian packages of PACKAGES (by default what the tests need) that are not installed;
# `.ci/run` installs these. Nothing on a machine without dpkg.
missing-packages:
	@command -v dpkg >/dev/null 2>&1 || exit 0; \
	for p in $(or $(PACKAGES),$(TEST_PACKAGES)); do \
	  dpkg -s $$p >/dev/null 2>&1 || printf '%s ' $$p; \
	done

setup: deps assets

deps:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --quiet

assets:
	@test -f node_modules/dkfds/dist/css/dkfds.min.css -a -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --loglevel=error

migrate:
	$(PY) manage.py migrate --noinput -v0

demo:
	$(PY) manage.py load_demo

# On PostgreSQL when DATABASE_URL is set (an empty database, or one the benchmark generated).
bench: setup ## benchmark at national scale (SCALE=0.1 for a smaller run), in process and over HTTP
	$(PY) manage.py bench --scale $(or $(SCALE),1.0) --output bench/results.json \
		$(if $(DATABASE_URL),--database-url $(DATABASE_URL))

lint: setup ## ruff (checks and formatting: `uv run ruff format .`), the app layers, types, migrations
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen lint-imports
	$(UV) run --frozen mypy
	$(PY) manage.py makemigrations --check --dry-run

messages: ## re-extract the translatable strings into locale/da
	$(PY) manage.py makemessages -l da --ignore=.venv --ignore=node_modules --ignore=data --ignore=bench
