#!/usr/bin/env python3
"""Loopback load test of `lurescan serve` against `lurescan score` on the same records.

For each client count (default 1, 16, 64, 256) it starts nothing new: one `lurescan serve` on 127.0.0.1 (port 0)
answers closed-loop clients (asyncio, keep-alive, one record per request) for a bounded time and request count, and
prints records/s, latency p50/p99 and the share of 429 answers. Then:

- `lurescan score` on the same records (a JSONL file), for the records/s the service is compared with;
- a 4x overload: a server started with --max-concurrent-requests C/4 under C clients, for the 429 share;
- the server's resident memory (VmRSS) and thread count idle, then with 1,000 idle connections open.

Standard library only. Everything stays on loopback and ends by itself: each phase is bounded by --seconds and
--max-requests. Timings are one run on a machine that may be busy (a 2-core machine shared with other work gives
indicative figures only): compare the columns of one run, not runs across machines.

    cargo build --release -p lurescan-cli
    python3 benches/serve_load.py                                   # the built-in model
    python3 benches/serve_load.py --model crates/infer/tests/fixtures/tiny-bert --clients 1 16 --seconds 5

Records come from --records (default datasets/short-lures.jsonl: short messages in 9 languages), cycled.
"""

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_server(args, extra=()):
    command = [args.lurescan, "serve", "--addr", "127.0.0.1:0", "--threads", str(args.threads), *extra]
    if args.model:
        command += ["--model", args.model]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    if "listening on http://" not in line:
        raise SystemExit(f"lurescan serve did not start (exit {proc.wait()}): {line!r}")
    host, port = line.split("listening on http://")[1].split()[0].rsplit(":", 1)
    threading.Thread(target=proc.stdout.read, daemon=True).start()
    return proc, host, int(port)


async def exchange(reader, writer, body: bytes):
    writer.write(b"POST /v1/score HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                 % len(body) + body)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    close = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
        elif name.strip().lower() == b"connection" and value.strip().lower() == b"close":
            close = True
    answer = await reader.readexactly(length)
    return status, answer, close


async def wait_ready(host, port, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(b"GET /v1/health HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            head = await reader.readuntil(b"\r\n\r\n")
            writer.close()
            if b" 200 " in head.split(b"\r\n")[0] + b" ":
                return
        except OSError:
            pass
        await asyncio.sleep(0.2)
    raise SystemExit("the server never became ready")


async def load(host, port, bodies, clients, seconds, max_requests):
    """Closed-loop clients until `seconds` pass or `max_requests` are sent; returns (elapsed, latencies, statuses)."""
    latencies, statuses = [], {}
    sent = 0
    deadline = time.monotonic() + seconds

    async def client(i):
        nonlocal sent
        reader, writer = await asyncio.open_connection(host, port)
        j = i
        try:
            while time.monotonic() < deadline and sent < max_requests:
                sent += 1
                body = bodies[j % len(bodies)]
                j += clients
                started = time.perf_counter()
                status, answer, close = await exchange(reader, writer, body)
                statuses[status] = statuses.get(status, 0) + 1
                if status == 200:
                    latencies.append(time.perf_counter() - started)
                    if len(json.loads(answer)["predictions"]) != 1:
                        raise SystemExit(f"bad answer: {answer[:200]!r}")
                elif status == 429:
                    await asyncio.sleep(0.001)  # a real client would honour Retry-After; this one keeps the pressure
                if close:
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    return time.perf_counter() - started, latencies, statuses


def percentile(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))]


def proc_status(pid):
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["Threads"])


async def idle_connections(host, port, pid, n):
    before = proc_status(pid)
    conns = []
    for _ in range(n):
        conns.append(await asyncio.open_connection(host, port))
    await asyncio.sleep(1.0)
    during = proc_status(pid)
    # They are all still served: one more request on the last one.
    status, _, _ = await exchange(*conns[-1], json.dumps({"text": "still here?"}).encode())
    for _, writer in conns:
        writer.close()
    return before, during, status


