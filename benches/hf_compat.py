#!/usr/bin/env python3
"""Proves that a lurescan model folder is a Hugging Face model: it loads with `transformers` and gives the numbers
lurescan gives.

The folder (config.json, model.safetensors, tokenizer.json, lurescan.json) is loaded with
`transformers.BertForSequenceClassification.from_pretrained(dir)` and `PreTrainedTokenizerFast(tokenizer_file=...)`.
Records are rendered with a port of `lurescan::record::render` (crates/infer/src/record.rs), cut to lurescan.json's
`max_length`, and scored as lurescan scores them: softmax(logits / temperature)[lure index].

Two checks, each printing its max abs difference and PASS/FAIL against a stated tolerance:
  * --expected FILE (default: the tiny fixture's expected.json when DIR is the fixture): token ids must match
    exactly, logits within the file's `tolerance` (1e-4; the reference is a float64 numpy BERT).
  * --jsonl FILE with --lurescan BIN: runs `BIN score --model DIR -q FILE` and compares its `score` column with the
    scores computed here (tolerance 1e-4 on probabilities, float32 on both sides), and its labels.

Needs torch and transformers (pip install torch transformers; CPU is enough). Examples, from the repository root:
  python3 benches/hf_compat.py
  python3 benches/hf_compat.py --model crates/infer/tests/fixtures/tiny-bert \\
      --jsonl datasets/short-lures.jsonl --lurescan target/release/lurescan
Exit code 0 when every check ran passes, 1 when one fails.
"""
import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "crates/infer/tests/fixtures/tiny-bert"

# lurescan::record::Field, in declaration (= rendering) order: (JSON key, marker).
FIELDS = [
    ("title", "[TITLE]"), ("location", "[LOCATION]"), ("department", "[DEPARTMENT]"), ("salary_range", "[SALARY]"),
    ("employment_type", "[EMPLOYMENT]"), ("industry", "[INDUSTRY]"), ("function", "[FUNCTION]"),
    ("company_profile", "[COMPANY]"), ("description", "[DESCRIPTION]"), ("requirements", "[REQUIREMENTS]"),
    ("benefits", "[BENEFITS]"), ("text", "[TEXT]"),
]
FIELD_INDEX = {name: i for i, (name, _) in enumerate(FIELDS)}

# Rust's char::is_whitespace (Unicode White_Space), which str::split_whitespace and str::trim use. Python's
# str.split() also splits at U+001C..U+001F, so it is not used.
RUST_WHITESPACE = set(
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)


def split_whitespace(s: str) -> list:
    words, word = [], []
    for ch in s:
        if ch in RUST_WHITESPACE:
            if word:
                words.append("".join(word))
                word = []
        else:
            word.append(ch)
    if word:
        words.append("".join(word))
    return words


def json_text(value):
    """A JSON value as `Record::from_json_object` takes it: strings as they are, numbers and booleans as their
    text, null as absent. (serde_json prints floats a little differently from Python: 1e20 vs 1e+20.)"""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return value if isinstance(value, str) else json.dumps(value)
    raise ValueError(f"field must be a string, found {type(value).__name__}")


def record_fields(obj: dict) -> dict:
    """`Record::from_json_object`: keys matched ignoring ASCII case and surrounding blanks, unknown keys ignored,
    blank values absent. serde_json's map (no `preserve_order`) visits keys sorted, so with two spellings of one
    field the sorted-last wins."""
    fields = {}
    for key in sorted(obj):
        name = key.strip().lower() if key.strip().isascii() else None
        if key == "id" or name not in FIELD_INDEX:
            continue
        value = json_text(obj[key])
        fields.pop(name, None)
        if value is not None and split_whitespace(value):
            fields[name] = value
    return fields


