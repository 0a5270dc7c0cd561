#!/usr/bin/env bash
# The GPU check of docs/en/advanced_guides/benchmarks.md: one script, one
# table (+ JSON), under 8 minutes on one GPU.
#
#   bash tools/analysis_tools/gpu_check.sh [OUT_DIR]     # on a GPU machine
#   bash tools/analysis_tools/gpu_check.sh --dry-run [OUT_DIR]   # CPU, tiny
#
# Measures, with the default config (configs/laanet/efn4_sbi.py: B4,
# 384 px, channels-last batches):
#   1. training pass and whole SAM iteration at the paper's batch
#      (8 pairs = 16 images): images/s and peak GPU memory, in fp32, bf16
#      AMP and fp16 AMP (loss-scaled);
#   2. the rebuilt official-equivalent network's training pass in float64
#      and float32 on the same GPU, interleaved with ours;
#   3. inference (forward) images/s at batch 32, fp32 and bf16;
#   4. a 1-GPU nccl DDP smoke run of tools/dist_train.sh on the demo data;
#   5. FakeSTormer (configs/fakestormer/fakestormer_c23.py, clips of 4 x
#      224 px): SAM iteration at 16 clip pairs (fp32, bf16 AMP) and
#      inference at batch 32 clips; with FST_HARNESS=PATH (the FakeSTormer
#      reference harness module, official_fst.py, and its official tree)
#      also the official network's training pass at 2 clips, interleaved
#      (skipped, and said so, without it);
#   6. the SBI DataLoader rate with 8 workers against the training step
#      rate, on the demo data set of step 4 (made once by
#      tools/misc/make_demo_dataset.py, which needs dlib and its 68-point
#      model; a data set already in OUT_DIR/demo_data is reused, so a GPU
#      machine without dlib can be given one made elsewhere).
# Writes OUT_DIR/*.json, OUT_DIR/gpu_check.json (all of it) and
# OUT_DIR/gpu_check.md (the table), and prints the table.
# --dry-run runs every step on the CPU at 64 px, batch 2, one iteration
# (the test suite runs it); its numbers mean nothing.
set -euo pipefail

DRY=0
if [ "${1:-}" = "--dry-run" ]; then DRY=1; shift; fi
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${1:-$ROOT/work_dirs/gpu_check}"
PY="${PYTHON:-python}"
mkdir -p "$OUT"
cd "$ROOT"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
T0=$SECONDS
step() { echo "[gpu_check] ($((SECONDS - T0)) s) $*"; }
# A step whose JSON is already in OUT_DIR is not measured again (a check cut
# short resumes where it stopped); delete OUT_DIR to measure everything anew.
done_already() { [ -f "$1" ] && step "  $(basename "$1") is there: skipped"; }

CONFIG=configs/laanet/efn4_sbi.py
if [ "$DRY" = 1 ]; then
    DEV=(--device cpu); SIZE=64; TRAIN_B=2; INFER_B=2; IT=(--warmup 0 --iters 1)
    WORKERS=1; SAMPLES=2; NPROC_DEVICE=cpu
else
    DEV=(--device cuda); SIZE=384; TRAIN_B=16; INFER_B=32; IT=(--warmup 2 --iters 5)
    WORKERS=8; SAMPLES=64; NPROC_DEVICE=cuda
fi
BENCH=(tools/analysis_tools/benchmark_model.py "$CONFIG" "${DEV[@]}" --img-size "$SIZE")

for mode in train sam; do
    for amp in fp32 bf16 fp16; do
        flags=()
        [ "$amp" = bf16 ] && flags=(--amp --amp-dtype bfloat16)
        [ "$amp" = fp16 ] && flags=(--amp --amp-dtype float16)
        step "$mode, $amp, batch $TRAIN_B"
        done_already "$OUT/${mode}_${amp}.json" && continue
        "$PY" "${BENCH[@]}" --mode "$mode" --batch-size "$TRAIN_B" "${IT[@]}" \
            "${flags[@]}" --out "$OUT/${mode}_${amp}.json" > "$OUT/${mode}_${amp}.log" 2>&1 \
            || { tail -n 30 "$OUT/${mode}_${amp}.log"; exit 1; }
    done
done

step "official-equivalent network, float64 and float32, interleaved"
done_already "$OUT/reference.json" || "$PY" "${BENCH[@]}" --mode train --batch-size "$TRAIN_B" "${IT[@]}" \
    --reference official --out "$OUT/reference.json" > "$OUT/reference.log" 2>&1 \
    || { tail -n 30 "$OUT/reference.log"; exit 1; }

