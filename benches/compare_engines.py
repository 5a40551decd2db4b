#!/usr/bin/env python3
"""lurescan against PyTorch eager, ONNX Runtime fp32 and ONNX Runtime int8 on one lurescan model folder, side by
side on this machine, on the same records and the same token ids; every rate also as a fraction of the machine's
measured matrix-multiply rate (the roofline).

What is timed (sequences per second, --threads threads on every side; the Python engines in batches of 32, lurescan
at its default --batch-size, 8, which measured as fast as 32 for int8 and 2-4% slower for fp32 on postings):
  PyTorch eager   transformers' BertForSequenceClassification loaded from the folder (fp32), torch.inference_mode.
  ORT fp32        the same model exported with torch.onnx.export, run by onnxruntime (CPU provider).
  ORT int8        that ONNX file through onnxruntime.quantization.quantize_dynamic (int8 weights, uint8
                  activations quantised per call): what a performance engineer would pick on a CPU.
  lurescan        `lurescan score --model DIR -q -o /dev/null FILE` end to end (read, render, tokenize, forward,
                  lexical member, write), once per --precision given. Two runs of different sizes; throughput =
                  extra records / extra seconds, so process start and model loading cancel out.
The three Python engines get the ids lurescan computes (this script renders the records as lurescan does, cuts them
to the folder's max_length, sorts by length and pads each batch of 32 to its longest, as `lurescan score --batch-size 32` does) and
are timed on the model alone: tokenising is theirs to skip.

Inputs:
  24 tok    synthetic messages that encode to exactly 24 ids
  128 tok   synthetic postings (several fields) cut to 128 ids
  messages  the first --records messages of the pool's test split (/work/shared/datasets/lurescan-pool-v2/pool.jsonl,
            or --pool); without a pool, the repository's examples
  postings  the same for postings
Rounds alternate the engines so that all see the same load on a shared machine; each cell keeps its best round.
Compare ratios within one run, not absolute rates across runs.

Before timing, a parity check runs `lurescan score` on a BERT-only copy of the folder (no lexical member) and
compares its scores with softmax(PyTorch logits / temperature) on the same ids: max |Δscore| is printed per
precision, so a token-id or numeric mismatch shows before any timing is trusted.

Roofline: fp32 = numpy's sgemm (OpenBLAS, --threads threads) on 4096×384 · 384×1536; int8 = onnxruntime's
MatMulInteger (uint8 × int8 → int32) on the same shape. A rate's fraction = its useful GFLOP/s (2 × multiply-adds of
the encoder at each record's unpadded length, attention included, embedding and head left out) over the roofline.

Needs torch, transformers, onnx, onnxruntime, onnxscript, numpy and threadpoolctl (a venv: `python3 -m venv
target/venv && target/venv/bin/pip install torch transformers onnx onnxruntime onnxscript threadpoolctl`). From
the repository root:
  cargo build --release -p lurescan-cli
  target/venv/bin/python benches/compare_engines.py --model models/lurescan-base [--precision fp32 int8]
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POOL = Path("/work/shared/datasets/lurescan-pool-v2/pool.jsonl")
BATCH = 32
# Field order, JSON names and markers as crates/infer/src/record.rs (`Field::ALL`, `name`, `marker`).
FIELDS = [("title", "[TITLE]"), ("location", "[LOCATION]"), ("department", "[DEPARTMENT]"),
          ("salary_range", "[SALARY]"), ("employment_type", "[EMPLOYMENT]"), ("industry", "[INDUSTRY]"),
          ("function", "[FUNCTION]"), ("company_profile", "[COMPANY]"), ("description", "[DESCRIPTION]"),
          ("requirements", "[REQUIREMENTS]"), ("benefits", "[BENEFITS]"), ("text", "[TEXT]")]
WORDS = ["warehouse", "supervisor", "experience", "salary", "visa", "flight", "passport", "agency", "overseas",
         "hiring", "factory", "workers", "accommodation", "urgent", "contract", "nurse", "hospital", "engineer",
         "money", "apply", "today", "home", "free", "weekly", "gaji", "kerja", "việc", "làm", "工作", "高薪"]


def log(*args):
    print(*args, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- records and ids, as lurescan computes them

def field_value(record: dict, name: str):
    for key, value in record.items():
        if key.strip().lower() == name and value is not None and not isinstance(value, (dict, list)):
            text = value if isinstance(value, str) else json.dumps(value)
            return text if text.strip() else None
    return None


def render(record: dict, render_cfg: dict) -> str:
    """crates/infer/src/record.rs `render`: present fields in order, optional markers, blanks folded, each field cut
    to max_chars_per_field characters (at word boundaries, the last word cut)."""
    limit, markers = render_cfg.get("max_chars_per_field", 1000), render_cfg.get("field_markers", True)
    out = []
    for name, marker in FIELDS:
        value = field_value(record, name)
        if value is None:
            continue
        part, chars = [], 0
        for word in value.split():
            if chars >= limit:
                break
            if chars > 0:
                chars += 1
            cut = word[:max(0, limit - chars)]
            chars += len(cut)
            part.append(cut)
        out.append((marker + " " if markers else "") + " ".join(part))
    return " ".join(out)


class Encoder:
    def __init__(self, folder: Path, settings: dict):
        from tokenizers import Tokenizer

        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.no_truncation()
        self.tok.no_padding()
        self.max_length = settings.get("max_length", 128)
        self.render_cfg = settings.get("render", {})
        self.added = len(self.tok.encode("", add_special_tokens=True).ids)

    def ids(self, record: dict) -> list:
        """crates/infer/src/tokenizer.rs `encode`: cut the text's ids to max_length less the added tokens, then add
        the opening and closing tokens."""
        enc = self.tok.encode(render(record, self.render_cfg), add_special_tokens=False)
        enc.truncate(max(0, self.max_length - self.added))
        return self.tok.post_process(enc).ids


def synthetic_messages(encoder: Encoder, n: int, tokens: int, seed: int) -> list:
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        words = []
        while True:
            words.append(rng.choice(WORDS))
            length = len(encoder.ids({"text": " ".join(words)}))
            if length >= tokens:
                break
        if length == tokens:
            out.append({"id": f"m{len(out)}", "text": " ".join(words)})
    return out


def synthetic_postings(n: int, seed: int) -> list:
    rng = random.Random(seed)
    words = lambda k: " ".join(rng.choice(WORDS) for _ in range(k))
    return [{"id": f"p{i}", "title": words(4), "company_profile": words(60), "description": words(120),
             "requirements": words(60), "benefits": words(30)} for i in range(n)]


def real_records(pool: Path, n: int) -> dict:
    keep = ("id", "text") + tuple(name for name, _ in FIELDS)
    sets = {"messages": [], "postings": []}
    if pool.is_file():
        with pool.open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                if row.get("split") != "test":
                    continue
                kind = "messages" if row.get("kind") == "message" else "postings"
                if len(sets[kind]) < n:
                    sets[kind].append({k: v for k, v in row.items() if k in keep})
                if all(len(v) >= n for v in sets.values()):
                    break
        return sets
    log(f"no pool at {pool}: using the repository's examples")
    for path in sorted((ROOT / "docs").rglob("*.jsonl")) + sorted((ROOT / "crates").rglob("examples*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict):
                kind = "messages" if set(row) & {"text"} and not set(row) & {"title", "description"} else "postings"
                sets[kind].append({k: v for k, v in row.items() if k in keep})
    return {k: (v * (n // max(1, len(v)) + 1))[:n] for k, v in sets.items() if v}


def batches(id_lists: list, pad: int):
    """Sorted by length, chunks of BATCH padded to their longest: what `lurescan score` runs."""
    import numpy as np

    order = sorted(range(len(id_lists)), key=lambda i: len(id_lists[i]))
    out = []
    for start in range(0, len(order), BATCH):
        chunk = [id_lists[i] for i in order[start:start + BATCH]]
        width = max(len(c) for c in chunk)
        ids = np.full((len(chunk), width), pad, dtype=np.int64)
        mask = np.zeros((len(chunk), width), dtype=np.int64)
        for row, c in enumerate(chunk):
            ids[row, :len(c)] = c
            mask[row, :len(c)] = 1
        out.append((ids, mask, [order[i] for i in range(start, min(start + BATCH, len(order)))]))
    return out


def flops(lengths: list, cfg: dict) -> float:
    """2 × multiply-adds of the encoder layers at each sequence's unpadded length."""
    h, i, layers = cfg["hidden_size"], cfg["intermediate_size"], cfg["num_hidden_layers"]
    return float(sum(layers * s * (8 * h * h + 4 * h * i + 4 * s * h) for s in lengths))


