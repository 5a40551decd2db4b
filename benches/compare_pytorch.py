#!/usr/bin/env python3
"""PyTorch (transformers) against lurescan's candle model, side by side on this machine, on the issue's reference
size: a random BERT of hidden 128, 2 layers, 4 heads, intermediate 512, vocab 8000, batch 32, at 128 tokens (full
postings) and 24 tokens (short messages).

PyTorch rows (torch.set_num_threads(THREADS), float32, default attention implementation):
  forward   torch.inference_mode(), model.eval(), pre-built id tensors: the model alone.
  e2e       PreTrainedTokenizerFast on the texts + forward: what `lurescan score` does, less file I/O.
Each PyTorch rate is the best of three windows (the least disturbed on a shared machine); lurescan score runs
are best of two.
  train     model.train() (dropout on), forward + cross-entropy + backward + AdamW step + zero_grad, at 128 tokens.

lurescan rows, from whichever of these is given:
  --lurescan BIN  times `BIN score --model DIR -q FILE` on generated JSONL (end to end: read, render, tokenize,
                  forward, write). Two runs of different sizes; throughput = extra records / extra seconds, so
                  process start and model loading cancel out. DIR is the PyTorch model saved as a lurescan folder
                  (model.safetensors from save_pretrained, the tiny fixture's tokenizer.json, lurescan.json), so
                  both sides run the same weights on the same token ids.
  --example [BIN] runs `cargo run --release -p lurescan --example throughput` (the model helper's example), or
                  BIN when given (target/release/examples/throughput), and reads its `forward` rows (model
                  alone, sequential batches of 32); PyTorch is timed again at the example's mean length.
                  The `lurescan` binary sets mimalloc as its allocator; an example that does not is up to 2x
                  slower with glibc malloc (measured), so give --example-preload libmimalloc.so (Debian:
                  apt-get install libmimalloc2.0) to compare like with like.
  --candle-train SEQ_PER_S
                  our trainer's training throughput at 128 tokens, batch 32, measured by the training helper,
                  to fill in the training ratio.
Without any of them, only the PyTorch rows are printed.

Both sides use the same number of threads and alternate in --rounds rounds, each cell keeping its best round;
still, run nothing else heavy at the same time, and compare within one run.
Needs torch and transformers (pip install torch transformers). Example, from the repository root:
  cargo build --release -p lurescan-cli
  python3 benches/compare_pytorch.py --lurescan target/release/lurescan
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_TOKENIZER = ROOT / "crates/infer/tests/fixtures/tiny-bert/tokenizer.json"
BATCH, LONG, SHORT = 32, 128, 24
WORDS = ["warehouse", "supervisor", "experience", "salary", "visa", "flight", "passport", "agency", "overseas",
         "hiring", "factory", "workers", "accommodation", "urgent", "contract", "nurse", "hospital", "engineer",
         "money", "apply", "today", "home", "free", "weekly"]


def rate(step, sequences_per_step: int, seconds: float, warmup: int = 2, windows: int = 3) -> float:
    """Sequences per second of `step()`: the best of `windows` windows of about `seconds / windows` each, after
    `warmup` untimed calls. The best window is the one least disturbed by other processes on a shared machine."""
    for _ in range(warmup):
        step()
    best = 0.0
    for _ in range(windows):
        steps, start = 0, time.perf_counter()
        while True:
            step()
            steps += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds / windows and steps >= 2:
                break
        best = max(best, steps * sequences_per_step / elapsed)
    return best


def make_model(torch):
    from transformers import BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    config = BertConfig(vocab_size=8000, hidden_size=128, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=512, max_position_embeddings=512, num_labels=2,
                        id2label={0: "legitimate", 1: "lure"}, label2id={"legitimate": 0, "lure": 1})
    return BertForSequenceClassification(config)


def make_texts(tokenizer, n: int, tokens: int, seed: int) -> list:
    """`n` lurescan records' text whose rendering (`[TEXT] ...`) encodes to exactly `tokens` ids, [CLS]/[SEP]
    included (longer texts are cut to `tokens` by max_length, so for LONG any long text does)."""
    import random

    rng = random.Random(seed)
    texts = []
    while len(texts) < n:
        words = []
        while True:
            words.append(rng.choice(WORDS))
            length = len(tokenizer("[TEXT] " + " ".join(words))["input_ids"])
            if length >= tokens:
                break
        if length == tokens or tokens == LONG:
            texts.append(" ".join(words))
    return texts


def torch_forward(torch, model, length: int, seconds: float) -> float:
    """Inference sequences/s of the model alone on random ids of `length` tokens, batch BATCH."""
    model.eval()
    ids = torch.randint(5, 8000, (BATCH, length), generator=torch.Generator().manual_seed(length))
    mask = torch.ones_like(ids)
    with torch.inference_mode():
        return rate(lambda: model(input_ids=ids, attention_mask=mask), BATCH, seconds)


def torch_rows(torch, model, tokenizer, seconds: float) -> dict:
    rows = {}
    for name, length in (("long", LONG), ("short", SHORT)):
        rows[f"forward {name}"] = torch_forward(torch, model, length, seconds)
        texts = ["[TEXT] " + t for t in make_texts(tokenizer, BATCH * 4, length, seed=length)]

        def e2e():
            for start in range(0, len(texts), BATCH):
                enc = tokenizer(texts[start:start + BATCH], truncation=True, max_length=LONG, padding=True,
                                return_tensors="pt")
                model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"])

        with torch.inference_mode():
            rows[f"e2e {name}"] = rate(e2e, len(texts), seconds, warmup=1)

    model.train()
    gen = torch.Generator().manual_seed(2)
    ids = torch.randint(5, 8000, (BATCH, LONG), generator=gen)
    mask = torch.ones_like(ids)
    labels = torch.randint(0, 2, (BATCH,), generator=gen)
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01)

    def train_step():
        loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    rows["train long"] = rate(train_step, BATCH, seconds)
    model.eval()
    return rows


def write_model_folder(model, out: Path):
    """The PyTorch model as a lurescan model folder (HF files plus lurescan.json)."""
    model.save_pretrained(str(out))
    (out / "tokenizer.json").write_bytes(FIXTURE_TOKENIZER.read_bytes())
    settings = {"threshold": 0.5, "temperature": 1.0, "max_length": LONG,
                "render": {"max_chars_per_field": 1000, "field_markers": True},
                "note": "benches/compare_pytorch.py: random weights, for timing only"}
    (out / "lurescan.json").write_text(json.dumps(settings, indent=2) + "\n")


def time_score(lurescan: str, model_dir: Path, path: Path) -> float:
    start = time.perf_counter()
    run = subprocess.run([lurescan, "score", "--model", str(model_dir), "-q", "-o", os.devnull, str(path)],
                         capture_output=True, text=True)
    if run.returncode != 0:
        raise SystemExit(f"{lurescan} score failed ({run.returncode}): {run.stderr.strip()}")
    return time.perf_counter() - start


def lurescan_score_rows(lurescan: str, model, tokenizer, seconds: float, work: Path) -> dict:
    model_dir = work / "model"
    write_model_folder(model, model_dir)
    rows = {}
    for name, length in (("long", LONG), ("short", SHORT)):
        base = make_texts(tokenizer, BATCH * 8, length, seed=length)
        small, big = work / f"{name}-small.jsonl", work / f"{name}-big.jsonl"
        small.write_text("".join(json.dumps({"text": t}) + "\n" for t in base[:BATCH * 2]))
        # Size the big run from a probe so that it takes about `seconds`.
        probe = work / f"{name}-probe.jsonl"
        probe.write_text("".join(json.dumps({"text": t}) + "\n" for t in base))
        # The probe's whole time per record overestimates the steady cost (start-up included), so the big run
        # stays at or under `seconds`; capped so that a noisy probe cannot ask for millions of records.
        per_record = time_score(lurescan, model_dir, probe) / len(base)
        n_big = BATCH * 2 + min(BATCH * 256, max(BATCH * 4, int(seconds / per_record) // BATCH * BATCH))
        t_small = time_score(lurescan, model_dir, small)
        big.write_text("".join(json.dumps({"text": base[i % len(base)]}) + "\n" for i in range(n_big)))
        # Best of two runs each, as for PyTorch's windows.
        t_big = min(time_score(lurescan, model_dir, big) for _ in range(2))
        t_small = min(t_small, time_score(lurescan, model_dir, small))
        rows[f"e2e {name}"] = (n_big - BATCH * 2) / max(t_big - t_small, 1e-9)
    return rows


def example_rows(binary: str, records: int, preload: str = None) -> list:
    """(what, mean tokens, sequences/s) rows of the throughput example's output."""
    command = ["cargo", "run", "--release", "-q", "-p", "lurescan", "--example", "throughput", "--"]
    command = (command if binary == "cargo" else [binary]) + [str(records)]
    env = dict(os.environ, LD_PRELOAD=preload) if preload else None
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise SystemExit(f"the throughput example failed: {run.stderr.strip()[-2000:]}")
    print(run.stdout.strip(), file=sys.stderr)
    rows = []
    for line in run.stdout.splitlines():
        tokens = re.search(r"([\d.]+) tokens on average", line)
        if not tokens:
            continue
        for what, pattern in (("forward", r"forward[^:]*?([\d.]+)/s"), ("e2e", r"predict ([\d.]+)/s")):
            found = re.search(pattern, line)
            if found:
                rows.append((what, float(tokens.group(1)), float(found.group(1))))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lurescan", help="lurescan binary: time `lurescan score` end to end")
    parser.add_argument("--example", nargs="?", const="cargo", metavar="BIN",
                        help="run the throughput example: built with cargo, or the given prebuilt binary")
    parser.add_argument("--example-records", type=int, default=1024, help="records per example run (1024)")
    parser.add_argument("--example-preload", metavar="SO",
                        help="LD_PRELOAD for the example only, e.g. /usr/lib/x86_64-linux-gnu/libmimalloc.so.2: "
                             "the lurescan binary uses mimalloc, an example without it is slower")
    parser.add_argument("--rounds", type=int, default=2,
                        help="alternate the two sides this many times, keep each cell's best (default 2)")
    parser.add_argument("--candle-train", type=float, help="our training sequences/s at 128 tokens, batch 32")
    parser.add_argument("--threads", type=int, default=2, help="threads for both sides (default 2)")
    parser.add_argument("--seconds", type=float, default=3.0, help="timed seconds per PyTorch row (default 3)")
    parser.add_argument("--keep", type=Path, help="write the generated model folder and JSONL here and keep them")
    args = parser.parse_args()

    # Same thread count on both sides: candle reads RAYON_NUM_THREADS, gemm's pool follows rayon.
    os.environ.setdefault("RAYON_NUM_THREADS", str(args.threads))
    # PyTorch's OpenMP threads spin while they wait; when other processes share the cores that makes a 2-thread
    # forward 5x slower (measured: 34 vs 194 sequences/s at load 12 on 2 cores). Passive waiting costs little on
    # an idle machine. Set OMP_WAIT_POLICY=ACTIVE to measure PyTorch's own default.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1):
        print(f"warning: load average {load:.1f} on {os.cpu_count()} cores; timings are unreliable", file=sys.stderr)
    import torch
    import transformers
    from transformers import PreTrainedTokenizerFast

    torch.set_num_threads(args.threads)
    model = make_model(torch)
    tokenizer = PreTrainedTokenizerFast(tokenizer_file=str(FIXTURE_TOKENIZER), pad_token="[PAD]")
    print(f"torch {torch.__version__}, transformers {transformers.__version__}, {torch.get_num_threads()} threads, "
          f"OMP_WAIT_POLICY={os.environ['OMP_WAIT_POLICY']}, attention {model.config._attn_implementation}; "
          f"batch {BATCH}, lengths {LONG} and {SHORT} tokens, load average {load:.1f}",
          file=sys.stderr)

    # Rounds alternate the two sides so that both see the same load; each cell keeps its best round.
    best = {}

    def keep(label, theirs, ours):
        old_theirs, old_ours = best.get(label, (None, None))
        pick = lambda a, b: b if a is None else a if b is None else max(a, b)
        best[label] = (pick(old_theirs, theirs), pick(old_ours, ours))

    work = args.keep or Path(tempfile.mkdtemp(prefix="compare_pytorch-"))
    work.mkdir(parents=True, exist_ok=True)
    for round_ in range(args.rounds):
        print(f"round {round_ + 1}/{args.rounds}, load average {os.getloadavg()[0]:.1f}", file=sys.stderr)
        if args.example:
            # The example's records are whatever length its texts give (mean printed): time PyTorch at that
            # length. Its `predict` rows (in process, end to end) are printed but not tabled: no same-length twin.
            for what, tokens, ours in example_rows(args.example, args.example_records, args.example_preload):
                if what == "forward":
                    length = round(tokens)
                    keep(f"forward {length} tok (example)", torch_forward(torch, model, length, args.seconds), ours)
        theirs = torch_rows(torch, model, tokenizer, args.seconds)
        ours = {"train long": args.candle_train} if args.candle_train else {}
        if args.lurescan:
            ours.update(lurescan_score_rows(args.lurescan, model, tokenizer, args.seconds, work))
        for key, value in theirs.items():
            label = key.replace("long", f"{LONG} tok").replace("short", f"{SHORT} tok")
            if key.startswith("e2e") and args.lurescan:
                label += " (score CLI)"
            keep(label, value, ours.get(key))
    if not args.keep:
        shutil.rmtree(work)
    table = [(label, t, o) for label, (t, o) in best.items()]

    print(f"\nsequences/s (best of {args.rounds} rounds), batch {BATCH}, {args.threads} threads, load average "
          f"{load:.1f} -> {os.getloadavg()[0]:.1f}")
    print(f"{'what':<32} {'PyTorch':>9} {'lurescan':>9} {'lurescan/PyTorch':>17}")
    for label, t, o in table:
        cells = (f"{o:9.0f}", f"{o / t:17.2f}") if o else (f"{'-':>9}", f"{'-':>17}")
        print(f"{label:<32} {t:9.0f} {cells[0]} {cells[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
