#!/usr/bin/env python3
"""Training records plus copies of ordinary ones that ask to be reached on a chat app.

Why: in the default recipe's training data 42% of the lure messages name a chat app (Telegram, WhatsApp, LINE, Zalo,
WeChat, …) and 8% of the ordinary ones do, so the head and the lexical member learned the channel as a sign of a lure.
In the region an ordinary employer, shop or landlord asks for a LINE, Zalo, WhatsApp or Telegram message as often as
a lure does: with the default model of 2026-12-06, the ordinary job texts of `datasets/contact-swap` were flagged 2 times
in 128 with an e-mail address and 18 times in 128 with a Telegram handle (`benches/contact_swap.py`), and the word
"Telegram" alone added about one unit of log-odds to an ordinary cashier's ad. The copies make the channel say less:
the same ordinary message, with a sentence that gives a chat-app contact, keeps its label.

Which records are copied: ordinary (label 0) messages and postings that name no chat app, drawn at random with a fixed
seed, at most `--messages` messages and `--postings` postings, of the sources named with `--source` (any source
without it); never texts about the scams (source `written-warnings`, which quote the lures' contacts), nor EMSCAD,
Glassdoor, Google or Indeed postings (English postings of 2012–2025 that name no chat app: their wording is left as
it was). Not in the default recipe: see the model card's section "Chat-app contacts on ordinary job texts: measured,
not shipped". Measured there: copies of the ordinary job texts only (the synthetic records and the written regional,
Chinese and domestic-lodging ones; 2,089 copies) took the contact swap from 55 to 18 of 896 ordinary chat-app versions
flagged, every lure version still found, but flagged more texts about the scams and more of the left-out Chinese
chat's grey-market offers; copies of any ordinary message, SMS and chat of every kind (2,500 messages and 300
postings) barely moved the contact swap (41 of 896) and flagged more ordinary texts of the development probes (35 of
1,164, against 32): the head had learned a job offer with a chat app, not a chat app alone; copies of the 281
hand-written ordinary job texts alone (no synthetic record) moved nothing (62 of 896).

The sentence is in the record's language, told from its script (Thai, Khmer, Burmese, Han), its Vietnamese letters,
its `lang` field when it has one, or its source (`id-sms`, `vi-sms`, `zh-tg`, `th-sms`); English otherwise. The apps,
the wording and the handle (an @name, a phone number in the language's country format, or a t.me / wa.me link) are
drawn at random. The sentences were written here for this purpose and copy no evaluation data. Stock phrases of two
or three words recur elsewhere: against the development bench `datasets/contact-swap/contacts.json` the closest
template shares "i-message kami sa" or "để được tư vấn" (at most 53% of a template's character 8-grams once the app and
handle are taken out), so that bench flatters a head trained with the copies; against the regional probes and the
test split, "Info lebih lanjut" (more information) and "namin:" (our) are the largest.

A copy keeps the record's label, source and near-duplicate group and gets the id `<id>~chat`; a message gets the
sentence after its text, a posting after its description (its text when it has no description). Every input record
passes through unchanged, in order, each copy right after its record.

    python3 datasets/add_chat_contacts.py --source synthetic --source regional-postings --source regional-chinese \
      --source domestic-lodging target/pool2/train-head-vi.jsonl > target/pool2/train-head-chat.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys

from fold_vietnamese import MIN_LETTERS, VIETNAMESE_LETTERS  # beside this script: one list of Vietnamese letters

FIELDS = ("text", "title", "company_profile", "description", "requirements", "benefits")

# A chat app named in a record: these records are not copied (they say it already).
CHAT_APP = re.compile(
    r"telegram|whats\s?app|wa\.me|zalo|viber|wechat|weixin|微信|电报|飞机号|纸飞机|ไลน์|\bLINE\b|\bline\s*(?:id|@|:)|"
    r"t\.me/|messenger|kakao",
    re.IGNORECASE,
)

SKIP_SOURCES = {"written-warnings", "emscad", "glassdoor-2020", "google-2018", "indeed-2025"}

SCRIPTS = (("th", re.compile("[\u0e00-\u0e7f]")), ("km", re.compile("[\u1780-\u17ff]")),
           ("my", re.compile("[\u1000-\u109f]")), ("zh", re.compile("[\u4e00-\u9fff]")))
SOURCE_LANG = {"id-sms": "id", "vi-sms": "vi", "zh-tg": "zh", "th-sms": "th"}

# `{app}` and `{handle}` are filled in; each language names the apps its speakers use (Telegram in all of them).
SENTENCES = {
    "en": ["For more details, text us on {app}: {handle}", "You can also reach me on {app} ({handle}).",
           "{app}: {handle}", "Questions? Our team answers on {app}, {handle}.",
           "Save my {app} {handle} and send your name."],
    "id": ["Info lebih lanjut via {app} {handle}", "Silakan chat kami di {app}: {handle}",
           "Untuk pertanyaan hubungi {app} {handle} ya", "{app} admin: {handle}"],
    "ms": ["Maklumat lanjut, mesej kami di {app} {handle}", "Boleh hubungi saya melalui {app}: {handle}"],
    "tl": ["Para sa detalye, i-message kami sa {app}: {handle}", "Pwede rin mag-chat sa {app} {handle}",
           "{app} namin: {handle}"],
    "vi": ["Chi tiết vui lòng nhắn {app}: {handle}", "Cần hỏi thêm thì kết bạn {app} {handle} nhé",
           "{app} cửa hàng: {handle}", "Liên hệ {app} {handle} để được tư vấn"],
    "th": ["สอบถามรายละเอียดทาง {app} {handle}", "ติดต่อร้านได้ที่ {app}: {handle}", "{app} ของเรา {handle} ค่ะ",
           "ทัก {app} มาได้เลย {handle}"],
    "zh": ["详情可咨询{app}：{handle}", "有疑问请加{app} {handle}", "{app}联系：{handle}", "欢迎通过{app}联系我们 {handle}"],
    "km": ["ព័ត៌មានបន្ថែម ទាក់ទងតាម {app} {handle}", "{app}: {handle}"],
    "my": ["အသေးစိတ်ကို {app} {handle} မှ မေးမြန်းနိုင်ပါသည်", "{app}: {handle}"],
}
APPS = {
    "en": ["Telegram", "WhatsApp", "Viber", "Messenger", "LINE", "Signal"],
    "id": ["WhatsApp", "WA", "Telegram", "LINE"],
    "ms": ["WhatsApp", "Telegram", "WeChat"],
    "tl": ["Viber", "Messenger", "Telegram", "WhatsApp"],
    "vi": ["Zalo", "Telegram", "Messenger", "Viber"],
    "th": ["LINE", "ไลน์", "Telegram", "WhatsApp", "Messenger"],
    "zh": ["微信", "WeChat", "Telegram", "电报", "WhatsApp", "LINE"],
    "km": ["Telegram", "WhatsApp", "Messenger", "LINE"],
    "my": ["Viber", "Telegram", "Messenger", "WhatsApp"],
}
PHONES = {
    "en": ["+1 {3}-{3}-{4}", "+44 7{3} {6}", "+65 {4} {4}", "+60 1{1}-{3} {4}"],
    "id": ["08{2}-{4}-{4}", "+62 8{2} {4} {4}"],
    "ms": ["01{1}-{3} {4}", "+60 1{1}-{7}"],
    "tl": ["09{2} {3} {4}", "+63 9{2} {3} {4}"],
    "vi": ["09{2} {3} {3}", "03{2}.{3}.{3}", "+84 9{2} {3} {3}"],
    "th": ["08{1}-{3}-{4}", "09{1} {3} {4}", "+66 8{1} {3} {4}"],
    "zh": ["1{2}{4}{4}", "+86 1{2} {4} {4}"],
    "km": ["0{2} {3} {3}", "+855 {2} {3} {3}"],
    "my": ["09 {3} {3} {3}", "+95 9 {3} {3} {3}"],
}
SYLLABLES = ["an", "bao", "chi", "dee", "ka", "lin", "may", "nok", "pim", "ra", "sun", "tao", "vy", "wan", "yen", "zo",
             "hr", "job", "shop", "cafe", "team", "home", "mart", "care"]


def language(record: dict, text: str) -> str:
    if record.get("lang") in SENTENCES:
        return record["lang"]
    for lang, script in SCRIPTS:
        if len(script.findall(text)) >= 3:
            return lang
    if len(VIETNAMESE_LETTERS.findall(text)) >= MIN_LETTERS:
        return "vi"
    return SOURCE_LANG.get(record.get("source"), "en")


def handle(rng: random.Random, lang: str, app: str) -> str:
    def digits(n: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(n))

    kind = rng.random()
    if kind < 0.45:
        return re.sub(r"\{(\d)\}", lambda m: digits(int(m.group(1))), rng.choice(PHONES[lang]))
    name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
    if rng.random() < 0.5:
        name += str(rng.randint(1, 999))
    if kind < 0.6 and app == "Telegram":
        return f"t.me/{name}"
    if kind < 0.6 and app in ("WhatsApp", "WA"):
        return "wa.me/" + digits(11)
    return "@" + name


def sentence(rng: random.Random, lang: str) -> str:
    app = rng.choice(APPS[lang])
    return rng.choice(SENTENCES[lang]).format(app=app, handle=handle(rng, lang, app))


def eligible(record: dict, sources: set[str] | None = None) -> bool:
    if record.get("label") != 0 or record.get("source") in SKIP_SOURCES:
        return False
    if sources is not None and record.get("source") not in sources:
        return False
    return not CHAT_APP.search(" ".join(str(record.get(f) or "") for f in FIELDS))


def with_contact(record: dict, rng: random.Random) -> dict:
    copy = dict(record)
    field = "description" if record.get("kind") == "posting" and record.get("description") else "text"
    body = str(record.get(field) or "")
    lang = language(record, " ".join(str(record.get(f) or "") for f in FIELDS))
    joiner = "" if lang == "zh" or not body or body.endswith(("\n", " ")) else (" " if body[-1] in ".!?。！？" else ". ")
    copy[field] = body + joiner + sentence(rng, lang)
    copy["id"] = f"{record['id']}~chat"
    return copy


def add(lines: list[str], out, messages: int, postings: int, seed: int = 42,
        sources: set[str] | None = None) -> tuple[int, int]:
    """Writes every record of `lines` to `out`, each chosen copy right after its record; returns (read, copies)."""
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    records = []
    for n, line in numbered:
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError as e:
            raise SystemExit(f"line {n}: not JSON ({e}); every line must be one JSON record") from None
    rng = random.Random(seed)
    chosen: set[int] = set()
    for kind, budget in (("message", messages), ("posting", postings)):
        pool = [i for i, r in enumerate(records) if r.get("kind", "message") == kind and eligible(r, sources)]
        chosen.update(rng.sample(pool, min(budget, len(pool))))
    copies = 0
    for i, ((_, line), record) in enumerate(zip(numbered, records)):
        out.write(line.rstrip("\n") + "\n")
        if i in chosen:
            out.write(json.dumps(with_contact(record, rng), ensure_ascii=False) + "\n")
            copies += 1
    return len(records), copies


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Not in the default recipe: measured and not shipped (the model card's section \"Chat-app contacts on "
        "ordinary job texts\"). Example: add_chat_contacts.py --source synthetic train.jsonl > train-chat.jsonl")
    ap.add_argument("input", help="training JSONL")
    ap.add_argument("--messages", type=int, default=2500, help="ordinary messages to copy (default 2500)")
    ap.add_argument("--postings", type=int, default=300, help="ordinary postings to copy (default 300)")
    ap.add_argument("--source", action="append", help="copy only records of this source (repeatable; default: any)")
    ap.add_argument("--seed", type=int, default=42, help="seed of the draws: the same seed, the same output")
    args = ap.parse_args()
    try:
        with open(args.input, encoding="utf-8", newline="") as f:
            # Split on newlines only: texts may hold U+2028 and other separators that str.splitlines() would cut at.
            lines = f.read().split("\n")
    except (OSError, UnicodeDecodeError) as e:
        raise SystemExit(f"{args.input}: cannot read it ({e}); give a UTF-8 JSONL file of training records") from None
    read, copies = add(lines, sys.stdout, args.messages, args.postings, args.seed,
                        set(args.source) if args.source else None)
    print(f"add_chat_contacts: {read} records, {copies} copies with a chat-app contact", file=sys.stderr)


if __name__ == "__main__":
    main()
