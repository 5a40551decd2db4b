#!/usr/bin/env python3
"""Short loopback load test of `lurescan serve`: N requests of 1 record, then M requests of B records.

Starts `lurescan serve` on 127.0.0.1 (port 0), sends the requests from a few client threads over keep-alive
connections, checks every answer has one prediction per record, and prints requests/s and records/s per phase.
Standard library only, except --make-model (numpy and safetensors, as for the tiny fixture model).

    cargo build --release -p lurescan-cli
    python3 benches/serve_load.py --make-model target/bench-model        # random weights, default BertConfig size
    python3 benches/serve_load.py --lurescan target/release/lurescan --model target/bench-model

Records come from datasets/short-lures.jsonl (short messages, 9 languages), cycled. Timings are one run on a
machine that may be busy: compare runs made side by side, not across machines.
"""

import argparse
import http.client
import json
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TINY = ROOT / "crates/infer/tests/fixtures/tiny-bert"


def make_model(out: Path, hidden=128, layers=2, heads=4, intermediate=512, max_pos=512, max_length=128):
    """A model folder of the default BertConfig size with random weights and the tiny fixture's tokenizer."""
    import numpy as np
    from safetensors.numpy import save_file

    sys.path.insert(0, str(TINY.parent))
    import make_tiny_bert as m

    m.HIDDEN, m.LAYERS, m.HEADS, m.INTERMEDIATE, m.MAX_POS = hidden, layers, heads, intermediate, max_pos
    config = json.loads((TINY / "config.json").read_text())
    config.update(hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                  intermediate_size=intermediate, max_position_embeddings=max_pos)
    out.mkdir(parents=True, exist_ok=True)
    save_file(m.make_weights(config["vocab_size"], np.random.default_rng(0)), str(out / "model.safetensors"),
              metadata={"format": "pt"})
    (out / "config.json").write_text(json.dumps(config, indent=2))
    (out / "tokenizer.json").write_bytes((TINY / "tokenizer.json").read_bytes())
    settings = json.loads((TINY / "lurescan.json").read_text())
    settings.update(max_length=max_length, name="bench-random", fixture="benchmark only: random weights")
    (out / "lurescan.json").write_text(json.dumps(settings, indent=2))
    print(f"wrote {out}")


def start(lurescan: str, model: str, threads: int):
    proc = subprocess.Popen([lurescan, "serve", "--model", model, "--addr", "127.0.0.1:0", "--threads", str(threads)],
                            stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:
        if "listening on http://" in line:
            host, port = line.split("listening on http://")[1].split()[0].rsplit(":", 1)
            # Keep draining the request log so the server never blocks on a full pipe.
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()
            return proc, host, int(port)
    raise SystemExit(f"lurescan serve did not start (exit {proc.wait()})")


def phase(host, port, bodies, clients):
    """Sends `bodies` (list of (json bytes, record count)) from `clients` threads; returns (seconds, records)."""
    chunks = [bodies[i::clients] for i in range(clients)]
    errors = []

    def client(chunk):
        conn = http.client.HTTPConnection(host, port)
        try:
            for body, n in chunk:
                conn.request("POST", "/v1/score", body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                answer = json.loads(response.read())
                if response.status != 200 or len(answer["predictions"]) != n:
                    errors.append((response.status, answer))
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(chunk,)) for chunk in chunks]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} bad answers, first: {errors[0]}")
    return seconds, sum(n for _, n in bodies)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--make-model", type=Path, help="write a random model of the default size here and exit")
    ap.add_argument("--lurescan", default=str(ROOT / "target/release/lurescan"))
    ap.add_argument("--model", default=str(TINY))
    ap.add_argument("--threads", type=int, default=2, help="server --threads")
    ap.add_argument("--clients", type=int, default=4, help="concurrent client connections")
    ap.add_argument("--single", type=int, default=2000, help="requests of one record")
    ap.add_argument("--batches", type=int, default=200, help="requests of --batch records")
    ap.add_argument("--batch", type=int, default=32)
    args = ap.parse_args()
    if args.make_model:
        return make_model(args.make_model)

    texts = [{"id": r["id"], "text": r["text"]}
             for r in map(json.loads, (ROOT / "datasets/short-lures.jsonl").read_text().splitlines()) if r]
    single = [(json.dumps(texts[i % len(texts)]).encode(), 1) for i in range(args.single)]
    batches = [(json.dumps({"records": [texts[(i * args.batch + j) % len(texts)] for j in range(args.batch)]}).encode(),
                args.batch) for i in range(args.batches)]

    proc, host, port = start(args.lurescan, args.model, args.threads)
    try:
        phase(host, port, single[:20], args.clients)  # warm-up
        print(f"model {args.model}, server --threads {args.threads}, {args.clients} clients, loopback")
        for name, bodies in [("1 record", single), (f"{args.batch} records", batches)]:
            seconds, records = phase(host, port, bodies, args.clients)
            print(f"{len(bodies):5d} requests of {name:10s}: {seconds:6.2f} s  {len(bodies) / seconds:8.1f} requests/s"
                  f"  {records / seconds:8.1f} records/s")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