# ---------------------------------------------------------------- engines

def rate(run_all, n: int, seconds: float) -> float:
    """Records per second of `run_all()` (one pass over n records): one warm-up pass, then passes until `seconds`."""
    run_all()
    passes, start = 0, time.perf_counter()
    while True:
        run_all()
        passes += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return passes * n / elapsed


def export_onnx(model, torch, path: Path):
    ids = torch.ones((2, 16), dtype=torch.long)
    mask = torch.ones((2, 16), dtype=torch.long)
    axes = {0: "batch", 1: "seq"}
    kwargs = dict(input_names=["input_ids", "attention_mask"], output_names=["logits"],
                  dynamic_axes={"input_ids": axes, "attention_mask": axes, "logits": {0: "batch"}},
                  opset_version=17)
    try:
        torch.onnx.export(model, (ids, mask), str(path), dynamo=False, **kwargs)
    except TypeError:  # a torch without the `dynamo` switch
        torch.onnx.export(model, (ids, mask), str(path), **kwargs)


def ort_session(path: Path, threads: int, spin: bool):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def precision_env(precision: str, env: dict):
    """`int8:avx512` -> (`int8`, env with LURESCAN_INT8_KERNEL=avx512): a column on a slower int8 kernel than the
    CPU's best (amx, avx512, avx2 or reference; crates/infer/src/int8.rs `Kernel`). `int8:avx2` and `fp32:avx2` also
    set LURESCAN_ATTENTION=avx2 (the fused attention's AVX2 build), so that an AVX-512 machine runs lurescan's own
    kernels as an AVX2-only CPU would; candle's f32 matrix products and the int8 quantisation pass still use
    AVX-512 there."""
    precision, _, kernel = precision.partition(":")
    if kernel and precision == "int8":
        env = {**env, "LURESCAN_INT8_KERNEL": kernel}
    if kernel == "avx2":
        env = {**env, "LURESCAN_ATTENTION": "avx2"}
    return precision, env


