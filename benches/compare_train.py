#!/usr/bin/env python3
"""One training step of lurescan against PyTorch's, side by side on this machine, for the shipped models' shapes.

A step is: forward in training mode (dropout on) of a batch of --batch sequences of --len random token ids, no
padding; class-weighted cross-entropy; backward; gradient clipping to norm 1; AdamW (weight decay 0.01).
  lurescan   `target/release/examples/train_step` (crates/train/examples/train_step.rs): the trainer's own code
             path, as `lurescan train` runs it: the batch cut into --shards shards whose forward and backward passes
             run on a rayon pool of --threads threads with candle on the calling thread (CANDLE_NUM_THREADS=1),
             then lurescan's AdamW. Each round is one process: one warm-up step, then --steps timed steps.
  PyTorch    transformers' BertForSequenceClassification of the same config (random weights), model.train(),
             torch.set_num_threads(--threads), F.cross_entropy with class weights, clip_grad_norm_,
             torch.optim.AdamW, zero_grad(set_to_none=True); one warm-up step, then --steps timed steps.
Both sides update every parameter, the 64000-row word embedding included (PyTorch's embedding gradient is dense, as
lurescan's is). lurescan's last layer computes the [CLS] row alone (the loss reads nothing else); PyTorch computes
every row. That is each engine's own way of computing the same loss.

Rounds alternate the two engines, in one process tree, so both see the same load on a shared machine; each cell
keeps its best round. Compare the ratio within one run, not absolute rates across runs.

Shapes: `base` = models/lurescan-base/config.json (3 layers, hidden 384, vocab 64000), `fast` =
models/lurescan-fast/config.json (2 layers, hidden 128, vocab 8000).

Needs torch and transformers (a venv). From the repository root:
  cargo build --release -p lurescan-train --example train_step
  VENV/bin/python benches/compare_train.py [--shapes base fast] [--rounds 3] [--steps 3]
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / "target" / "release" / "examples" / "train_step"
SHAPES = {"base": ROOT / "models" / "lurescan-base" / "config.json",
          "fast": ROOT / "models" / "lurescan-fast" / "config.json"}
CLASS_WEIGHTS = [0.67, 2.0]  # as the example's: one lure in four, weighted as --class-weights balanced would


def ours(config: Path, args) -> dict:
    """One round of lurescan: a fresh process, one warm-up step, then args.steps timed steps."""
    env = dict(os.environ, RAYON_NUM_THREADS=str(args.threads), CANDLE_NUM_THREADS="1")
    cmd = [str(BINARY), "--config", str(config), "--batch", str(args.batch), "--len", str(args.len),
           "--shards", str(args.shards), "--warmup", "1", "--steps", str(args.steps)]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


class Torch:
    """PyTorch's step on a model of `config`, built once (random weights) and stepped in every round."""

    def __init__(self, config: Path, args):
        import torch
        import torch.nn.functional as F
        from transformers import BertConfig, BertForSequenceClassification

        torch.set_num_threads(args.threads)
        torch.manual_seed(1)
        self.torch, self.F, self.args = torch, F, args
        cfg = BertConfig.from_dict(json.loads(config.read_text()))
        self.model = BertForSequenceClassification(cfg)
        self.model.train()
        gen = torch.Generator().manual_seed(3)
        self.ids = torch.randint(5, cfg.vocab_size, (args.batch, args.len), generator=gen)
        self.mask = torch.ones_like(self.ids)
        self.labels = torch.tensor([int(i % 4 == 0) for i in range(args.batch)])
        self.weights = torch.tensor(CLASS_WEIGHTS)
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=5e-5, weight_decay=0.01)

    def step(self):
        logits = self.model(input_ids=self.ids, attention_mask=self.mask).logits
        loss = self.F.cross_entropy(logits, self.labels, weight=self.weights)
        loss.backward()
        self.torch.nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        self.optimizer.step()
        self.optimizer.zero_grad(set_to_none=True)

    def round(self) -> float:
        self.step()
        started = time.perf_counter()
        for _ in range(self.args.steps):
            self.step()
        return self.args.steps * self.args.batch / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", nargs="+", default=["base", "fast"], choices=sorted(SHAPES))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=3, help="timed steps per round and engine")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--shards", type=int, default=4, help="lurescan's shards per batch (`lurescan train`: 4)")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--len", type=int, default=128)
    args = parser.parse_args()
    if not BINARY.exists():
        sys.exit(f"{BINARY} is missing: run `cargo build --release -p lurescan-train --example train_step` first")

    print(f"training step, batch {args.batch} × {args.len} tokens, {args.threads} threads, lurescan {args.shards} "
          f"shards; best of {args.rounds} alternating rounds of {args.steps} steps; load {os.getloadavg()[0]:.1f}")
    print(f"{'shape':<6} {'PyTorch seq/s':>14} {'lurescan seq/s':>15} {'lurescan / PyTorch':>19}  rounds (ours, torch)")
    for shape in args.shapes:
        config = SHAPES[shape]
        torch_side = Torch(config, args)
        rounds = []
        digests = set()
        for _ in range(args.rounds):
            result = ours(config, args)
            digests.add(result["weights_sha256"])
            rounds.append((result["sequences_per_second"], torch_side.round()))
        best_ours, best_torch = max(r[0] for r in rounds), max(r[1] for r in rounds)
        detail = ", ".join(f"{a:.1f}/{b:.1f}" for a, b in rounds)
        print(f"{shape:<6} {best_torch:>14.1f} {best_ours:>15.1f} {best_ours / best_torch:>19.2f}  {detail}")
        if len(digests) != 1:
            print(f"  warning: lurescan's weights differ between rounds ({sorted(digests)}): not reproducible")
    print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
