# Two commands: `make run` and `make test`. Both create .venv/ and install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_CLI_PROMPT := false
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1

.PHONY: run test install lint typecheck bench bench-scale ui browser-deps pg-deps net-deps clean

# Bytecode is compiled ahead: many images set PYTHONDONTWRITEBYTECODE, and then every run would recompile
# Prefect, GX and spaCy from source (measured: ~8 s of a cold run's start-up).
BYTECODE := $(BIN)/python -m compileall -q flows transforms expectations warehouse >/dev/null

run: $(STAMP)
	$(BYTECODE)
	$(BIN)/newsetl run

test: $(STAMP) browser-deps pg-deps net-deps
	$(BYTECODE)
	$(BIN)/pytest -q

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv
	$(BIN)/uv pip install -q --compile-bytecode --python $(BIN)/python -e '.[dev]'
	touch $(STAMP)

# PostgreSQL 15 for the DuckLake tests (tests/pg.py starts a throwaway cluster from these binaries).
pg-deps:
	@test -x /usr/lib/postgresql/15/bin/initdb || (apt-get update -qq && apt-get install -y -qq postgresql-15)

# iproute2 for the Dask cluster tests (workers in network namespaces; they fall back to loopback addresses).
net-deps:
	@command -v ip >/dev/null 2>&1 || sh .ci/install-iproute2

# Headless Chromium for the browser tests (Debian's package; Playwright drives it via executable_path).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || sh .ci/install-chromium

lint: $(STAMP)
	$(BIN)/ruff check flows transforms expectations warehouse tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BYTECODE)
	$(BIN)/python bench/run_bench.py --scale 10

bench-scale: $(STAMP) net-deps
	$(BYTECODE)
	$(BIN)/python bench/bench_scale.py

ui: $(STAMP)
	$(BIN)/prefect server start --host 127.0.0.1 --port 4200

clean:
	rm -rf $(VENV) warehouse/*.duckdb warehouse/*.duckdb.wal warehouse/.staging warehouse/reports
