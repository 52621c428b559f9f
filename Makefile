# Tsunagari Referral Hub — the two commands are `make run` and `make test`.
# Everything a fresh machine needs is installed from here: Debian packages (apt),
# Python packages (pip, cached in ~/.cache/pip) and Neo4j's jars (Maven, cached in ~/.m2).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 8000
DEVSERVICES := $(PY) -m referral_hub.devservices

NEO4J_STAMP := deploy/neo4j/target/neo4j-launcher-1.0.0.jar
NEO4J_SRC   := deploy/neo4j/pom.xml $(wildcard deploy/neo4j/src/main/java/hub/neo4j/*.java)

.PHONY: help deps system-deps venv neo4j-jars schema-linter services stop stop-test migrate demo worker \
        run serve static demo-code test test-faults assets messages screenshots bench mutation lint format \
        schema lock clean deploy-schemas backup restore test-postgres test-postgres-ci

help:
	@echo "make run    set everything up and serve the API on http://$(HOST):$(PORT)/graphql"
	@echo "make test   set everything up and run the test suite against real services"
	@echo "make serve  the same, served as production does: gunicorn, DEBUG off, JSON logs, /metrics"
	@echo "make services / make stop   start or stop the background services (Neo4j, Redis, worker)"
	@echo "make bench  latency of the hot paths (GraphQL vs raw Cypher) on a seeded network"
	@echo "make lint   ruff, mypy, the import contracts, the schema linter and deploy/ (offline);  make schema  re-export schema/schema.graphql"
	@echo "make test-postgres  the whole suite on PostgreSQL (its own server, port 5433);  make test-postgres-ci  its Django-database part"
	@echo "make mutation  mutation score of the pure domain modules with tests/unit (no services, 11-16 min)"

## --- setup -------------------------------------------------------------------------------
deps: system-deps venv neo4j-jars assets messages schema-linter deploy-schemas

# apt only for what is missing, so a warm machine skips it entirely. PostgreSQL (issue 18) is
# for make test-postgres and the PostgreSQL lifecycle test; its driver (psycopg, a binary
# wheel) is a dependency in pyproject.toml.
system-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v mvn >/dev/null || missing="$$missing maven"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v go >/dev/null || [ -x /usr/local/go/bin/go ] || missing="$$missing golang-go"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	[ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/java ] || command -v java >/dev/null \
	  || missing="$$missing openjdk-17-jdk-headless"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements/constraints.txt -e '.[dev]'
	touch $@

neo4j-jars: $(NEO4J_STAMP)

# Browser files the hub serves itself (GraphiQL, React): pinned in package-lock.json,
# installed with npm (cached in ~/.npm), copied with their licences into static/vendor.
ASSETS_DIR   := referral_hub/web/assets
ASSETS_STAMP := referral_hub/web/static/vendor/.installed

assets: $(ASSETS_STAMP)

$(ASSETS_STAMP): $(ASSETS_DIR)/package-lock.json referral_hub/web/vendor.py $(VENV)/.installed
	cd $(ASSETS_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	$(PY) -m referral_hub.web.vendor
	rm -rf $(ASSETS_DIR)/node_modules  # only the copied files are served; ~/.npm keeps the cache
	touch $@

# The GraphQL schema linter (graphql-schema-linter, issue 21): a developer tool, so it lives
# in tools/schema-lint, not among the served assets; pinned in its package-lock.json and
# installed with npm ci (cached in ~/.npm). Its rules: tools/schema-lint/.graphql-schema-linterrc.
SCHEMA_LINT_DIR := tools/schema-lint
SCHEMA_LINTER   := $(SCHEMA_LINT_DIR)/node_modules/.bin/graphql-schema-linter

schema-linter: $(SCHEMA_LINTER)

$(SCHEMA_LINTER): $(SCHEMA_LINT_DIR)/package-lock.json
	cd $(SCHEMA_LINT_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# The Compose Specification's schema for make lint's check of deploy/compose (issue 18):
# compose-go's Go module, pinned in referral_hub/devtools/deploy_lint.py, downloaded once
# with `go mod download` (checksum-verified, cached in Go's module cache), read offline
# afterwards. The Kubernetes schemas come inside kubernetes-validate's wheel (pip).
deploy-schemas: venv
	$(PY) -m referral_hub.devtools.deploy_lint --fetch >/dev/null

# The pages' Japanese and English texts: .po files in git, compiled here (gettext's msgfmt).
PO_FILES := $(wildcard referral_hub/web/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

messages: $(MO_FILES)

%.mo: %.po
	msgfmt --check -o $@ $<

$(NEO4J_STAMP): $(NEO4J_SRC)
	cd deploy/neo4j && mvn -q -B package -DskipTests
	touch $@

## --- services ----------------------------------------------------------------------------
services: deps
	$(DEVSERVICES) start neo4j redis

stop:
	-$(DEVSERVICES) stop --profile dev

stop-test:
	-$(DEVSERVICES) stop --profile test

migrate: services
	$(PY) manage.py migrate --noinput
	$(PY) manage.py graph_migrate

demo: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_history
	$(PY) manage.py seed_demo_murmurs
	DJANGO_DEBUG=1 $(PY) manage.py seed_demo_users

worker: services
	$(DEVSERVICES) start worker

## --- backup and restore (docs/backup.md) -------------------------------------------------
# Both stores as one moment in one file; FILE names it (default: .data/backups/, UTC-stamped).
BACKUP_DIR ?= .data/backups

backup: services
	@mkdir -p $(BACKUP_DIR)
	$(PY) manage.py backup_hub $(or $(FILE),$(BACKUP_DIR)/hub-$$(date -u +%Y%m%dT%H%M%SZ).jsonl.gz)

# Refuses a target that holds data unless RESTORE_ARGS=--wipe; Django's tables first.
restore: services
	@[ -n "$(FILE)" ] || { echo "usage: make restore FILE=backup.jsonl.gz [RESTORE_ARGS=--wipe]"; exit 2; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py restore_hub $(FILE) $(RESTORE_ARGS)

## --- the two commands --------------------------------------------------------------------
run: demo worker
	@echo ""
	@echo "  Tsunagari Referral Hub is up:"
	@echo "    pages      http://$(HOST):$(PORT)/  (sign in as counsellor, caseworker, auditor or npo-admin)"
	@echo "    GraphiQL   http://$(HOST):$(PORT)/graphql"
	@echo "    health     http://$(HOST):$(PORT)/healthz"
	@echo "    sign in    http://$(HOST):$(PORT)/accounts/login/  (demo users above, password tsunagari-demo,"
	@echo "               then the code from 'make demo-code WHO=counsellor'; security keys need http://localhost:$(PORT))"
	@echo "    try        { health { neo4j { version edition } redis celery } }"
	@echo "  Ctrl-C stops the web server; 'make stop' stops Neo4j, Redis and the worker."
	@echo ""
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The production entry point on the local services (docs/serving.md): gunicorn with
# deploy/gunicorn.conf.py, DEBUG off, static files collected under .data and served by the
# app (WhiteNoise), JSON logs, /metrics for this machine. Plain HTTP on $(HOST): a
# deployment puts TLS in front (HUB_HTTPS on, its default with DEBUG off). The worker
# runs beat embedded, as for make run.
serve: demo worker static
	@echo ""
	@echo "  Tsunagari Referral Hub (production server) is up:"
	@echo "    pages      http://$(HOST):$(PORT)/  (demo users and password as for make run)"
	@echo "    API        http://$(HOST):$(PORT)/graphql  (POST; no GraphiQL with DEBUG off)"
	@echo "    probes     http://$(HOST):$(PORT)/livez  /readyz  /healthz"
	@echo "    metrics    http://$(HOST):$(PORT)/metrics  (from this machine, or HUB_METRICS_TOKEN)"
	@echo "  Ctrl-C stops gunicorn; 'make stop' stops Neo4j, Redis and the worker."
	@echo ""
	DJANGO_DEBUG=0 HUB_HTTPS=0 HUB_WEB_BIND=$(HOST):$(PORT) \
	  $(PY) -m gunicorn --config deploy/gunicorn.conf.py

# Production's static files (hashed names, compressed copies) into .data/static.
static: venv assets
	DJANGO_DEBUG=0 $(PY) manage.py collectstatic --noinput -v0

demo-code: venv
	@DJANGO_DEBUG=1 $(PY) manage.py demo_code $(WHO)

test: deps lint
	$(PY) -m pytest $(PYTEST_ARGS)

# The fault suite alone (make test runs it too): its own hub on ports 7690 and 6382.
test-faults: deps
	$(PY) -m pytest tests/faults $(PYTEST_ARGS)

# The screenshots in docs/web.md, taken by the page tests in Japanese (docs/screenshots/*.png).
screenshots: deps
	HUB_SCREENSHOTS=$(CURDIR)/docs/screenshots $(PY) -m pytest -p no:randomly \
	  "tests/pages/test_journeys.py::test_caseworker_takes_a_referral_to_connected_in_japanese" \
	  "tests/pages/test_counsellor_journey.py::test_school_absence_to_support_with_the_keyboard_only[ja]" \
	  "tests/pages/test_auditor_pages.py::test_the_auditors_pages_in_the_browser[ja]" \
	  "tests/pages/test_coordinator_pages.py::test_the_demo_city_in_the_browser" \
	  "tests/pages/test_murmur_pages.py::test_murmur_and_coverage_in_the_browser" \
	  "tests/pages/test_places_pages.py::test_search_by_interest_and_by_area_without_javascript" \
	  "tests/pages/test_places_pages.py::test_a_phone_reads_the_page_without_scrolling_sideways"

# The suite on PostgreSQL: the test profile's own server (TEST_POSTGRES_PORT, 5433; data in
# .data/test/postgres), DATABASE_URL pointed at it; the tests use hub_test and the fault
# suite hub_faults there (pytest-django creates and drops them). Stopped afterwards unless
# KEEP_TEST_SERVICES=1, like the rest of the test services.
PG_TEST_URL = $$($(DEVSERVICES) env postgres --profile test | sed -n 's/^DATABASE_URL=//p')

define run_on_postgres
	$(DEVSERVICES) start postgres --profile test
	status=0; DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest $(1) $(PYTEST_ARGS) || status=$$?; \
	[ "$$KEEP_TEST_SERVICES" = 1 ] || $(DEVSERVICES) stop postgres --profile test; \
	exit $$status
endef

test-postgres: deps
	$(call run_on_postgres,)

# What CI runs on PostgreSQL besides `make test` (which is on SQLite): the tests whose
# subject is Django's database (accounts, tokens, sessions, invitations, webhooks and
# deliveries, audit checkpoints, imports, backup and restore), about 4 minutes; docs/testing.md says why
# these. Browser and fault tests stay on SQLite in CI (make test-postgres runs them too).
PG_CI_TESTS := $(filter-out tests/accounts/test_demo_users.py,$(wildcard tests/accounts/test_*.py)) \
               tests/services/test_outbox.py tests/services/test_notifications.py \
               tests/services/test_webhook_egress.py tests/services/test_master_key_rotation.py \
               tests/services/test_postgres_server.py tests/audit/test_audit_attacks.py \
               tests/directory/test_admin_import.py tests/audit/test_backup_restore.py

test-postgres-ci: deps
	$(call run_on_postgres,-m "not browser" $(PG_CI_TESTS))

## --- benchmarks (their own Neo4j on port 7689; never part of make test) ------------------
# Plain HTTP in process, as the server group's gunicorn is (DEBUG off makes HTTPS the
# default, and the in-process test client's http requests would be redirected).
bench: deps
	$(DEVSERVICES) start neo4j redis --profile bench
	env $$($(DEVSERVICES) env --profile bench) HUB_HTTPS=0 $(PY) manage.py bench $(BENCH_ARGS)

## --- mutation testing (tests/unit only, no services; never part of make test) ------------
# mutmut and our table/constant mutants over the pure domain modules, in a scratch copy
# under .data/mutation; fails if a module scores below 90% (docs/testing.md).
mutation: venv messages
	$(PY) -m referral_hub.devtools.mutation $(MUTATION_ARGS)

## --- code quality ------------------------------------------------------------------------
lint: venv schema-linter deploy-schemas
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy referral_hub graph schema
	$(VENV)/bin/lint-imports
	$(SCHEMA_LINTER) --config-directory $(SCHEMA_LINT_DIR) schema/schema.graphql
	$(PY) -m referral_hub.devtools.deploy_lint
	$(VENV)/bin/hadolint deploy/container/Containerfile deploy/container/neo4j.Containerfile

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

schema: venv
	$(PY) manage.py graphql_schema --schema schema.schema.schema --out schema/schema.graphql

lock: venv
	{ head -2 requirements/constraints.txt; $(PY) -m pip freeze --exclude-editable; } > requirements/constraints.tmp
	mv requirements/constraints.tmp requirements/constraints.txt

clean: stop stop-test
	-$(DEVSERVICES) stop --profile bench
	rm -rf .data deploy/neo4j/target $(VENV) $(SCHEMA_LINT_DIR)/node_modules
