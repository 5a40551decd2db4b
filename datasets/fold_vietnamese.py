#!/usr/bin/env python3
"""Training records plus a copy of each Vietnamese one written without its diacritics.

Why: Vietnamese SMS are often typed without diacritics ("luong 500k/ngay" for "lương 500k/ngày"), the lures as much
as anything else. In the pool's Vietnamese SMS source, 1,002 of the 1,751 ordinary messages of train and valid have no
diacritic and 1 of its 11 lures; every Vietnamese lure of the project's synthetic records has them. The default model
had learned the shape, not the words: five first-contact offers written for this check (a work-from-home "CTV" offer
at 500k-1tr a day, a part-time hook, a Cambodia call-centre offer with the ticket paid, …) scored 0.07–0.30 without
diacritics and 1.00 with them. The copies teach every member that the same words without their marks are the same
message; the copies of ordinary messages keep "no diacritics" from becoming a sign of a lure in turn.

Only real records are copied in the default recipe (`--skip-source synthetic`): copies of the synthetic Vietnamese
records, half of them lures, taught the head that text without diacritics looks like those lures wherever no real
Vietnamese ordinary message said otherwise. With them, the recipe trained without the Vietnamese SMS source flagged
141 of its 2,326 ordinary messages and their copies (80 of its 1,751 messages as written, telco and bank notices
mostly), against 4 of 1,751 without any copy; with the real records' copies alone, that source's own copies leave with
it.

A record is Vietnamese when its text fields hold at least three letters that only Vietnamese writes among the
region's languages (ă, ơ, ư, đ, ạ, ế, …). Its copy has every text field without the marks on Latin letters (and đ as
d); Thai, Khmer and Burmese marks and every other field stay as they are. The copy keeps the record's label, source
and near-duplicate group and gets the id `<id>~plain`. Records that are not Vietnamese pass through unchanged, in
order, each copy right after its record.

    python3 datasets/fold_vietnamese.py --skip-source synthetic target/pool2/train-head.jsonl > target/pool2/train-head-vi.jsonl
"""

import argparse
import json
import re
import sys
import unicodedata

TEXT_FIELDS = ("text", "title", "location", "department", "salary_range", "company_profile", "description",
               "requirements", "benefits", "industry", "function")

# Letters that Vietnamese writes and no other language of the region does (Tagalog, Indonesian and Malay write
# none of them; French and Portuguese loans share only plain accents, which are not here).
VIETNAMESE_LETTERS = re.compile(
    "[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹĂÂĐÊÔƠƯẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ]")
MIN_LETTERS = 3


def without_diacritics(text: str) -> str:
    """`text` with the marks on its Latin letters removed and đ written d; other scripts' marks are kept."""
    out = []
    after_latin = False
    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            if not after_latin:
                out.append(ch)
            continue
        after_latin = unicodedata.name(ch, "").startswith("LATIN")
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).replace("đ", "d").replace("Đ", "D")


def is_vietnamese(record: dict) -> bool:
    letters = 0
    for field in TEXT_FIELDS:
        value = record.get(field)
        if isinstance(value, str):
            letters += len(VIETNAMESE_LETTERS.findall(value))
            if letters >= MIN_LETTERS:
                return True
    return False


def plain_copy(record: dict) -> dict | None:
    """The record without its diacritics, or None when it is not Vietnamese or nothing changes."""
    if not is_vietnamese(record):
        return None
    copy = dict(record)
    for field in TEXT_FIELDS:
        if isinstance(copy.get(field), str):
            copy[field] = without_diacritics(copy[field])
    if all(copy.get(f) == record.get(f) for f in TEXT_FIELDS):
        return None
    copy["id"] = f"{record.get('id', '')}~plain"
    return copy


def fold(lines, out, skip_sources=()) -> tuple[int, int]:
    """Writes each record of `lines` (JSON Lines) to `out`, each Vietnamese one followed by its plain copy unless its
    `source` is in `skip_sources`; returns (records read, copies written)."""
    read = copies = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            raise SystemExit(f"line {number}: not JSON ({e}); every line must be one record") from None
        read += 1
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        copy = None if record.get("source") in skip_sources else plain_copy(record)
        if copy is not None:
            out.write(json.dumps(copy, ensure_ascii=False) + "\n")
            copies += 1
    return read, copies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="JSON Lines of records (the head's training data)")
    parser.add_argument("--skip-source", action="append", default=[], metavar="SOURCE",
                        help="copy no record of this source (repeatable; the default recipe skips `synthetic`)")
    args = parser.parse_args()
    with open(args.input, encoding="utf-8") as lines:
        read, copies = fold(lines, sys.stdout, tuple(args.skip_source))
    print(f"{read} records, {copies} Vietnamese ones copied without diacritics", file=sys.stderr)


if __name__ == "__main__":
    main()
