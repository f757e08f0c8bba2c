#!/usr/bin/env bash
# Every plugin's EXAMPLES, run against the emulator as a user runs them (run_examples.py says how).
# The emulator's URLs and credentials come from ../../integration_config.yml (written by the test tooling)
# or from the environment (EMULATOR_CONTROL_URL, OPENPORT_TOKEN, ...).
set -eux

PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
WORK="$(mktemp -d)"
trap 'rm -rf "${WORK}"' EXIT

"${PYTHON}" run_examples.py "${WORK}"
