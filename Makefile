# Developer and CI entry points. The logic lives in tools/*.py (stdlib only).
#
#   make test                          everything (what .ci/run runs)
#   make test ANSIBLE_MATRIX=2.21      one matrix entry (2.16 = py3.11, 2.21 = py3.12)
#   make sanity SANITY_TESTS="pep8 pylint"   only these ansible-test sanity tests
#   make units | make integration | make emulator-tests
#   make demo | make emulator | make venv | make clean

PYTHON ?= python3
ANSIBLE_MATRIX ?=
SANITY_TESTS ?=
ANSIBLE_TEST_ARGS ?=
EMULATOR_ARGS ?=

RUN_TESTS = $(PYTHON) tools/run_tests.py --matrix "$(ANSIBLE_MATRIX)" \
	--sanity-test "$(SANITY_TESTS)" --ansible-test-args "$(ANSIBLE_TEST_ARGS)"

.PHONY: test sanity units integration emulator-tests venv demo emulator build-tree clean

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

venv:
	$(PYTHON) tools/venv_tool.py

build-tree:
	$(PYTHON) tools/build_tree.py

demo:
	$(PYTHON) tools/demo.py

emulator:
	$(PYTHON) -m tests.emulator $(EMULATOR_ARGS)

clean:
	rm -rf build tests/output tests/integration/integration_config.yml
	find . -name __pycache__ -type d -not -path './.venv*' -prune -exec rm -rf {} +
