#!/usr/bin/env bash
# Continue the bundled model on a lent GPU (the device tool), each stage for a wall-clock budget:
# SIGINT ends a run cleanly, with its checkpoint and bundle (README "Training").
#
#   scripts/train_bundled_gpu.sh dmn SECONDS RUNS    stage 1 from the shipped weights, or --resume
#                                                    RUNS/dmn when an earlier call left it there
#   scripts/train_bundled_gpu.sh ebst SECONDS RUNS   EBST from RUNS/dmn and the shipped MaskVAE
#   scripts/train_bundled_gpu.sh pick COUNT RUNS     eval the candidates on COUNT faces, store the
#                                                    one with the lower style-copy delta E (the
#                                                    target the CPU-only model missed) in fp16 as
#                                                    RUNS/best.safetensors
#
# Candidates for `pick`: the EBST bundle as it is, and the stage-1 DMN with the EBST run's MaskVAE
# and blender (EBST trains the DMN on reconstruction only; stage 1 also on restyled targets).
# DEVICE (default cuda), WORKERS (default 14), DMN_BATCH (16) and EBST_BATCH (8) override.
set -euo pipefail
stage=$1 budget=$2 runs=$3
shipped=models/maskgan-studio-bundled.safetensors
device=${DEVICE:-cuda}
mkdir -p "$runs"

train() {
    local status=0
    timeout -s INT -k 120 "$budget" python -m maskgan_studio train "$@" --data synthetic --device "$device" \
        --workers "${WORKERS:-14}" || status=$?
    [ "$status" = 0 ] || [ "$status" = 124 ] || exit "$status"
}

case $stage in
dmn)
    if [ -f "$runs/dmn/checkpoint.pt" ]; then
        train dmn --out "$runs/dmn" --resume
    else
        train dmn --out "$runs/dmn" --preset bundled --init "$shipped" --batch-size "${DMN_BATCH:-16}"
    fi ;;
ebst)
    rm -rf "$runs/ebst"
    train ebst --out "$runs/ebst" --preset bundled --dmn "$runs/dmn/model.safetensors" --vae "$shipped" --batch-size "${EBST_BATCH:-8}" ;;
pick)
    python scripts/compose_bundle.py "$runs/ebst/model.safetensors" --out "$runs/ebst-fp16.safetensors"
    python scripts/compose_bundle.py "$runs/ebst/model.safetensors" --dmn "$runs/dmn/model.safetensors" \
        --out "$runs/stage1-fp16.safetensors"
    for name in ebst stage1; do
        python -m maskgan_studio eval --model "$runs/$name-fp16.safetensors" --count "$budget" --device "$device" \
            --no-compile --json "$runs/eval-$name.json" >"$runs/eval-$name.txt" 2>&1
    done
    best=$(python - "$runs" <<'PY'
import json, sys
runs = sys.argv[1]
scores = {name: json.load(open(f"{runs}/eval-{name}.json")) for name in ("ebst", "stage1")}
for name, s in scores.items():
    print(f"{name}: psnr_changed {s['overall']['psnr_changed']:.2f}, ssim {s['overall']['ssim']:.3f}, "
          f"style copy delta E {s['style_copy']['delta_e_median']:.2f}", file=sys.stderr)
print(min(scores, key=lambda name: scores[name]["style_copy"]["delta_e_median"]))
PY
)
    echo "best: $best"
    cp "$runs/$best-fp16.safetensors" "$runs/best.safetensors" ;;
*)
    echo "usage: $0 dmn|ebst SECONDS RUNS, or $0 pick COUNT RUNS" >&2; exit 2 ;;
esac
