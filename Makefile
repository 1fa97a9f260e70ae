# digistyr — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PORT ?= 8000
# uv from PATH, or else as a module of python3 (installed by `deps` when missing).
UV ?= $(or $(shell command -v uv 2>/dev/null),python3 -m uv)
PY := $(UV) run --frozen python
# Test workers (pytest-xdist): one per core by default; WORKERS=0 runs in one process.
WORKERS ?= auto

.PHONY: run test test-pg setup deps assets migrate demo bench lint messages check-migrations

run: setup migrate demo ## set everything up and serve the demo on SQLite
	@$(PY) manage.py demo_logins
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: setup ## set up and run the whole suite (SQLite unless DATABASE_URL is set)
	$(UV) run --frozen pytest -n $(WORKERS) --dist worksteal

test-pg: setup ## the whole suite on PostgreSQL from DATABASE_URL
	@test -n "$(DATABASE_URL)" || (echo "Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/digistyr" && exit 2)
	DATABASE_URL=$(DATABASE_URL) $(UV) run --frozen pytest -n $(WORKERS) --dist worksteal

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

bench: setup ## benchmark at national scale (SCALE=0.1 for a smaller run)
	$(PY) manage.py bench --scale $(or $(SCALE),1.0) --output bench/results.json

lint:
	$(UV) run --frozen ruff check .
	$(PY) manage.py makemigrations --check --dry-run

messages: ## re-extract the translatable strings into locale/da
	$(PY) manage.py makemessages -l da --ignore=.venv --ignore=node_modules --ignore=data --ignore=bench
