.DEFAULT_GOAL := help
SHELL := /bin/bash

# Debian's python3.11 has libpython linked in statically; WeasyPrint lays out about 20 % faster on it than on a
# Python built with --enable-shared (such as pyenv's). Use it when the machine has it.
DEBIAN_PYTHON := /usr/bin/python3.11
PYTHON ?= $(if $(wildcard $(DEBIAN_PYTHON)),$(DEBIAN_PYTHON),python3.11)
VENV := .venv
BIN := $(VENV)/bin
# What the product needs from Debian: WeasyPrint's Pango and HarfBuzz subsetting (fast font subsetting; WeasyPrint 70
# warns without it), fonts for Chinese and Japanese text.
RUNTIME_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk
# What the tests need: pdftotext, a PostgreSQL server and Chromium for the browser tests.
TEST_DEBS := poppler-utils postgresql chromium redis-server
# What `make serve` needs besides the runtime: Redis for the job queue.
SERVE_DEBS := redis-server
BENCH_DEBS := libreoffice-writer-nogui python3-uno
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: help run serve load install system-deps test-deps test test-sqlite test-postgres mutation lint bench \
	i18n-extract \
	i18n-update i18n-compile migrate demo docx-templates clean

help: ## Show the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is nodig ($(PYTHON))"; exit 1; }
	@[ "$(PYTHON)" != "$(DEBIAN_PYTHON)" ] || tools/apt-install.sh python3.11-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel

$(VENV)/.installed: setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test,postgres]'
	@touch $@

install: $(VENV)/.installed i18n-compile ## Create .venv and install Traject with its test tools

system-deps: ## Install the Debian packages the product needs
	@tools/apt-install.sh $(RUNTIME_DEBS)

test-deps: system-deps ## Install what the tests need: Debian packages, and axe-core from npm
	@tools/apt-install.sh $(TEST_DEBS)
	@[ -f tests/browser/node_modules/axe-core/axe.min.js ] || { command -v npm >/dev/null || tools/apt-install.sh npm; \
		npm ci --prefix tests/browser --no-audit --no-fund; }

i18n-extract: | $(BIN)/python ## Extract UI strings (messages.pot) and document strings (documents.pot)
	$(BIN)/pybabel extract -F locales/babel.cfg -k _l -k lazy_gettext -o locales/messages.pot --no-location \
		--sort-output --omit-header --project Traject .
	$(BIN)/pybabel extract -F locales/babel-documents.cfg --no-default-keywords -k _ -k N_ -k t -k s -k p -k sub \
		--no-location --omit-header --project Traject -o locales/documents.pot .

i18n-update: i18n-extract ## Merge new strings into every catalog
	$(BIN)/pybabel update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel update -i locales/documents.pot -d locales -D documents --no-fuzzy-matching --ignore-obsolete

i18n-compile: $(VENV)/.installed ## Build the .mo files from the committed .po files (UI, documents, click)
	@for domain in messages documents click; do \
		if ls locales/*/LC_MESSAGES/$$domain.po >/dev/null 2>&1; then \
			$(BIN)/pybabel compile -d locales -D $$domain >/dev/null || exit 1; fi; done

migrate: install ## Bring the database up to date
	$(BIN)/traject migrate

demo: migrate ## Load the fictional demo cases (idempotent)
	$(BIN)/traject demo

run: install system-deps demo ## Set everything up and serve on http://127.0.0.1:5000
	@$(BIN)/python -c "from webapp.config import load_secret_key; load_secret_key('instance', create=True)"
	@$(BIN)/traject demo-account
	TRAJECT_MFA=optional $(BIN)/flask --app webapp run --host $(HOST) --port $(PORT)

serve: install system-deps migrate ## Production stack: gunicorn, Redis and job workers (README: Running for a whole CLB)
	@tools/apt-install.sh $(SERVE_DEBS)
	@[ -n "$$SECRET_KEY" ] || $(BIN)/python -c "from webapp.config import load_secret_key; load_secret_key('instance', create=True)"
	HOST=$(HOST) PORT=$(PORT) tools/serve.sh

load: install test-deps ## Load test (locust, 50 users, bounded) against `make serve` on 127.0.0.1, SQLite and PostgreSQL
	$(BIN)/pip install -q -e '.[load]'
	$(BIN)/python -m bench.load

test: install test-deps ## Run the whole suite on SQLite, then on a throw-away PostgreSQL server
	$(BIN)/python -m pytest -q -p no:cacheprovider
	$(BIN)/python -m tests.with_postgres $(BIN)/python -m pytest -q -p no:cacheprovider

test-sqlite: install ## Run the suite on SQLite only (quick)
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-postgres: install test-deps ## Run the suite on PostgreSQL only
	$(BIN)/python -m tests.with_postgres $(BIN)/python -m pytest -q -p no:cacheprovider

mutation: install ## Put small faults into access, audience filter, case format and drafts; score the tests (max 10 min)
	$(BIN)/python tools/mutation.py $(MUTATION_ARGS)

docx-templates: install ## Rebuild the DOCX templates from their builder script
	$(BIN)/python templates_docs/build_docx_templates.py

bench: install system-deps ## Measure render speed and memory against LibreOffice (writes bench/results.json)
	@tools/apt-install.sh $(BENCH_DEBS)
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python -m bench.run
	@tools/apt-install.sh $(SERVE_DEBS)
	$(BIN)/python -m bench.jobs

clean: ## Remove the virtualenv and build leftovers (keeps instance/)
	rm -rf $(VENV) build *.egg-info
