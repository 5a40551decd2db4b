#!/usr/bin/env bash
# Trains the shipped fast model, models/lurescan-fast (the default model until session 4), from the shared pool's train and valid splits (the test
# split is never read here) plus the project's synthetic compound lures and hard negatives (datasets/synth_lures.py,
# training only). Needs the pool beside the clone (../shared/datasets/lurescan-pool-v1/pool.jsonl),
# python3 and cargo. The flags below are the whole recipe; they are also recorded in the model folder's
# lurescan.json under training.flags. Same pool, flags and seed give a byte-identical model.safetensors.
#
#   models/train-fast.sh            # writes models/lurescan-fast (replaced in one rename at the end)
#   OUT=/tmp/try models/train-fast.sh --epochs 4   # extra flags override the recipe
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-models/lurescan-fast}

python3 datasets/import_pool.py --out target/pool
python3 datasets/synth_lures.py --edition 1 --out target/pool/synthetic.jsonl
cat target/pool/train.jsonl target/pool/synthetic.jsonl > target/pool/train-plus-synthetic.jsonl
cargo build --release -p lurescan-cli
# mimalloc keeps freed pages instead of returning them after every step: faster training.
export MIMALLOC_PURGE_DELAY=-1
target/release/lurescan train \
  --data target/pool/train-plus-synthetic.jsonl --valid target/pool/valid.jsonl --out "$out" \
  --config models/lurescan-fast.recipe.json "$@"
echo "trained $out; rebuild (cargo build --release -p lurescan-cli) to embed it in the binary" >&2
