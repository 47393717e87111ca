# Entry points for people and CI. `make test` is what .ci/run runs.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup setup-python run test lint wheel-check bench screenshots

setup:
	@bash scripts/setup.sh

setup-python:
	@bash scripts/setup.sh --python-only

# The station picks the built-in virtual card when no physical reader has a card.
run: setup
	@eval "$$(bash scripts/services.sh | grep "^export ")" && $(BIN)/station

# Quiet, but with pytest's closing summary line (CI reads it).
test: setup
	@eval "$$(bash scripts/services.sh | grep "^export ")" && $(BIN)/pytest -q -rfEs

# All three run even when one fails, so one pass shows every problem.
lint: setup-python
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/ruff format --check . || status=1; \
	$(BIN)/mypy || status=1; \
	exit $$status

# Build the wheel, install it into a clean venv and run it there (scripts/wheel-check.sh says what).
# `setup`, not `setup-python`: pyscard may build from source, and the window needs the Qt libraries.
wheel-check: setup
	@bash scripts/wheel-check.sh

bench: setup
	@$(BIN)/python -c "import cccd_station.station.bench" 2>/dev/null \
		|| { echo "make bench: station/bench.py is missing (station bench)" >&2; exit 1; }
	@eval "$$(bash scripts/services.sh | grep "^export ")" && $(BIN)/station bench

screenshots: setup
	@test -f scripts/screenshots.sh \
		|| { echo "make screenshots: scripts/screenshots.sh is missing" >&2; exit 1; }
	bash scripts/screenshots.sh