def render(fields: dict, max_chars_per_field: int = 1000, field_markers: bool = True, **reading) -> str:
    """Port of `lurescan::record::render`: present fields in Field order, each opened by its marker, blanks
    folded, each cut to `max_chars_per_field` characters (Unicode scalar values). The text is taken as written: how
    lurescan reads it first (`reading`: lurescan.json's `deobfuscate`, `fold_traditional`) is not ported, so compare
    on records those leave unchanged, as a `transformers` user would see them."""
    out = ""
    for name, marker in FIELDS:
        if name not in fields:
            continue
        if out:
            out += " "
        if field_markers:
            out += marker + " "
        chars = 0
        for word in split_whitespace(fields[name]):
            if chars >= max_chars_per_field:
                break
            if chars > 0:
                out += " "
                chars += 1
            cut = word[: max(max_chars_per_field - chars, 0)]
            chars += len(cut)
            out += cut
    return out


class HfModel:
    """A lurescan model folder loaded with transformers, scoring as lurescan does."""

    def __init__(self, model_dir: Path, dtype):
        import torch
        from transformers import BertForSequenceClassification, PreTrainedTokenizerFast

        self.torch = torch
        self.model, info = BertForSequenceClassification.from_pretrained(str(model_dir), output_loading_info=True)
        problems = {k: v for k, v in info.items() if v}
        if problems:
            raise SystemExit(f"FAIL: {model_dir}: transformers reports {problems}")
        self.model = self.model.to(dtype).eval()
        self.tokenizer = PreTrainedTokenizerFast(tokenizer_file=str(model_dir / "tokenizer.json"), pad_token="[PAD]")
        self.settings = json.loads((model_dir / "lurescan.json").read_text())
        self.max_length = int(self.settings.get("max_length", 128))
        self.temperature = float(self.settings.get("temperature", 1.0))
        self.threshold = float(self.settings.get("threshold", 0.5))
        label2id = self.model.config.label2id or {}
        self.lure_index = int(label2id.get("lure", 1))

    def encode(self, texts: list) -> list:
        return self.tokenizer(texts, truncation=True, max_length=self.max_length)["input_ids"]

    def logits(self, texts: list, batch_size: int = 32):
        """Logits as float64 numpy, [len(texts), num_labels]; padded batches with an attention mask."""
        import numpy as np

        rows = []
        with self.torch.inference_mode():
            for start in range(0, len(texts), batch_size):
                enc = self.tokenizer(texts[start:start + batch_size], truncation=True, max_length=self.max_length,
                                     padding=True, return_tensors="pt")
                out = self.model(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"])
                rows.append(out.logits.double().numpy())
        return np.concatenate(rows) if rows else np.zeros((0, self.model.config.num_labels))

    def scores(self, logits):
        import numpy as np

        z = logits / self.temperature
        z = np.exp(z - z.max(-1, keepdims=True))
        return (z / z.sum(-1, keepdims=True))[:, self.lure_index]


def verdict(name: str, diff: float, tolerance: float) -> bool:
    ok = diff <= tolerance
    print(f"{name}: max abs diff {diff:.3e} (tolerance {tolerance:g}) -> {'PASS' if ok else 'FAIL'}")
    return ok


def check_expected(hf: HfModel, expected_path: Path) -> bool:
    expected = json.loads(expected_path.read_text())
    tolerance = float(expected.get("tolerance", 1e-4))
    cases = expected["cases"]
    ok = True
    for case in cases:
        if "record" in case:
            rendered = render(record_fields(case["record"]), **hf.settings.get("render", {}))
            if rendered != case["text"]:
                print(f"FAIL: render({case['record']!r}) = {rendered!r}, expected {case['text']!r}")
                ok = False
    texts = [case["text"] for case in cases]
    ids = hf.encode(texts)
    bad_ids = [i for i, case in enumerate(cases) if ids[i] != case["ids"]]
    print(f"token ids: {len(cases) - len(bad_ids)}/{len(cases)} cases identical to {expected_path.name}")
    if bad_ids:
        ok = False
        for i in bad_ids:
            print(f"  case {i} {texts[i][:40]!r}: transformers {ids[i]} expected {cases[i]['ids']}")
    logits = hf.logits(texts)
    diff = max(abs(float(a) - float(b)) for row, case in zip(logits, cases) for a, b in zip(row, case["logits"]))
    return verdict(f"logits vs {expected_path.name} ({len(cases)} cases, padded batch)", diff, tolerance) and ok


def check_cli(hf: HfModel, model_dir: Path, jsonl: Path, lurescan: str, tolerance: float) -> bool:
    import numpy as np

    run = subprocess.run([lurescan, "score", "--model", str(model_dir), "-q", str(jsonl)],
                         capture_output=True, text=True)
    if run.returncode != 0:
        print(f"FAIL: {lurescan} score exited {run.returncode}: {run.stderr.strip()}")
        return False
    # JSON Lines end at "\n" only (str.splitlines would also split inside a string at U+2028, U+0085, ...).
    rows = [json.loads(line) for line in run.stdout.split("\n") if line.strip()]
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8-sig").split("\n") if line.strip()]
    if len(rows) != len(records):
        print(f"FAIL: {len(records)} records in {jsonl}, {len(rows)} rows from lurescan")
        return False
    rendered = [render(record_fields(r), **hf.settings.get("render", {})) for r in records]
    scorable = [i for i, text in enumerate(rendered) if text]
    ok = True
    for i, row in enumerate(rows):
        if (row["score"] is None) != (i not in set(scorable)):
            print(f"FAIL: record {i + 1}: lurescan score {row['score']} error {row['error']!r}, rendered {rendered[i]!r}")
            ok = False
    mine = hf.scores(hf.logits([rendered[i] for i in scorable]))
    theirs = np.array([rows[i]["score"] if rows[i]["score"] is not None else np.nan for i in scorable], dtype=float)
    diff = float(np.nanmax(np.abs(mine - theirs))) if scorable else 0.0
    labels = ["lure" if s >= hf.threshold else "legitimate" for s in mine]
    # A score within the tolerance of the threshold may fall either side of it.
    flips = [i for i, lab in zip(scorable, labels)
             if rows[i]["label"] != lab and abs(rows[i]["score"] - hf.threshold) > tolerance]
    print(f"lurescan score on {jsonl.name}: {len(scorable)} scored, {len(rows) - len(scorable)} errors; "
          f"{len(flips)} label disagreements")
    return verdict("scores vs lurescan score", diff, tolerance) and ok and not flips


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=FIXTURE, help="model folder (default: the tiny fixture)")
    parser.add_argument("--expected", type=Path, help="expected.json with ids and logits (default: the fixture's)")
    parser.add_argument("--jsonl", type=Path, help="records to score with both transformers and --lurescan")
    parser.add_argument("--lurescan", help="the lurescan binary (for --jsonl), e.g. target/release/lurescan")
    parser.add_argument("--tolerance", type=float, default=1e-4, help="on probabilities for --jsonl (default 1e-4)")
    parser.add_argument("--float64", action="store_true", help="run transformers in float64 (default float32)")
    args = parser.parse_args()

    import torch

    expected = args.expected
    if expected is None and args.model.resolve() == FIXTURE.resolve():
        expected = FIXTURE.parent / "expected.json"
    if expected is None and args.jsonl is None:
        parser.error("nothing to compare: give --expected FILE or --jsonl FILE --lurescan BIN")
    if args.jsonl is not None and not args.lurescan:
        parser.error("--jsonl needs --lurescan BIN")

    hf = HfModel(args.model, torch.float64 if args.float64 else torch.float32)
    cfg = hf.model.config
    print(f"transformers loaded {args.model}: BertForSequenceClassification hidden {cfg.hidden_size}, "
          f"{cfg.num_hidden_layers} layers, vocab {cfg.vocab_size}, {'float64' if args.float64 else 'float32'}; "
          f"no missing or unexpected tensors")
    ok = True
    if expected is not None:
        ok &= check_expected(hf, expected)
    if args.jsonl is not None:
        ok &= check_cli(hf, args.model, args.jsonl, args.lurescan, args.tolerance)
    print("ALL PASS" if ok else "SOME CHECK FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
