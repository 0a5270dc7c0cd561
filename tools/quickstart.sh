#!/usr/bin/env bash
# The README's main command: set up the environment, then (as the toolbox
# grows) build a demo dataset from real faces, train, test and run the demo.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup_env.sh"
laanet_setup_env

"$VENV/bin/python" -c "import laanet; print(f'[laanet] laanet {laanet.__version__} is installed in $VENV')"
cat <<'MSG'
[laanet] The environment is ready. Activate it with `source .venv/bin/activate`.
[laanet] Coming next in this command: a demo dataset built from the real faces
         that installed packages ship, a short CPU training run of LAA-Net with
         self-blended images, a held-out test with AUC/AP, and the video demo.
MSG