def score_cli(args, records):
    """records/s of `lurescan score` on the same records, as JSONL."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for record in records:
            f.write(json.dumps(record) + "\n")
        path = f.name
    command = [args.lurescan, "score", "-q", "--threads", str(args.threads), path]
    if args.model:
        command += ["--model", args.model]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    os.unlink(path)
    return len(records) / elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lurescan", default=str(ROOT / "target/release/lurescan"))
    ap.add_argument("--model", help="model folder [default: the built-in model]")
    ap.add_argument("--records", default=str(ROOT / "datasets/short-lures.jsonl"))
    ap.add_argument("--threads", type=int, default=2, help="--threads of serve and score")
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 16, 64, 256])
    ap.add_argument("--seconds", type=float, default=10.0, help="bound of each phase")
    ap.add_argument("--max-requests", type=int, default=20000, help="bound of each phase")
    ap.add_argument("--score-records", type=int, default=2000, help="records for the `lurescan score` baseline")
    ap.add_argument("--idle", type=int, default=1000, help="idle connections for the memory figure")
    args = ap.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.idle + 1024)), hard))
    texts = [{"text": r["text"]} for r in map(json.loads, Path(args.records).read_text().splitlines()) if r.get("text")]
    bodies = [json.dumps(t).encode() for t in texts]
    baseline = [texts[i % len(texts)] for i in range(args.score_records)]

    cli = score_cli(args, baseline)
    print(f"lurescan score: {cli:8.1f} records/s ({len(baseline)} records, --threads {args.threads})")
    print(f"model {args.model or 'built-in'}, {args.threads} inference threads, loopback, closed-loop clients,"
          f" 1 record a request, <= {args.seconds:g} s or {args.max_requests} requests a row")
    print(f"{'clients':>7} {'records/s':>10} {'vs score':>8} {'p50 ms':>8} {'p99 ms':>8} {'429 share':>9} {'requests':>8}")

    proc, host, port = start_server(args)
    try:
        asyncio.run(wait_ready(host, port))
        asyncio.run(load(host, port, bodies, 4, 2.0, 200))  # warm-up
        for clients in args.clients:
            elapsed, latencies, statuses = asyncio.run(load(host, port, bodies, clients, args.seconds, args.max_requests))
            total = sum(statuses.values())
            ok = statuses.get(200, 0)
            rate = ok / elapsed
            print(f"{clients:7d} {rate:10.1f} {rate / cli:7.2f}x {percentile(latencies, 50) * 1e3:8.1f}"
                  f" {percentile(latencies, 99) * 1e3:8.1f} {statuses.get(429, 0) / max(total, 1):9.1%} {total:8d}"
                  + (f"  other statuses: {statuses}" if set(statuses) - {200, 429} else ""))
        before, during, status = asyncio.run(idle_connections(host, port, proc.pid, args.idle))
        print(f"memory: {before[0]:.1f} MiB RSS, {before[1]} threads idle; with {args.idle} idle connections"
              f" {during[0]:.1f} MiB RSS, {during[1]} threads (a request on the last one: {status})")
    finally:
        proc.terminate()
        proc.wait()

    top = max(args.clients)
    limit = max(1, top // 4)
    proc, host, port = start_server(args, ["--max-concurrent-requests", str(limit)])
    try:
        asyncio.run(wait_ready(host, port))
        elapsed, latencies, statuses = asyncio.run(load(host, port, bodies, top, args.seconds, args.max_requests))
        total = sum(statuses.values())
        print(f"4x overload: {top} clients, --max-concurrent-requests {limit}: {statuses.get(429, 0) / max(total, 1):.1%}"
              f" answered 429, {statuses.get(200, 0) / elapsed:.1f} records/s scored, p99 of the scored"
              f" {percentile(latencies, 99) * 1e3:.1f} ms, statuses {statuses}")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
