#!/usr/bin/env bash
# Retrain the bundled model on photographic faces in one call of the device tool (README,
# "Training on generated faces"):
#
#   scripts/train_photo_gpu.sh PACK[,PACK...] RUNS [DMN_SECONDS VAE_SECONDS EBST_SECONDS]
#
# PACK is a prepared folder of generated faces at 256 px (scripts/pack_generated_faces.py fills
# .genpack to what the call can carry; the device machine has neither the generator's wheel nor
# mediapipe). Several packs share MIX equally; a missing one is left out with a note (a second
# pack can be copied to /tmp by an earlier call while the machine stays warm: see README).
# Each stage runs for a wall-clock budget and stops cleanly with its bundle (SIGINT):
#   1. stage 1: the DMN from the shipped weights on the mix PACK:MIX + synthetic:(1 - MIX)
#   2. the MaskVAE from the shipped one, on the masks of both sources
#   3. EBST from those two and the shipped blender, briefly
#   4. RUNS/photo-fp16.safetensors: the stage-1 DMN beside EBST's MaskVAE and blender, in fp16
#      (as the shipped bundle was composed: EBST tunes the DMN on reconstruction only)
#   5. eval on EVAL_COUNT procedural faces (the three targets), and eval --real REAL when that
#      folder exists (../shared/real_faces does not travel: run that one here afterwards)
#   6. with OUT set (the device tool's $OUT): the bundle in 15 MiB parts (the tool returns files
#      of at most 16 MiB), SHA256SUMS, the figures and the log. Put it together here with
#      cat OUT/photo-fp16.safetensors.part-* > photo-fp16.safetensors && sha256sum -c OUT/SHA256SUMS
# STAGES=dmn trains stage 1 alone and returns its DMN (21 MB): with a DMN-only bundle
# (compose_bundle.py --dmn-only) in place of the 55 MiB one for the call, it carries far more
# faces; the MaskVAE and blender are put beside it here (README, "Training on generated faces").
# With GEN_COUNT > 0 and the generator and mediapipe installed, it first draws GEN_COUNT more
# faces on the GPU (prepare generated-faces --device cuda --workers WORKERS) and mixes them in.
# DEVICE (cuda), WORKERS (14), DMN_BATCH (16), VAE_BATCH (16), EBST_BATCH (8), MIX (0.7),
# EVAL_COUNT (40), REAL (../shared/real_faces), GEN_COUNT (0), PYTHON (python3), INIT (the
# shipped bundle), STAGES (dmn vae ebst) override.
# The defaults (270 + 45 + 75 s of training, about 30 s of start-up per stage, then eval) fit
# one call of at most 600 s.
set -euo pipefail
packs=$1 runs=$2
dmn_seconds=${3:-270} vae_seconds=${4:-45} ebst_seconds=${5:-75}
shipped=${INIT:-models/maskgan-studio-bundled.safetensors} stages=${STAGES:-dmn vae ebst}
device=${DEVICE:-cuda} workers=${WORKERS:-14} mix=${MIX:-0.7} python=${PYTHON:-python3}
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
mkdir -p "$runs"
[ -z "${OUT:-}" ] || exec > >(tee "$OUT/log.txt") 2>&1
folders=()
for pack in ${packs//,/ }; do
    if [ -f "$pack/train.txt" ]; then
        echo "pack: $(wc -l <"$pack/train.txt") training faces in $pack"
        folders+=("$pack")
    else
        echo "pack: $pack is missing (a machine that went cold between calls?): left out"
    fi
done
if [ "${GEN_COUNT:-0}" -gt 0 ] && $python -c "import mediapipe, maskgan_studio.generated.face_generator as g; assert g.data_folder()" 2>/dev/null; then
    $python -m maskgan_studio prepare generated-faces --out "$runs/genfaces" --count "$GEN_COUNT" --device "$device" \
        --workers "$workers" --resolution 256
    folders+=("$runs/genfaces")
fi
[ "${#folders[@]}" -gt 0 ] || { echo "no pack of faces found in $packs" >&2; exit 2; }
share=$($python -c "print(round($mix / ${#folders[@]}, 6))")
data=()
for folder in "${folders[@]}"; do data+=(--data "$folder:$share"); done
data+=(--data "synthetic:$($python -c "print(round(1 - $mix, 6))")")
echo "device $device; ${data[*]}"

train() {
    local budget=$1 status=0
    shift
    timeout -s INT -k 60 "$budget" $python -m maskgan_studio train "$@" "${data[@]}" --device "$device" \
        --workers "$workers" || status=$?
    [ "$status" = 0 ] || [ "$status" = 124 ] || exit "$status"
}

train "$dmn_seconds" dmn --out "$runs/dmn" --preset bundled --init "$shipped" --batch-size "${DMN_BATCH:-16}"
bundle=$runs/photo-fp16.safetensors
if [ "$stages" = dmn ]; then
    $python scripts/compose_bundle.py "$runs/dmn/model.safetensors" --dmn-only --out "$bundle"
else
    train "$vae_seconds" vae --out "$runs/vae" --preset bundled --init "$shipped" --batch-size "${VAE_BATCH:-16}"
    train "$ebst_seconds" ebst --out "$runs/ebst" --preset bundled --init "$shipped" \
        --dmn "$runs/dmn/model.safetensors" --vae "$runs/vae/model.safetensors" --batch-size "${EBST_BATCH:-8}"
    $python scripts/compose_bundle.py "$runs/ebst/model.safetensors" --dmn "$runs/dmn/model.safetensors" --out "$bundle"
fi

$python -m maskgan_studio eval --model "$bundle" --count "${EVAL_COUNT:-40}" --device "$device" --no-compile \
    --json "$runs/eval.json"
real=${REAL:-../shared/real_faces}
if [ -d "$real" ]; then
    $python -m maskgan_studio eval --real "$real" --model "$bundle" --device "$device" --no-compile \
        --json "$runs/eval-real.json"
fi

if [ -n "${OUT:-}" ]; then
    split -b 15M -d "$bundle" "$OUT/photo-fp16.safetensors.part-"
    (cd "$OUT" && cat photo-fp16.safetensors.part-* | sha256sum | sed 's/-$/photo-fp16.safetensors/' >SHA256SUMS)
    cp "$runs/eval.json" "$OUT/"
    [ ! -f "$runs/eval-real.json" ] || cp "$runs/eval-real.json" "$OUT/"
    for stage in dmn vae ebst; do tail -n 3 "$runs/$stage/log.jsonl" 2>/dev/null || true; done
fi
echo "done: $bundle"
