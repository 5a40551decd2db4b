"""Vietnamese records copied without their diacritics (datasets/fold_vietnamese.py)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import fold_vietnamese  # noqa: E402  (the script is beside this folder)


def test_marks_leave_latin_letters_and_d_loses_its_bar():
    assert fold_vietnamese.without_diacritics("Lương 500k/ngày ở Đà Nẵng, liên hệ đi") == \
        "Luong 500k/ngay o Da Nang, lien he di"


def test_marks_of_other_scripts_stay():
    for text in ("สวัสดีค่ะ รายได้วันละ 500 บาท", "ការងារបង់មុន", "လစာ ကျပ် ၅၀၀,၀၀၀", "做任务 日结"):
        assert fold_vietnamese.without_diacritics(text) == text


def test_only_records_with_vietnamese_letters_are_copied():
    assert fold_vietnamese.plain_copy({"id": "a", "text": "Kumita ng 500 bawat araw"}) is None
    assert fold_vietnamese.plain_copy({"id": "b", "text": "Café naïve résumé"}) is None  # accents, not Vietnamese
    assert fold_vietnamese.plain_copy({"id": "c", "text": "Tuyen CTV, luong 500k"}) is None  # nothing to remove
    copy = fold_vietnamese.plain_copy(
        {"id": "d", "label": 1, "group": "g", "title": "Tuyển CTV", "description": "Lương cao, việc nhẹ", "n": 3})
    assert copy == {"id": "d~plain", "label": 1, "group": "g", "title": "Tuyen CTV", "description": "Luong cao, viec nhe",
                    "n": 3}


def test_every_record_is_written_once_and_each_copy_follows_its_record():
    records = [{"id": "1", "label": 0, "text": "Hẹn gặp lúc 3 giờ nhé"}, {"id": "2", "label": 0, "text": "See you at 3"},
               {"id": "3", "label": 1, "text": "Việc nhẹ lương cao, nhận nhiệm vụ qua Zalo"}]
    out = io.StringIO()
    read, copies = fold_vietnamese.fold([json.dumps(r, ensure_ascii=False) + "\n" for r in records] + ["\n"], out)
    written = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (read, copies) == (3, 2)
    assert [r["id"] for r in written] == ["1", "1~plain", "2", "3", "3~plain"]
    assert written[4] == {"id": "3~plain", "label": 1, "text": "Viec nhe luong cao, nhan nhiem vu qua Zalo"}


def test_records_of_a_skipped_source_are_written_but_not_copied():
    records = [{"id": "s", "source": "synthetic", "label": 1, "text": "Việc nhẹ lương cao, nhận nhiệm vụ qua Zalo"},
               {"id": "v", "source": "vi-sms", "label": 0, "text": "Hẹn gặp lúc 3 giờ nhé"}]
    out = io.StringIO()
    read, copies = fold_vietnamese.fold([json.dumps(r, ensure_ascii=False) + "\n" for r in records], out,
                                        skip_sources=("synthetic",))
    assert (read, copies) == (2, 1)
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == ["s", "v", "v~plain"]


def test_a_broken_line_names_its_number():
    try:
        fold_vietnamese.fold(['{"id": "1", "text": "x"}\n', "{not json\n"], io.StringIO())
    except SystemExit as e:
        assert str(e).startswith("line 2: not JSON")
    else:
        raise AssertionError("a broken line must stop the script")
