"""The written regional postings and Chinese texts (datasets/regional-postings/): well-formed, varied, and not copied
from evaluation text."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE / "exemplars"))

import check_overlap  # noqa: E402  (a script beside this folder)

FILES = ("postings.jsonl", "postings-2.jsonl")
CHINESE = "chinese.jsonl"
DOMESTIC = "domestic-lodging.jsonl"
WARNINGS = "warnings.jsonl"
TESTIMONIALS = "testimonial-lures.jsonl"
ENGLISH_SEA = "english-sea.jsonl"
FIELDS = ("title", "location", "salary_range", "description", "requirements", "benefits")
LANGS = {"en", "id", "km", "ms", "my", "th", "tl", "vi"}
# Characters that only traditional Chinese writes this way (simplified: 们这个为来对说会将后点让还给关实体处与过).
TRADITIONAL = re.compile("[們這個為來對說會將後點讓還給關實體處與過]")


def rows(name: str | None = None) -> list[dict]:
    """The postings of one file, or of both batches."""
    return [json.loads(line) for file in ([name] if name else FILES)
            for line in (HERE / "regional-postings" / file).read_text(encoding="utf-8").splitlines()]


def text(row: dict) -> str:
    return row["text"] if row["kind"] == "message" else " ".join(row[k] for k in FIELDS if row.get(k))


def test_every_posting_has_the_schema_the_trainer_reads():
    for row in rows():
        assert set(row) == {"id", "source", "kind", "label", "lang", "group", *FIELDS}, row["id"]
        assert row["source"] == "regional-postings" and row["kind"] == "posting", row["id"]
        assert row["label"] in (0, 1) and row["lang"] in LANGS, row["id"]
        assert all(isinstance(row[k], str) for k in FIELDS), row["id"]
        assert row["title"].strip() and len(row["description"]) >= 40, row["id"]


def test_every_chinese_text_has_the_schema_the_trainer_reads():
    for row in rows(CHINESE):
        fields = FIELDS if row["kind"] == "posting" else ("text",)
        assert set(row) == {"id", "source", "kind", "label", "lang", "group", *fields}, row["id"]
        assert row["source"] == "regional-chinese" and row["lang"] == "zh" and row["label"] in (0, 1), row["id"]
        assert row["kind"] in ("posting", "message") and row["group"] == row["id"], row["id"]
        assert all(isinstance(row[k], str) for k in fields) and len(text(row)) >= 30, row["id"]
        assert len(re.findall("[\u4e00-\u9fff]", text(row))) >= 20, row["id"]


def test_every_domestic_lodging_text_has_the_schema_the_trainer_reads():
    for row in rows(DOMESTIC):
        fields = FIELDS if row["kind"] == "posting" else ("text",)
        assert set(row) == {"id", "source", "kind", "label", "lang", "group", *fields}, row["id"]
        assert row["source"] == "domestic-lodging" and row["group"] == row["id"], row["id"]
        assert row["lang"] in {"zh", "vi", "th", "id", "tl"} and row["label"] in (0, 1), row["id"]
        assert all(isinstance(row[k], str) for k in fields) and len(text(row)) >= 25, row["id"]


def test_ordinary_domestic_jobs_offer_board_and_lodging_beside_lures_that_do_too():
    # The file is for teaching that board and lodging (包吃包住, bao ăn ở, มีที่พัก, mess, stay-in) is in ordinary
    # domestic job ads everywhere: most of its ordinary texts must say it, in every language, with lures beside them.
    lodging = re.compile(r"包吃|包住|食宿|宿舍|住宿|膳宿|ăn ở|chỗ ở|ký túc|ที่พัก|หอพัก|\bmess\b|tempat tinggal"
                         r"|stay-?in|tirahan|dormitor|staff house", re.IGNORECASE)
    every = rows(DOMESTIC)
    counts = Counter((row["lang"], row["label"]) for row in every)
    for lang in ("zh", "vi", "th", "id", "tl"):
        assert counts[(lang, 1)] >= 3 and counts[(lang, 0)] >= 2 * counts[(lang, 1)], (lang, counts)
    ordinary = [row for row in every if row["label"] == 0]
    share = sum(bool(lodging.search(text(row))) for row in ordinary) / len(ordinary)
    assert share >= 0.75, share
    assert any(lodging.search(text(row)) for row in every if row["label"] == 1)


def test_every_written_warning_has_the_schema_the_trainer_reads():
    # Texts about the scams by people who are not recruiting are ordinary; the lures that borrow their words are not.
    about = {"plea", "survivor", "news", "notice", "question", "discussion"}
    for row in rows(WARNINGS) + rows(TESTIMONIALS):
        assert set(row) == {"id", "source", "kind", "label", "lang", "group", "typology", "text"}, row["id"]
        assert row["source"] == "written-warnings" and row["kind"] == "message" and row["group"] == row["id"], row["id"]
        assert row["lang"] in LANGS | {"zh"} and isinstance(row["text"], str) and len(row["text"]) >= 25, row["id"]
        expected = 0 if row["typology"] in about else 1
        assert row["typology"] in about | {"testimonial_lure", "trust_lure"} and row["label"] == expected, row["id"]
    # The testimonial lures are kept apart: the default recipe does not train on them (the README says why).
    assert {row["typology"] for row in rows(TESTIMONIALS)} == {"testimonial_lure"}
    assert "testimonial_lure" not in {row["typology"] for row in rows(WARNINGS)}


def test_written_warnings_quote_the_bait_in_every_language_beside_lures_that_borrow_their_words():
    # The file is for teaching that a text quoting an offer (the pay, the country, the free ticket, the tasks and the
    # mentor) to warn about it is not the offer: most of its ordinary texts must quote it, in every language.
    bait = re.compile(r"cambodia|myanmar|myawaddy|laos|sihanouk|dubai|thailand|telegram|mentor|top.?up|commission"
                      r"|no experience|free (flight|ticket)|salary|柬埔寨|缅甸|缅北|妙瓦底|西港|老挝|迪拜|泰国|高薪|月薪|刷单"
                      r"|点赞|佣金|导师|充值|机票|campuchia|lương|hoa hồng|nhiệm vụ|nạp|luong|hoa hong|nhiem vu|nap"
                      r"|กัมพูชา|เมียนมา|พม่า|ลาว|เงินเดือน|ค่าคอม|ไลค์|ตั๋ว|เมียวดี|kamboja|kemboja|gaji|komisi|tiket"
                      r"|deposit|tugas|sahod|libre|pamasahe|trabaho|កម្ពុជា|ប្រាក់ខែ|កម្រៃជើងសារ|ថៃ|ដុល្លារ|ကမ္ဘောဒီးယား"
                      r"|ထိုင်း|လစာ|မြဝတီ|ကော်မရှင်|ဒေါ်လာ|ဘတ်", re.IGNORECASE)
    every = rows(WARNINGS)
    counts = Counter((row["lang"], row["label"]) for row in every)
    for lang in ("en", "id", "km", "ms", "my", "th", "tl", "vi", "zh"):
        assert counts[(lang, 1)] >= 5 and counts[(lang, 0)] >= 2 * counts[(lang, 1)], (lang, counts)
        ordinary = [row for row in every if row["lang"] == lang and row["label"] == 0]
        share = sum(bool(bait.search(row["text"])) for row in ordinary) / len(ordinary)
        assert share >= 0.6, (lang, share)


def test_ids_and_texts_are_unique():
    every = rows() + rows(CHINESE) + rows(DOMESTIC) + rows(WARNINGS) + rows(TESTIMONIALS)
    ids = Counter(row["id"] for row in every)
    assert max(ids.values()) == 1, [i for i, n in ids.items() if n > 1]
    # No two texts share a long sentence: each reads as a different employer's (or sender's).
    body = [row["text"] if row["kind"] == "message" else row["description"] for row in every]
    sentences = Counter(s.strip().lower() for b in body for s in re.split(r"[.!?。！？។။\n]", b) if len(s.strip()) > 60)
    assert max(sentences.values()) == 1, [s for s, n in sentences.items() if n > 1]
    # Chinese sentences are short in characters: no two Chinese texts share one of 25 or more.
    chinese = Counter(s.strip() for row in rows(CHINESE) for s in re.split(r"[。！？\n]", text(row)) if len(s.strip()) >= 25)
    assert max(chinese.values()) == 1, [s for s, n in chinese.items() if n > 1]


def test_the_chinese_texts_are_both_kinds_both_labels_and_both_scripts():
    chinese = rows(CHINESE)
    counts = Counter((row["kind"], row["label"]) for row in chinese)
    for kind in ("posting", "message"):
        # More ordinary texts than lures, by far: a few Chinese lures among none ordinary moved the model's Chinese chat.
        assert counts[(kind, 1)] >= 10 and counts[(kind, 0)] >= 2 * counts[(kind, 1)], counts
    traditional = [row for row in chinese if TRADITIONAL.search(text(row))]
    assert len(chinese) / 5 <= len(traditional) <= len(chinese) / 2, len(traditional)
    assert {row["label"] for row in traditional} == {0, 1}
    borrowed = re.compile("包吃住|包食宿|日结|日結|兼职|兼職|体检费|體檢費|护照|護照|西港|柬埔寨|迪拜|抖音|垫付|墊付|佣金|提成"
                          r"|\bLINE\b|Telegram|微信|WhatsApp")
    ordinary = [row for row in chinese if row["label"] == 0]
    share = sum(bool(borrowed.search(text(row))) for row in ordinary) / len(ordinary)
    assert share >= 0.3, share


def test_every_language_has_more_ordinary_postings_than_lures_and_both():
    # The file the default recipe trains on has every language; the second batch is mostly English.
    counts = Counter((row["lang"], row["label"]) for row in rows("postings.jsonl"))
    for lang in LANGS:
        assert counts[(lang, 1)] >= 6 and counts[(lang, 0)] >= 2 * counts[(lang, 1)], (lang, counts)


def test_ordinary_postings_carry_the_words_lures_borrow():
    # The file the head learns from is for teaching that these words alone do not make a lure: a fair share of
    # its ordinary postings must have them.
    borrowed = re.compile(r"no experience|whatsapp|accommodation|commission|urgent|walk-in|telegram|zalo|viber"
                          r"|tanpa pengalaman|tiada pengalaman|walang karanasan|không cần kinh nghiệm|ไม่ต้องมีประสบการณ์"
                          r"|bao ăn ở|ที่พัก|ไลน์|asrama|\bmess\b|hostel|အတွေ့အကြုံမလို|နေစရာ|ကော်မရှင်"
                          r"|បទពិសោធន៍|កន្លែងស្នាក់នៅ|កម្រៃជើងសារ", re.IGNORECASE)
    ordinary = [row for row in rows("postings.jsonl") if row["label"] == 0]
    share = sum(bool(borrowed.search(text(row))) for row in ordinary) / len(ordinary)
    assert share >= 0.3, share


def test_every_english_posting_of_the_region_has_the_schema_the_trainer_reads():
    postings = rows(ENGLISH_SEA)
    optional = {"salary_range", "employment_type", "company_profile", "requirements", "benefits"}
    for row in postings:
        assert {"id", "source", "kind", "label", "lang", "group", "title", "location", "description"} <= set(row), row["id"]
        assert set(row) <= {"id", "source", "kind", "label", "lang", "group", "title", "location", "description", *optional}
        assert row["source"] == "english-sea" and row["kind"] == "posting" and row["lang"] == "en", row["id"]
        assert row["label"] in (0, 1) and row["group"] == row["id"], row["id"]
        assert row["title"].strip() and row["location"].strip() and len(row["description"]) >= 40, row["id"]
    labels = Counter(row["label"] for row in postings)
    assert labels[0] >= 4 * labels[1] > 0, labels


def test_no_text_shares_forty_percent_of_its_8_grams_with_an_evaluation_text_of_the_repository():
    written = rows() + rows(CHINESE) + rows(DOMESTIC) + rows(WARNINGS) + rows(TESTIMONIALS) + rows(ENGLISH_SEA)
    best, _ = check_overlap.closest_evaluation_texts([text(row) for row in written], [])
    too_close = [(row["id"], c, where) for row, (c, where) in zip(written, best) if c >= 0.4]
    assert not too_close, too_close
