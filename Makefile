# yjplan: `make run` sets everything up and serves the demo; `make test` sets up and runs lint and the suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP_PY := $(VENV)/.installed
STAMP_NODE := node_modules/.installed
STAMP_ASSETS := build/static/.built
ASSET_SOURCES := $(wildcard static/scss/*.scss) package-lock.json
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils

.PHONY: run test setup lint audit pytest migrate bench soak clean system-run system-test reliability-report

setup: $(STAMP_PY) $(STAMP_ASSETS)

$(STAMP_PY): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed: sudo apt-get install -y python3.11 python3.11-venv"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

$(STAMP_NODE): package.json package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20 and npm are needed: sudo apt-get install -y nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STAMP_ASSETS): $(STAMP_NODE) $(ASSET_SOURCES)
	npm run --silent build
	@touch $@

system-run:
	@scripts/ensure-system-packages $(RUN_PACKAGES)

system-test:
	@scripts/ensure-system-packages $(TEST_PACKAGES)

migrate: setup
	$(PY) manage.py migrate --noinput

run: system-run migrate
	$(PY) manage.py seed_demo --if-empty
	@scripts/serve

lint: $(STAMP_PY)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Known vulnerabilities in the locked dependencies (docs/decisions/013-dependency-audit.md).
audit:
	AUDIT_REPORT=build/reliability/audit.json scripts/audit-dependencies

pytest: setup
	$(PY) manage.py makemigrations --check --dry-run >/dev/null || { echo "Models changed without a migration: run manage.py makemigrations"; exit 1; }
	$(VENV)/bin/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

test: system-test setup lint audit pytest

bench: system-test setup
	@scripts/ensure-system-packages wrk
	$(PY) -m bench.run

# docs/reliability.md's figures, from the JSON the suites write to build/reliability/.
reliability-report:
	$(PY) scripts/reliability-report

# 200 people for 5 minutes (SOAK_USERS, SOAK_SECONDS shorten it) against gunicorn, PostgreSQL, Redis and a worker;
# fails unless every write is in the database exactly once (or was answered as a conflict) and no request failed
soak: system-run setup
	@scripts/ensure-system-packages redis-server redis-tools
	$(PY) -m bench.soak

clean:
	rm -rf $(VENV) node_modules build staticfiles
