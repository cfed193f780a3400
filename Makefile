# One entry point for people and CI. Everything runs through uv with the locked dependencies.
export UV_PYTHON_DOWNLOADS := never
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
LOAD_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/stepahead_load
UV := uv

.PHONY: help setup demo test lint test-sqlite test-postgres bench bench-quick bench-load charts

help:
	@echo "make demo   - migrate a fresh SQLite database, load the demo organisation, serve on 127.0.0.1:8000"
	@echo "make test   - lint, type-check, the whole suite on SQLite, the database suite on PostgreSQL"
	@echo "make bench  - matching benchmarks (writes bench/results/)"
	@echo "make bench-load - the load benchmark on SQLite and PostgreSQL, and the proposals page"

# uv and the locked Python dependencies; axe-core for the browser tests' accessibility checks
# (pinned in tests/browser/package-lock.json; skipped when npm is missing).
setup:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet --compile-bytecode
	@# Our own modules too: where PYTHONDONTWRITEBYTECODE is set (as on CI), every process would
	@# otherwise compile every import from source again, which costs seconds per test worker.
	@$(UV) run python -m compileall -q src tests bench
	@$(UV) run python -m stepahead.matching  # compile the engine's kernels once, not on a first match
	@[ -d tests/browser/node_modules ] || ! command -v npm >/dev/null \
	  || npm ci --prefix tests/browser --silent

PORT ?= 8000

demo: setup
	$(UV) run stepahead demo --port $(PORT) $(DEMO_ARGS)

test: setup lint test-sqlite test-postgres

lint:
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run mypy

# The kernels' own tests run twice: compiled, then as plain Python (numba's JIT off), so that
# coverage sees inside the compiled kernels too. The report covers both runs.
KERNEL_TESTS := tests/unit/matching/test_mentoring_scan.py tests/unit/matching/test_peer_kernel.py \
	tests/unit/matching/test_peer_buckets.py \
	tests/unit/matching/test_peer_auction.py \
	tests/unit/matching/test_peer.py tests/unit/matching/test_general_matching.py \
	tests/unit/matching/test_mentoring_repair.py \
	tests/unit/matching/test_circles_regroup.py tests/unit/matching/test_circles_trade.py \
	tests/unit/matching/test_circles_columns.py tests/unit/matching/test_circles_catalogue.py \
	tests/unit/matching/test_circles_bound.py tests/unit/matching/test_peer_blossom_pools.py

test-sqlite:
	$(UV) run pytest -n 2 --cov --cov-report=
	NUMBA_DISABLE_JIT=1 $(UV) run pytest -n 2 --cov --cov-append --cov-report=term:skip-covered $(KERNEL_TESTS)

test-postgres:
	DATABASE_URL=$(POSTGRES_URL) $(UV) run pytest -n 2 tests/integration tests/browser

bench: setup
	$(UV) run python -m bench.bench_matching
	$(UV) run python -m bench.bench_parse

# The load benchmark (50 clients, a 10k-person programme) on SQLite, then on PostgreSQL (a database
# of its own, dropped and created afresh), then the proposals page alone; bench/results/.
bench-load: setup
	$(UV) run python -m bench.load.run
	$(UV) run python -m bench.load.run --database $(LOAD_POSTGRES_URL)
	$(UV) run python -m bench.bench_proposals

bench-quick: setup
	$(UV) run python -m bench.bench_matching --quick

# The insights pages' chart script (Vega-Lite via vega-embed), bundled by esbuild from the pinned
# npm packages in frontend/charts; the bundle is committed, so only a version change needs this.
charts:
	npm ci --prefix frontend/charts --silent
	npm run --prefix frontend/charts build