def time_score(binary: str, folder: Path, path: Path, precision: str, env: dict) -> float:
    precision, env = precision_env(precision, env)
    command = [binary, "score", "--model", str(folder), "-q", "-o", os.devnull, str(path)]
    if precision != "default":
        command += ["--precision", precision]
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({run.returncode}): {run.stderr.strip()[-2000:]}")
    return time.perf_counter() - start


def lurescan_rate(binary, folder, records, precision, seconds, work: Path, env) -> float:
    small_n = 2 * BATCH
    small, big = work / "small.jsonl", work / "big.jsonl"
    line = lambda r: json.dumps(r, ensure_ascii=False) + "\n"
    small.write_text("".join(line(records[i % len(records)]) for i in range(small_n)), encoding="utf-8")
    t_small = time_score(binary, folder, small, precision, env)
    probe_n = small_n + len(records)
    big.write_text("".join(line(records[i % len(records)]) for i in range(probe_n)), encoding="utf-8")
    # The probe's whole time per record (start-up included) overestimates the steady cost, so the big run stays
    # under `seconds`; capped so that a disturbed probe cannot ask for an hour of work.
    per_record = time_score(binary, folder, big, precision, env) / probe_n
    big_n = small_n + max(len(records), min(16 * len(records), int(seconds / per_record)))
    big.write_text("".join(line(records[i % len(records)]) for i in range(big_n)), encoding="utf-8")
    for _ in range(3):
        t_big = time_score(binary, folder, big, precision, env)
        t_small = min(t_small, time_score(binary, folder, small, precision, env))
        # A big run no longer than the small one was disturbed (or the set is too small to time): again.
        if t_big > 1.5 * t_small:
            return (big_n - small_n) / (t_big - t_small)
    log(f"lurescan: {big_n} records took {t_big:.2f} s, {small_n} took {t_small:.2f} s: no rate")
    return float("nan")


