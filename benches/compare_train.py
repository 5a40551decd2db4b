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
To compare two lurescan builds with PyTorch in the same rounds, copy the older example binary aside and pass both:
  --binary before=target/old/train_step after=target/release/examples/train_step
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


def ours(binary: str, config: Path, args) -> dict:
    """One round of lurescan: a fresh process, one warm-up step, then args.steps timed steps."""
    env = dict(os.environ, RAYON_NUM_THREADS=str(args.threads), CANDLE_NUM_THREADS="1")
    cmd = [binary, "--config", str(config), "--batch", str(args.batch), "--len", str(args.len),
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
    parser.add_argument("--binary", nargs="+", metavar="NAME=PATH", default=[f"lurescan={BINARY}"],
                        help="lurescan builds of the train_step example to time (e.g. before=old/train_step "
                             "after=target/release/examples/train_step); each gets its own column")
    args = parser.parse_args()
    binaries = dict(b.split("=", 1) for b in args.binary)
    for name, path in binaries.items():
        if not Path(path).exists():
            sys.exit(f"{path} is missing: run `cargo build --release -p lurescan-train --example train_step` first")

    print(f"training step, batch {args.batch} × {args.len} tokens, {args.threads} threads, lurescan {args.shards} "
          f"shards; best of {args.rounds} alternating rounds of {args.steps} steps; load {os.getloadavg()[0]:.1f}")
    header = "".join(f" {name + ' seq/s':>16} {name + ' / PyTorch':>20}" for name in binaries)
    print(f"{'shape':<6} {'PyTorch seq/s':>14}{header}  rounds (PyTorch, {', '.join(binaries)})")
    for shape in args.shapes:
        config = SHAPES[shape]
        torch_side = Torch(config, args)
        rounds = []
        digests = {name: set() for name in binaries}
        for _ in range(args.rounds):
            row = [torch_side.round()]
            for name, path in binaries.items():
                result = ours(path, config, args)
                digests[name].add(result["weights_sha256"])
                row.append(result["sequences_per_second"])
            rounds.append(row)
        best = [max(r[i] for r in rounds) for i in range(len(binaries) + 1)]
        cells = "".join(f" {b:>16.1f} {b / best[0]:>20.2f}" for b in best[1:])
        detail = ", ".join("/".join(f"{x:.1f}" for x in r) for r in rounds)
        print(f"{shape:<6} {best[0]:>14.1f}{cells}  {detail}")
        for name, seen in digests.items():
            if len(seen) != 1:
                print(f"  warning: {name}'s weights differ between rounds ({sorted(seen)}): not reproducible")
    print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
