#!/usr/bin/env python3
"""Checks an imported (or distilled) encoder folder against a float32 NumPy reference of BERT, and shows what its
mean-pooled embeddings know: the probe sentences of `models/probe/sentences.jsonl` (a job-scam sentence and an
unrelated one, each written for this project in en, tl, vi, zh, th, id, km, my) should put translations of the same
sentence close together and unrelated sentences further apart.

    python3 models/check_e5.py target/e5                             # reference embeddings and the cosine table
    python3 models/check_e5.py target/e5 --lurescan target/probe.safetensors   # and compare with lurescan's

The `--lurescan` file is what `lurescan distill --cache FILE --data models/probe/sentences.jsonl` writes: the
teacher's unit-length mean-pooled embeddings, one row per sentence in file order. Needs numpy and tokenizers.
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
from math import erf, sqrt
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    (n,) = struct.unpack_from("<Q", raw, 0)
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        a, b = meta["data_offsets"]
        dtype = {"F32": "<f4", "F16": "<f2"}[meta["dtype"]]
        out[name] = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=dtype).reshape(meta["shape"]).astype(np.float32)
    return out


def layer_norm(x, w, b, eps):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


_erf = np.vectorize(erf)


def gelu(x):
    return 0.5 * x * (1.0 + _erf(x / sqrt(2.0)))


def embed(t: dict, cfg: dict, ids: list[int]) -> np.ndarray:
    """Mean-pooled last hidden state of one sequence (no padding), float32 NumPy BERT."""
    H, nh, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["layer_norm_eps"]
    e = "bert.embeddings."
    x = t[e + "word_embeddings.weight"][ids] + t[e + "position_embeddings.weight"][: len(ids)] \
        + t[e + "token_type_embeddings.weight"][0]
    x = layer_norm(x, t[e + "LayerNorm.weight"], t[e + "LayerNorm.bias"], eps)
    hd = H // nh
    for i in range(cfg["num_hidden_layers"]):
        p = f"bert.encoder.layer.{i}."
        lin = lambda v, n: v @ t[p + n + ".weight"].T + t[p + n + ".bias"]
        q = lin(x, "attention.self.query").reshape(-1, nh, hd).transpose(1, 0, 2)
        k = lin(x, "attention.self.key").reshape(-1, nh, hd).transpose(1, 0, 2)
        v = lin(x, "attention.self.value").reshape(-1, nh, hd).transpose(1, 0, 2)
        s = q @ k.transpose(0, 2, 1) / np.sqrt(hd)
        s = np.exp(s - s.max(-1, keepdims=True))
        s /= s.sum(-1, keepdims=True)
        ctx = (s @ v).transpose(1, 0, 2).reshape(-1, H)
        x = layer_norm(lin(ctx, "attention.output.dense") + x, t[p + "attention.output.LayerNorm.weight"],
                       t[p + "attention.output.LayerNorm.bias"], eps)
        ff = lin(gelu(lin(x, "intermediate.dense")), "output.dense")
        x = layer_norm(ff + x, t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"], eps)
    v = x.mean(0)
    return v / np.linalg.norm(v)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--sentences", type=Path, default=HERE / "probe" / "sentences.jsonl")
    ap.add_argument("--lurescan", type=Path, help="lurescan's embeddings of the sentences (safetensors, `embeddings`)")
    args = ap.parse_args()
    from tokenizers import Tokenizer

    cfg = json.loads((args.folder / "config.json").read_text())
    tensors = load_safetensors(args.folder / "model.safetensors")
    tok = Tokenizer.from_file(str(args.folder / "tokenizer.json"))
    rows = [json.loads(l) for l in args.sentences.read_text(encoding="utf-8").splitlines() if l.strip()]
    ref = np.stack([embed(tensors, cfg, tok.encode(r["text"]).ids[:128]) for r in rows])
    if args.lurescan:
        ours = load_safetensors(args.lurescan)["embeddings"]
        cos = (ours * ref).sum(1)
        print(f"lurescan vs NumPy reference: cosine min {cos.min():.6f}, mean {cos.mean():.6f} over {len(rows)} sentences")
    sim = ref @ ref.T
    en_task = next(i for i, r in enumerate(rows) if r["lang"] == "en" and r["group"] == "task")
    print(f"cosine with the English task-scam sentence ({rows[en_task]['text'][:50]}…):")
    for group in ("task", "compound", "other"):
        vals = [(r["lang"], sim[en_task, i]) for i, r in enumerate(rows) if r["group"] == group and i != en_task]
        print(f"  {group:9s} " + " ".join(f"{l} {v:.3f}" for l, v in vals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