def bert_only_copy(folder: Path, settings: dict, out: Path) -> Path:
    if out.exists():  # made for an earlier precision
        return out
    out.mkdir(parents=True)
    for name in ("config.json", "tokenizer.json", "model.safetensors"):
        (out / name).symlink_to((folder / name).resolve())
    plain = {k: v for k, v in settings.items()
             if k not in ("ensemble", "message_ensemble", "exemplars", "message_threshold")}
    (out / "lurescan.json").write_text(json.dumps(plain))
    return out


def parity(binary, folder, settings, records, torch, model, encoder, precision, work, env) -> float:
    """max |Δscore| between `lurescan score` (BERT alone) and softmax(PyTorch logits / temperature)."""
    plain = bert_only_copy(folder, settings, work / "bert-only")
    path = work / "parity.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    precision, env = precision_env(precision, env)
    command = [binary, "score", "--model", str(plain), "-q", "--format", "jsonl", str(path)]
    if precision != "default":
        command += ["--precision", precision]
    run = subprocess.run(command, capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {run.stderr.strip()[-2000:]}")
    ours = [json.loads(l)["score"] for l in run.stdout.splitlines() if l.strip()]
    ids = [encoder.ids(r) for r in records]
    theirs = [0.0] * len(records)
    t = settings.get("temperature", 1.0)
    with torch.inference_mode():
        for b_ids, b_mask, rows in batches(ids, model.config.pad_token_id):
            logits = model(input_ids=torch.from_numpy(b_ids), attention_mask=torch.from_numpy(b_mask)).logits
            probs = torch.softmax(logits / t, dim=-1)[:, 1]
            for row, p in zip(rows, probs.tolist()):
                theirs[row] = p
    return max(abs(a - b) for a, b in zip(ours, theirs))


# ---------------------------------------------------------------- roofline

ROOFLINE = r"""
import json, sys, time
import numpy as np
threads, m, k, n, seconds = map(float, sys.argv[1:])
m, k, n = int(m), int(k), int(n)
from threadpoolctl import threadpool_limits, threadpool_info
def best(step, flops):
    step(); out = 0.0
    for _ in range(3):
        reps, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds / 3:
            step(); reps += 1
        out = max(out, reps * flops / (time.perf_counter() - start))
    return out / 1e9
with threadpool_limits(int(threads)):
    a = np.random.rand(m, k).astype(np.float32); b = np.random.rand(k, n).astype(np.float32)
    fp32 = best(lambda: a @ b, 2.0 * m * k * n)
    kernel = [i.get("architecture") for i in threadpool_info() if i.get("internal_api") == "openblas"]
import onnx, onnxruntime as ort
from onnx import TensorProto, helper
graph = helper.make_graph([helper.make_node("MatMulInteger", ["A", "B"], ["Y"])], "g",
    [helper.make_tensor_value_info("A", TensorProto.UINT8, [m, k]), helper.make_tensor_value_info("B", TensorProto.INT8, [k, n])],
    [helper.make_tensor_value_info("Y", TensorProto.INT32, [m, n])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]); model.ir_version = 8
options = ort.SessionOptions(); options.intra_op_num_threads = int(threads)
session = ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])
A = np.random.randint(0, 255, (m, k)).astype(np.uint8); B = np.random.randint(-127, 127, (k, n)).astype(np.int8)
int8 = best(lambda: session.run(None, {"A": A, "B": B}), 2.0 * m * k * n)
print(json.dumps({"fp32": fp32, "int8": int8, "openblas": kernel}))
"""


def roofline(threads: int, seconds: float) -> dict:
    """GFLOP/s of sgemm (numpy) and of an int8 GEMM (onnxruntime MatMulInteger), in a child process: numpy reads
    OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE at import, and this machine sets them for old OpenBLAS builds (they slow a
    current one), so the child runs without them."""
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    env["OMP_NUM_THREADS"] = str(threads)
    run = subprocess.run([sys.executable, "-c", ROOFLINE, str(threads), "4096", "384", "1536", str(seconds)],
                         capture_output=True, text=True, env=env)
    if run.returncode != 0:
        log(f"roofline failed: {run.stderr.strip()[-1500:]}")
        return {}
    return json.loads(run.stdout)


# ---------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models/lurescan-base", help="lurescan model folder")
    parser.add_argument("--binary", default=str(ROOT / "target/release/lurescan"), help="the lurescan binary")
    parser.add_argument("--precision", nargs="+", default=["default"],
                        help="lurescan columns: `default` (the folder's own), or fp32 / int8 (--precision flag); "
                             "int8:KERNEL caps the int8 kernel (amx, avx512, avx2, reference: LURESCAN_INT8_KERNEL); "
                             "int8:avx2 and fp32:avx2 also run the AVX2 build of the fused attention")
    parser.add_argument("--pool", type=Path, default=POOL, help="pool JSONL with a test split")
    parser.add_argument("--records", type=int, default=512, help="records per set (512)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; each cell keeps its best (3)")
    parser.add_argument("--threads", type=int, default=2, help="threads for every engine (2)")
    parser.add_argument("--seconds", type=float, default=3.0, help="timed seconds per cell per round (3)")
    parser.add_argument("--sets", nargs="+", default=["24 tok", "128 tok", "messages", "postings"])
    parser.add_argument("--engines", nargs="+", default=["torch", "ort-fp32", "ort-int8", "lurescan"])
    parser.add_argument("--ort-spin", action="store_true",
                        help="let onnxruntime's threads spin while waiting (its default; slow on a shared machine)")
    parser.add_argument("--no-roofline", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the table as JSON here")
    args = parser.parse_args()

    # One thread count everywhere. lurescan: rayon pool of --threads, candle one thread per op (the CLI's default:
    # whole batches in parallel). PyTorch: OpenMP threads that wait passively, as onnxruntime's without --ort-spin.
    os.environ["RAYON_NUM_THREADS"] = str(args.threads)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    env = dict(os.environ)
    import numpy as np  # noqa: F401 (before torch: fails early without numpy)
    import torch
    import transformers
    from transformers import BertForSequenceClassification

    torch.set_num_threads(args.threads)
    folder = args.model.resolve()
    settings = json.loads((folder / "lurescan.json").read_text())
    cfg = json.loads((folder / "config.json").read_text())
    encoder = Encoder(folder, settings)
    model = BertForSequenceClassification.from_pretrained(str(folder), dtype=torch.float32,
                                                          attn_implementation="eager").eval()
    sdpa = BertForSequenceClassification.from_pretrained(str(folder), dtype=torch.float32).eval()
    load = os.getloadavg()[0]
    log(f"torch {torch.__version__}, transformers {transformers.__version__}, {args.threads} threads, "
        f"model {folder.name} ({cfg['num_hidden_layers']} layers, hidden {cfg['hidden_size']}), "
        f"attention {sdpa.config._attn_implementation}, load average {load:.1f} on {os.cpu_count()} cores")

    work = Path(tempfile.mkdtemp(prefix="compare_engines-"))
    sets = {}
    want = set(args.sets)
    if "24 tok" in want:
        sets["24 tok"] = synthetic_messages(encoder, args.records, 24, seed=24)
    if "128 tok" in want:
        sets["128 tok"] = synthetic_postings(args.records, seed=128)
    real = real_records(args.pool, args.records) if want & {"messages", "postings"} else {}
    for kind in ("messages", "postings"):
        if kind in want and real.get(kind):
            sets[kind] = real[kind]
    ids = {name: [encoder.ids(r) for r in records] for name, records in sets.items()}
    for name, lists in ids.items():
        lengths = [len(x) for x in lists]
        log(f"set {name}: {len(lists)} records, {sum(lengths) / len(lengths):.1f} ids on average "
            f"(min {min(lengths)}, max {max(lengths)})")

    engines = {}
    if {"ort-fp32", "ort-int8"} & set(args.engines):
        import onnxruntime as ort
        from onnxruntime.quantization import QuantType, quantize_dynamic

        fp32_path, int8_path = work / "model.onnx", work / "model.int8.onnx"
        export_onnx(model, torch, fp32_path)
        quantize_dynamic(str(fp32_path), str(int8_path), weight_type=QuantType.QInt8)
        log(f"onnxruntime {ort.__version__}: exported {fp32_path.stat().st_size >> 20} MB, "
            f"int8 {int8_path.stat().st_size >> 20} MB")
        if "ort-fp32" in args.engines:
            engines["ORT fp32"] = ort_session(fp32_path, args.threads, args.ort_spin)
        if "ort-int8" in args.engines:
            engines["ORT int8"] = ort_session(int8_path, args.threads, args.ort_spin)

    lurescan_cols = []
    if "lurescan" in args.engines:
        for precision in args.precision:
            label = "lurescan" if precision == "default" else f"lurescan {precision}"
            lurescan_cols.append((label, precision))
            probe = sets.get("messages", []) + sets.get("postings", []) or next(iter(sets.values()))
            delta = parity(args.binary, folder, settings, probe[:256], torch, model, encoder, precision, work, env)
            log(f"parity {label}: max |Δscore| against PyTorch fp32 (BERT alone) = {delta:.2e}")

    def python_rate(name, set_name):
        prepared = batches(ids[set_name], cfg.get("pad_token_id", 0))
        n = len(ids[set_name])
        if name == "PyTorch":
            tensors = [(torch.from_numpy(a), torch.from_numpy(m)) for a, m, _ in prepared]

            def run_all():
                with torch.inference_mode():
                    for a, m in tensors:
                        sdpa(input_ids=a, attention_mask=m)
        else:
            session = engines[name]

            def run_all():
                for a, m, _ in prepared:
                    session.run(None, {"input_ids": a, "attention_mask": m})
        return rate(run_all, n, args.seconds)

    columns = (["PyTorch"] if "torch" in args.engines else []) + list(engines) + [c for c, _ in lurescan_cols]
    best, peaks, rounds = {}, {}, {}
    for round_ in range(args.rounds):
        log(f"round {round_ + 1}/{args.rounds}, load average {os.getloadavg()[0]:.1f}")
        # The roofline is measured in every round too (it is as disturbed as the engines are), keeping its best.
        if not args.no_roofline:
            for key, value in roofline(args.threads, 1.5).items():
                peaks[key] = value if isinstance(value, list) else max(peaks.get(key, 0.0), value)
            log(f"  roofline  sgemm {peaks.get('fp32', 0):.0f} GFLOP/s, int8 GEMM {peaks.get('int8', 0):.0f} GOP/s")
        for set_name in sets:
            for column in columns:
                if column.startswith("lurescan"):
                    precision = dict(lurescan_cols)[column]
                    value = lurescan_rate(args.binary, folder, sets[set_name], precision, args.seconds, work, env)
                else:
                    value = python_rate(column, set_name)
                if value == value:  # not NaN
                    best[(set_name, column)] = max(best.get((set_name, column), 0.0), value)
                rounds.setdefault((set_name, column), []).append(value)
                log(f"  {set_name:<9} {column:<14} {value:9.1f}/s")
    shutil.rmtree(work, ignore_errors=True)

    print(f"\n{folder.name}: sequences/s, best of {args.rounds} alternating rounds, Python engines in batches of "
          f"{BATCH}, lurescan at its default --batch-size, {args.threads} threads, load average {load:.1f} -> "
          f"{os.getloadavg()[0]:.1f}")
    if peaks:
        print(f"roofline: sgemm {peaks['fp32']:.0f} GFLOP/s (numpy/OpenBLAS {peaks.get('openblas')}), int8 GEMM "
              f"{peaks['int8']:.0f} GOP/s (onnxruntime MatMulInteger), 4096x384x1536, {args.threads} threads")
    anchor = "ORT int8" if "ORT int8" in columns else None
    header = f"{'set':<9} {'ids':>5} " + " ".join(f"{c:>14}" for c in columns)
    ratios = [c for c in columns if c.startswith("lurescan")]
    header += "".join(f" {c + '/int8':>18} {c + '/torch':>18}" for c in ratios)
    print(header)
    table = []
    for set_name in sets:
        lengths = [len(x) for x in ids[set_name]]
        mean = sum(lengths) / len(lengths)
        row = f"{set_name:<9} {mean:5.0f} " + " ".join(f"{best.get((set_name, c), float('nan')):14.1f}" for c in columns)
        for c in ratios:
            get = lambda col: best.get((set_name, col), float("nan"))
            ours = get(c)
            vs_int8 = ours / get(anchor) if anchor else float("nan")
            vs_torch = ours / get("PyTorch") if "PyTorch" in columns else float("nan")
            row += f" {vs_int8:18.2f} {vs_torch:18.2f}"
        print(row)
        per_record = flops(lengths, cfg) / len(lengths)
        table.append({"set": set_name, "mean_ids": mean, "flop_per_record": per_record,
                      "rates": {c: best.get((set_name, c), float("nan")) for c in columns}})
    if anchor and ratios and args.rounds > 1:
        # The best-of table pairs each engine's luckiest round; the ratio within each round (the engines ran
        # back to back) shows how much of it is load.
        print(f"\nround by round, against {anchor}: median (lowest-highest) of {args.rounds} rounds")
        for c in ratios:
            for set_name in sets:
                pairs = zip(rounds.get((set_name, c), []), rounds.get((set_name, anchor), []))
                each = sorted(ours / theirs for ours, theirs in pairs if ours == ours and theirs > 0)
                if each:
                    half = len(each) // 2
                    median = each[half] if len(each) % 2 else (each[half - 1] + each[half]) / 2
                    print(f"  {c:<14} {set_name:<9} {median:5.2f} ({each[0]:.2f}-{each[-1]:.2f})")
    if peaks:
        print("\nfraction of the roofline (useful GFLOP/s / peak; int8 engines against the int8 peak too)")
        print(f"{'set':<9} " + " ".join(f"{c:>14}" for c in columns))
        for entry in table:
            cells = []
            for c in columns:
                gflops = entry["rates"][c] * entry["flop_per_record"] / 1e9
                cell = f"{gflops / peaks['fp32']:.2f}"
                if "int8" in c:
                    cell += f" ({gflops / peaks['int8']:.2f})"
                cells.append(f"{cell:>14}")
            print(f"{entry['set']:<9} " + " ".join(cells))
    if args.json:
        args.json.write_text(json.dumps({"model": folder.name, "threads": args.threads, "roofline": peaks,
                                         "table": table,
                                         "rounds": [{"set": k[0], "engine": k[1], "rates": v}
                                                    for k, v in rounds.items()]}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
