#!/usr/bin/env bash
# Integration test of the tunnelops.tunnels.tunnel_sessions inventory plugin against the emulator.
# The emulator URLs and credentials come from ../../integration_config.yml (written by the test
# tooling into ansible-test's copy of tests/integration/) or from the environment
# (EMULATOR_CONTROL_URL, OPENPORT_TOKEN, ...; see emulator_fleet.py).
set -eux

PYTHON="${ANSIBLE_TEST_PYTHON_INTERPRETER:-python}"
WORK="$(mktemp -d)"
trap 'rm -rf "${WORK}"' EXIT

"${PYTHON}" inventory_checks.py "${WORK}"
"${PYTHON}" source_checks.py "${WORK}"
"${PYTHON}" awx_source.py "${WORK}"
