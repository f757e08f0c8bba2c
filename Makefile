# Developer and CI entry points. The logic lives in tools/*.py (stdlib only).
#
#   make test                          everything (what .ci/run runs)
#   make test ANSIBLE_MATRIX=2.21      one matrix entry (2.16 = py3.11, 2.21 = py3.12)
#   make test TEST_JOBS=1              every step in turn (default: lanes in parallel, one per CPU)
#   make sanity SANITY_TESTS="pep8 pylint"   only these ansible-test sanity tests
#   make units | make integration | make emulator-tests | make e2e
#   make demo | make emulator | make venv | make clean
#   make docs                          the HTML docs site (antsibull-docs, Sphinx) in build/docs/html
#   make ecosystem                     linters, changelog, Galaxy import, EE and AWX-style checks
#   make bench [BENCH_LATENCY_MS=50]   the benchmark (tests/benchmarks), results in build/bench
#   make bench-smoke                   the same at a tiny size: a check that it works (< 1 min)

PYTHON ?= python3
ANSIBLE_MATRIX ?=
SANITY_TESTS ?=
ANSIBLE_TEST_ARGS ?=
EMULATOR_ARGS ?=
BENCH_LATENCY_MS ?= 50
BENCH_ARGS ?=
TEST_JOBS ?=

RUN_TESTS = $(PYTHON) tools/run_tests.py --matrix "$(ANSIBLE_MATRIX)" \
	--sanity-test "$(SANITY_TESTS)" --ansible-test-args "$(ANSIBLE_TEST_ARGS)" \
	$(if $(TEST_JOBS),--jobs $(TEST_JOBS),)

.PHONY: test sanity units integration emulator-tests e2e venv demo emulator build-tree clean bench bench-smoke

test:
	$(RUN_TESTS)

sanity:
	$(RUN_TESTS) --steps sanity

units:
	$(RUN_TESTS) --steps units

integration:
	$(RUN_TESTS) --steps integration

emulator-tests:
	$(RUN_TESTS) --steps emulator

e2e:
	$(RUN_TESTS) --steps e2e

.PHONY: ecosystem docs

ecosystem:
	$(RUN_TESTS) --steps ecosystem

docs:
	$(PYTHON) tools/ecosystem.py docs

venv:
	$(PYTHON) tools/venv_tool.py

build-tree:
	$(PYTHON) tools/build_tree.py

demo:
	$(PYTHON) tools/demo.py

emulator:
	$(PYTHON) -m tests.emulator $(EMULATOR_ARGS)

bench:
	$(PYTHON) tests/benchmarks/bench.py --latency-ms $(BENCH_LATENCY_MS) --out build/bench $(BENCH_ARGS)

bench-smoke:
	$(PYTHON) tests/benchmarks/bench.py --smoke --out build/bench-smoke $(BENCH_ARGS)

clean:
	rm -rf build tests/output tests/integration/integration_config.yml
	find . -name __pycache__ -type d -not -path './.venv*' -prune -exec rm -rf {} +
