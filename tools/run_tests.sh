#!/usr/bin/env bash
# Set up .venv (once) and run the test suite.
#
# Usage: bash tools/run_tests.sh [PYTEST ARGS...]
#   e.g. bash tools/run_tests.sh tests/test_models -k focal
# Environment: PYTEST_WORKERS (default 2) parallel pytest workers.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup_env.sh"
laanet_setup_env

cd "$REPO_ROOT"
set +e
"$VENV/bin/python" -m pytest -n "${PYTEST_WORKERS:-2}" "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "[laanet] pytest collected no tests: failing on purpose" >&2
    exit 1
fi
exit "$status"
