"""Ordinary records copied with a chat-app contact (datasets/add_chat_contacts.py)."""

from __future__ import annotations

import io
import json
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import add_chat_contacts as acc  # noqa: E402  (the script is beside this folder)


def run(records: list[dict], messages: int = 10, postings: int = 10, seed: int = 42) -> tuple[int, int, list[dict]]:
    out = io.StringIO()
    read, copies = acc.add([json.dumps(r, ensure_ascii=False) + "\n" for r in records], out, messages, postings, seed)
    return read, copies, [json.loads(line) for line in out.getvalue().splitlines()]


def names_an_app(text: str, lang: str) -> bool:
    return any(app in text for app in acc.APPS[lang])


def test_only_ordinary_records_without_a_chat_app_are_copied():
    records = [
        {"id": "lure", "kind": "message", "label": 1, "source": "th-sms", "text": "งานออนไลน์ รายได้วันละ 500"},
        {"id": "said", "kind": "message", "label": 0, "source": "uci-sms", "text": "ok, WhatsApp me later"},
        {"id": "warn", "kind": "message", "label": 0, "source": "written-warnings", "text": "Beware of fake jobs"},
        {"id": "ems", "kind": "posting", "label": 0, "source": "emscad", "title": "Nurse", "description": "Day shifts"},
        {"id": "ham", "kind": "message", "label": 0, "source": "uci-sms", "text": "See you at 3"},
    ]
    read, copies, written = run(records)
    assert (read, copies) == (5, 1)
    assert [r["id"] for r in written] == ["lure", "said", "warn", "ems", "ham", "ham~chat"]


def test_a_copy_keeps_label_source_and_group_and_gains_a_chat_app():
    ham = {"id": "h", "kind": "message", "label": 0, "source": "uci-sms", "group": "g", "text": "See you at 3."}
    post = {"id": "p", "kind": "posting", "label": 0, "source": "regional-postings", "group": "q", "lang": "vi",
            "title": "Tuyển thu ngân", "description": "Ca sáng, lương theo giờ"}
    _, copies, written = run([ham, post])
    assert copies == 2
    h, p = written[1], written[3]
    assert {k: h[k] for k in ("id", "label", "source", "group")} == {"id": "h~chat", "label": 0, "source": "uci-sms",
                                                                  "group": "g"}
    assert h["text"].startswith("See you at 3. ") and names_an_app(h["text"][len(ham["text"]):], "en")
    assert p["title"] == post["title"] and p["description"].startswith(post["description"])
    assert names_an_app(p["description"][len(post["description"]):], "vi")


@pytest.mark.parametrize("lang, text", [
    ("th", "พรุ่งนี้ร้านเปิดแปดโมงเช้า"), ("km", "ហាងបើកម៉ោងប្រាំបី"), ("my", "မနက်ဖြန် ဆိုင်ဖွင့်ပါမယ်"),
    ("zh", "明天早上八点开门"), ("vi", "Ngày mai cửa hàng mở lúc tám giờ"), ("en", "The shop opens at eight"),
])
def test_the_sentence_is_in_the_records_language(lang, text):
    assert acc.language({"source": "x"}, text) == lang
    rng = random.Random(1)
    for _ in range(20):
        added = acc.sentence(rng, lang)
        assert names_an_app(added, lang), added
    # Every template with words beside the app and the handle writes them in the language's own script.
    script = dict(acc.SCRIPTS).get(lang)
    for template in acc.SENTENCES[lang] if script else ():
        words = template.replace("{app}", "").replace("{handle}", "").strip(" :")
        assert not words or script.search(words), template


def test_a_lang_field_or_the_source_decides_for_latin_script():
    assert acc.language({"lang": "tl"}, "Hiring cashier, walang experience okay lang") == "tl"
    assert acc.language({"source": "id-sms"}, "Besok toko buka jam delapan") == "id"


def test_budgets_and_seed_decide_which_records_are_copied():
    records = [{"id": str(i), "kind": "message", "label": 0, "source": "uci-sms", "text": f"note {i}"} for i in range(50)]
    _, copies, first = run(records, messages=7)
    _, _, again = run(records, messages=7)
    _, _, other = run(records, messages=7, seed=3)
    assert copies == 7
    assert first == again
    assert [r["id"] for r in first] != [r["id"] for r in other]


def test_only_the_named_sources_are_copied():
    records = [{"id": f"{source}-{i}", "kind": "message", "label": 0, "source": source, "text": f"note {i}"}
               for source in ("synthetic", "uci-sms") for i in range(5)]
    _, copies, written = run(records, messages=100)
    assert copies == 10
    out = io.StringIO()
    assert acc.add([json.dumps(r) + "\n" for r in records], out, 100, 100, sources={"synthetic"}) == (10, 5)
    copied = [json.loads(line)["id"] for line in out.getvalue().splitlines() if "~chat" in line]
    assert copied == [f"synthetic-{i}~chat" for i in range(5)]


def test_a_broken_line_names_its_number():
    with pytest.raises(SystemExit, match="^line 2: not JSON"):
        acc.add(['{"id": "1", "text": "x"}\n', "{not json\n"], io.StringIO(), 1, 1)