for amp in fp32 bf16; do
    flags=()
    [ "$amp" = bf16 ] && flags=(--amp --amp-dtype bfloat16)
    step "inference, $amp, batch $INFER_B"
    done_already "$OUT/forward_${amp}.json" && continue
    "$PY" "${BENCH[@]}" --mode forward --batch-size "$INFER_B" "${IT[@]}" \
        "${flags[@]}" --out "$OUT/forward_${amp}.json" > "$OUT/forward_${amp}.log" 2>&1 \
        || { tail -n 30 "$OUT/forward_${amp}.log"; exit 1; }
done

FST_CONFIG=configs/fakestormer/fakestormer_c23.py
if [ "$DRY" = 1 ]; then
    FST_CONFIG=configs/_base_/models/fakestormer_vit-tiny_64px.py
    FST_PAIRS_B=2; FST_INFER_B=2
else
    FST_PAIRS_B=32; FST_INFER_B=32
fi
FST_BENCH=(tools/analysis_tools/benchmark_model.py "$FST_CONFIG" "${DEV[@]}")
for run in sam_fp32 sam_bf16 forward_fp32; do
    mode=${run%_*}; flags=()
    [ "$run" = sam_bf16 ] && flags=(--amp --amp-dtype bfloat16)
    b=$FST_PAIRS_B; [ "$mode" = forward ] && b=$FST_INFER_B
    step "FakeSTormer $run, batch $b clips"
    done_already "$OUT/fakestormer_${run}.json" && continue
    "$PY" "${FST_BENCH[@]}" --mode "$mode" --batch-size "$b" "${IT[@]}" \
        "${flags[@]}" --out "$OUT/fakestormer_${run}.json" > "$OUT/fakestormer_${run}.log" 2>&1 \
        || { tail -n 30 "$OUT/fakestormer_${run}.log"; exit 1; }
done
if [ -n "${FST_HARNESS:-}" ] && [ -f "$FST_HARNESS" ]; then
    step "FakeSTormer: the official network's training pass, 2 clips, interleaved"
    done_already "$OUT/fakestormer_reference.json" || "$PY" "${FST_BENCH[@]}" --mode train --batch-size 2 "${IT[@]}" \
        --reference official --reference-harness "$FST_HARNESS" --out "$OUT/fakestormer_reference.json" \
        > "$OUT/fakestormer_reference.log" 2>&1 || { tail -n 30 "$OUT/fakestormer_reference.log"; exit 1; }
else
    step "FakeSTormer: no FST_HARNESS (the official code), the official comparison is skipped"
fi

step "DDP smoke run: tools/dist_train.sh, 1 process, demo data"
DATA="$OUT/demo_data"
[ -f "$DATA/annotations/train.json" ] || "$PY" tools/misc/make_demo_dataset.py "$DATA" --no-progress > "$OUT/demo_data.log" 2>&1 \
    || { tail -n 30 "$OUT/demo_data.log"; exit 1; }
DDP_START=$SECONDS
# dist_train.sh runs `python`: the one of $PY
PATH="$(dirname "$(command -v "$PY")"):$PATH" PORT=${PORT:-29533} bash tools/dist_train.sh configs/laanet/quickstart_efn-b0_sbi_cpu.py 1 \
    --work-dir "$OUT/ddp" --cfg-options data_root="$DATA/" \
    train_dataloader.dataset.data_root="$DATA/" \
    test_dataloader.dataset.data_root="$DATA/" \
    train_cfg.max_epochs=1 env_cfg.dist_cfg.backend=nccl \
    > "$OUT/ddp.log" 2>&1 || { tail -n 40 "$OUT/ddp.log"; exit 1; }
echo "{\"ok\": true, \"seconds\": $((SECONDS - DDP_START)), \"device\": \"$NPROC_DEVICE\"}" > "$OUT/ddp.json"

step "SBI DataLoader, $WORKERS workers"
"$PY" tools/analysis_tools/benchmark_pipeline.py configs/_base_/datasets/ffpp-raw_sbi_384px.py \
    --cfg-options train_dataloader.dataset.data_root="$DATA/" train_dataloader.dataset.ann_file=annotations/train.json \
    --num-samples "$SAMPLES" --workers "$WORKERS" --batch-size $((TRAIN_B / 2 > 0 ? TRAIN_B / 2 : 1)) \
    --out "$OUT/pipeline.json" > "$OUT/pipeline.log" 2>&1 \
    || { tail -n 30 "$OUT/pipeline.log"; exit 1; }

"$PY" tools/analysis_tools/gpu_check_table.py "$OUT"
step "done: $OUT/gpu_check.md, $OUT/gpu_check.json"
