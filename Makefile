# The two commands: `make run` (the platform, embedded default, demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint format migrations-check install install-test bench screenshot clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt -c constraints.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## make run: install, migrate, load demo data, start server + WebSocket + worker + beat (Ctrl-C stops all)
run: install
	$(BIN)/python manage.py runplatform

## make test: install test requirements; ruff; makemigrations --check; import contracts; mypy; pytest on its own PostgreSQL + Redis
# mypy's Django plugin loads config.settings.test: the two URLs keep it from starting the suite's servers.
test: install-test
	scripts/ensure_test_prereqs.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	DATABASE_URL=sqlite:///:memory: REDIS_URL=redis://127.0.0.1:1/0 $(BIN)/mypy
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-test
	$(BIN)/python benchmarks/bench_envelope.py
	$(BIN)/python benchmarks/bench_webhooks.py
	$(BIN)/python benchmarks/bench_bookings.py
	$(BIN)/python benchmarks/bench_confirm_cpu.py --pin-cpus
	$(BIN)/python benchmarks/bench_pinning.py
	$(BIN)/python benchmarks/bench_dispatch.py
	$(BIN)/python benchmarks/bench_backoffice.py
	$(BIN)/python benchmarks/bench_realtime.py
	$(BIN)/python benchmarks/bench_societies.py
	$(BIN)/python benchmarks/bench_orders.py
	$(BIN)/python benchmarks/bench_appointments.py
	$(BIN)/python benchmarks/bench_search.py

## make soak: 10 minutes of mixed traffic through a real server, worker and beat, then every effect counted
soak: install-test
	$(BIN)/python benchmarks/soak.py

## make screenshot: docs/img/dashboard.png, the admin dashboard with the demo history (scratch database, headless chromium)
screenshot: install-test
	scripts/ensure_test_prereqs.sh
	$(BIN)/python scripts/screenshot_dashboard.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
