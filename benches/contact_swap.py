#!/usr/bin/env python3
"""Whether a model's score follows the offer or the way to apply: the same job text with every way to get in touch.

`datasets/contact-swap/texts.jsonl` holds 96 job texts (in en, th, vi, id, tl, zh, km, my: 8 ordinary and 4 lures
each) with one `{contact}` slot; `contacts.json` gives, per language, two phrases for each of eleven channels (e-mail,
phone, walk in, a careers page, Telegram, WhatsApp, LINE, Zalo, Viber, WeChat, Messenger). Every text is scored with
every phrase (2,112 records). In the region ordinary employers ask for a LINE, Zalo, WhatsApp or Telegram message as
often as lures do, so a model that reads the offer gives one text about the same score whatever the channel.

Printed per model: per channel, the ordinary texts flagged and the lures found at the model's thresholds and the
mean score of each; then per text the spread of its scores over the channels (highest minus lowest), and how many
texts change their flag with the channel.

    python3 benches/contact_swap.py --model base --model fast [--binary target/release/lurescan] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "datasets" / "contact-swap"
CHAT_APPS = ("telegram", "whatsapp", "line", "zalo", "viber", "wechat", "messenger")


def expand(texts: list[dict], contacts: dict) -> list[dict]:
    """Every text with every contact phrase of its language, as records `lurescan score` reads."""
    records = []
    for t in texts:
        for channel, phrases in contacts[t["lang"]].items():
            for i, phrase in enumerate(phrases):
                fill = {k: t[k].replace("{contact}", phrase) for k in ("text", "title", "description") if k in t}
                records.append({"id": f"{t['id']}:{channel}:{i}", "kind": t["kind"], **fill})
    return records


def report(binary: Path, model: str, texts: list[dict], records: list[dict], verbose: bool) -> None:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    try:
        out = subprocess.run([str(binary), "score", "-q", "--model", model, f.name], capture_output=True, text=True,
                             check=True).stdout
    finally:
        Path(f.name).unlink()
    scored = {r["id"]: r for r in map(json.loads, out.splitlines())}
    label = {t["id"]: t["label"] for t in texts}
    # channel -> [ordinary flagged, ordinary, lures found, lures, ordinary score sum, lure score sum]
    channels: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0.0, 0.0])
    per_text: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for rid, r in scored.items():
        text_id, channel, _ = rid.split(":")
        flagged = r["label"] == "lure"
        c = channels[channel]
        if label[text_id]:
            c[2] += flagged
            c[3] += 1
            c[5] += r["score"]
        else:
            c[0] += flagged
            c[1] += 1
            c[4] += r["score"]
        per_text[text_id].append((r["score"], flagged))
    print(f"## {model}\n")
    print("| channel | ordinary flagged | mean score | lures found | mean score |\n|---|---:|---:|---:|---:|")
    for channel, c in sorted(channels.items(), key=lambda kv: (kv[0] in CHAT_APPS, kv[0])):
        print(f"| {channel} | {c[0]}/{c[1]} | {c[4] / c[1]:.3f} | {c[2]}/{c[3]} | {c[5] / c[3]:.3f} |")
    for kind, want in (("ordinary", 0), ("lures", 1)):
        spreads = sorted(max(s for s, _ in v) - min(s for s, _ in v) for k, v in per_text.items()
                         if label[k] == want)
        flips = sum(len({f for _, f in v}) > 1 for k, v in per_text.items() if label[k] == want)
        print(f"\n{kind}: spread of a text's scores over the channels: median {spreads[len(spreads) // 2]:.3f}, "
              f"largest {spreads[-1]:.3f}; {flips}/{len(spreads)} texts flagged with some channels and not others")
    if verbose:
        print()
        for text_id, v in sorted(per_text.items(), key=lambda kv: -(max(kv[1])[0] - min(kv[1])[0])):
            scores = [s for s, _ in v]
            print(f"{text_id}: {min(scores):.3f}..{max(scores):.3f}")
    print()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", action="append", default=[], help="model folder or built-in name (repeatable)")
    ap.add_argument("--binary", type=Path, default=ROOT / "target" / "release" / "lurescan")
    ap.add_argument("--verbose", action="store_true", help="also each text's lowest and highest score")
    args = ap.parse_args()
    if not args.binary.exists():
        sys.exit(f"error: {args.binary} not found: build it with `cargo build --release -p lurescan-cli`")
    texts = [json.loads(line) for line in (DATA / "texts.jsonl").read_text(encoding="utf-8").splitlines() if line]
    contacts = json.loads((DATA / "contacts.json").read_text(encoding="utf-8"))
    records = expand(texts, contacts)
    for model in args.model or ["base"]:
        report(args.binary, model, texts, records, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
