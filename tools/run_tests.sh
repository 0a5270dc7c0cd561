#!/usr/bin/env bash
# Set up .venv (once) and run the test suite.
#
# Usage: bash tools/run_tests.sh [PYTEST ARGS...]
#   e.g. bash tools/run_tests.sh tests/test_models -k focal
# Environment:
#   PYTEST_WORKERS   parallel pytest workers (default 2).
#   LAANET_ALL_TESTS 1 also runs the tests marked `slow` (subprocess tools,
#                    multi-process, dlib and full-model tests); .ci/run sets
#                    it. Without it they are left out, unless PYTEST ARGS
#                    give their own -m.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup_env.sh"
laanet_setup_env

cd "$REPO_ROOT"
marker=()
if [ "${LAANET_ALL_TESTS:-0}" != "1" ] && [[ " $* " != *" -m "* ]]; then
    marker=(-m "not slow")
    echo "[laanet] leaving out the tests marked slow (LAANET_ALL_TESTS=1 runs them)"
fi
set +e
"$VENV/bin/python" -m pytest -n "${PYTEST_WORKERS:-2}" "${marker[@]}" "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
    echo "[laanet] pytest collected no tests: failing on purpose" >&2
    exit 1
fi
exit "$status"
