# Signpost: `make run` starts the app (SQLite, seeded, index built); `make test` runs the tests.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
VENDOR := static/vendor

.PHONY: help setup run test lint bench assets postcodes browser clean mail reminders

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	test -d $(VENV) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

$(VENDOR)/.copied: node_modules/.package-lock.json
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/nhsuk
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp -r node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.css \
	      node_modules/nhsuk-frontend/dist/nhsuk/nhsuk-frontend.min.js \
	      node_modules/nhsuk-frontend/dist/nhsuk/assets $(VENDOR)/nhsuk/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/
	touch $@

assets: $(VENDOR)/.copied ## Install front-end packages from npm into static/vendor

instance/postcodes.sqlite: $(VENV)/.installed
	$(FLASK) build-postcodes

postcodes: instance/postcodes.sqlite ## Build the offline postcode table from Code-Point Open

setup: $(VENV)/.installed assets postcodes ## Install everything the app and tests need

run: setup ## Run the app on SQLite, seeded, with the search index built
	$(FLASK) db upgrade
	SIGNPOST_DEMO_ACCOUNTS=1 $(FLASK) run

mail: $(VENV)/.installed ## Catch Signpost's e-mails on localhost:1025 and print them (development)
	$(PY) -m aiosmtpd -n -l localhost:1025

reminders: $(VENV)/.installed ## Dry run of the listing reminders (flask send-reminders --dry-run)
	$(FLASK) send-reminders --dry-run

browser: ## Install Debian's chromium for browser tests (needs root)
	@command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

test: setup browser ## Run the whole test suite
	$(VENV)/bin/pytest

lint: $(VENV)/.installed ## ruff lint and format check
	$(VENV)/bin/ruff check signpost tests bench
	$(VENV)/bin/ruff format --check signpost tests bench

bench: setup ## Search benchmark against an FTS5 reference, and gunicorn throughput (BENCH_ARGS=...)
	$(PY) bench/search.py $(BENCH_ARGS)

clean: ## Remove installed and generated files
	rm -rf $(VENV) node_modules $(VENDOR) instance
