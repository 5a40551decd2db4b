#!/usr/bin/env python3
"""Training records plus a short crop of each real ordinary job posting: its title, or its title and the opening
words of its description, sometimes with its location.

Why: nearly every real posting the head trains on is long (EMSCAD, Google, Glassdoor, Indeed and the written regional
postings: 1,960 ordinary postings, 12 of them under 300 characters), and the few short real postings are EMSCAD
frauds (14). So "short posting" had become evidence of a lure: "Part-time tutor needed for Grade 5 maths" scored 0.94
as a bare title, "Pharmacy assistant wanted in Phnom Penh" 0.85. A crop of an ordinary posting is an ordinary short
posting written by a real employer, in the words real boards use, so the head learns that a short posting is ordinary
unless its words say otherwise. Fraudulent postings are not cropped: the part of a fraud that a crop keeps (often a
plain title) need not carry any of the fraud, and labelling it a lure would teach that plain titles are lures.

Only the pool's real sources are cropped (never `synthetic`, and only the files given, which are training data). A
crop keeps the record's `group`, so any split by group keeps it beside its posting, and gets the id `<id>:crop`.
Which crop a posting gets is decided by a hash of its id: the same input gives the same output.

**Not in the default recipe** (tried 2026-12-07; `models/lurescan-base.history.md`, "Crops of ordinary postings").
Crops of EMSCAD's ordinary postings cost EMSCAD's validation F1 (0.945 -> 0.932: its frauds are short postings without
a company profile); without them (`--skip-source emscad`) validation held and a blind probe of short postings ranked
better (AP 0.943 -> 0.958) but, at the thresholds validation picks, 15 of its 200 ordinary postings were flagged
against 13. With places of the region given to the crops (`--regional-places 0.75`), a second blind probe had 13 of
200 ordinary postings flagged against 16, and 86 of 100 lures found against 91.

    python3 datasets/crop_postings.py --skip-source emscad target/pool2/train-head-vi.jsonl > target/pool2/train-head-crops.jsonl
"""

import argparse
import hashlib
import json
import re
import sys

# Sources whose postings are never cropped: the project's own generators write short postings already.
SKIP_SOURCES = {"synthetic"}
# A crop keeps at most this many words of the description.
MAX_WORDS = 30
# EMSCAD runs list items and sentences together without a space ("teamAccepting", "recipes.We"): a lower-case
# letter or a full stop before an upper-case one starting a word is read as a break, as a sentence end is.
BREAK = re.compile(r"(?<=[.!?。！？])\s+|(?<=[a-z.!?])(?=[A-Z][a-z])|\n+")


# With --regional-places SHARE, that share of the crops that keep a location get one of these instead: the places the training's
# lures name (Dubai, Sihanoukville, Bangkok, Pasay, Myanmar, …) and the region's other cities, where ordinary employers
# hire too.
REGIONAL_PLACES = ["Dubai", "Doha", "Sihanoukville", "Phnom Penh", "Siem Reap", "Bangkok", "Chiang Mai", "Mae Sot",
                   "Yangon", "Mandalay", "Myanmar", "Cambodia", "Vientiane", "Kuala Lumpur", "Penang", "Johor Bahru",
                   "Singapore", "Manila", "Pasay", "Makati", "Cebu", "Davao", "Jakarta", "Surabaya", "Batam",
                   "Ho Chi Minh City", "Hanoi", "Da Nang", "Macau", "Hong Kong", "Nairobi", "Remote"]


def draw(record_id, salt):
    """A number in [0, 1) fixed by the record's id and what it is drawn for."""
    digest = hashlib.sha256(f"{salt}:{record_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def opening(description, record_id):
    """The first sentence or two of a description, at most MAX_WORDS words; '' when it has no words."""
    pieces = [p.strip() for p in BREAK.split(description) if p and p.strip()]
    if not pieces:
        return ""
    sentences = 1 if draw(record_id, "sentences") < 0.5 else 2
    words = " ".join(pieces[:sentences]).split()
    return " ".join(words[:MAX_WORDS])


def crop(record, labels=(0,), skip=SKIP_SOURCES, regional_places=0.0):
    """The short posting cut from `record`, or None when it is not a posting with a title of a cropped label and
    source."""
    if record.get("kind") != "posting" or record.get("label") not in labels or record.get("source") in skip:
        return None
    title = (record.get("title") or "").strip()
    if not title:
        return None
    record_id = record["id"]
    short = {k: record[k] for k in ("source", "kind", "label", "lang", "split", "group") if k in record}
    short["id"] = f"{record_id}:crop"
    short["title"] = title
    # A third are bare titles; the rest keep the opening of the description. Half keep the location.
    if draw(record_id, "form") >= 1 / 3:
        text = opening(record.get("description") or "", record_id)
        if text:
            short["description"] = text
    location = (record.get("location") or "").strip()
    if location and draw(record_id, "location") < 0.5:
        if draw(record_id, "regional") < regional_places:
            location = REGIONAL_PLACES[int(draw(record_id, "place") * len(REGIONAL_PLACES))]
        short["location"] = location
    return short


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="JSONL training records (the pool's import or a file built on it)")
    parser.add_argument("--lures", action="store_true", help="crop fraudulent postings too (labelled lures)")
    parser.add_argument("--skip-source", action="append", default=[], help="a source not to crop (repeatable)")
    parser.add_argument("--regional-places", type=float, default=0.0, metavar="SHARE",
                        help="give this share (0 to 1) of the crops that keep a location a place of the region instead")
    args = parser.parse_args()
    labels = (0, 1) if args.lures else (0,)
    skip = SKIP_SOURCES | set(args.skip_source)
    crops = 0
    for path in args.inputs:
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as error:
                    sys.exit(f"error: {path}:{number}: not JSON ({error})")
                print(json.dumps(record, ensure_ascii=False))
                short = crop(record, labels, skip, args.regional_places)
                if short is not None:
                    print(json.dumps(short, ensure_ascii=False))
                    crops += 1
    print(f"crop_postings: {crops} crops added", file=sys.stderr)


if __name__ == "__main__":
    main()
