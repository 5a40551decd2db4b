"""make_table.py's rules on a small OpenCC-style table (the real one comes from a wheel; these tests need none)."""

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location("make_table", Path(__file__).with_name("make_table.py"))
make_table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(make_table)

SAMPLE = "\n".join([
    "# Open Chinese Convert (OpenCC) Dictionary",
    "",
    "務\t务",
    "線\t线 缐",  # several forms: the first
    "乾\t干 乾",  # itself among its forms: left as written
    "㑮\t㑮 𫝈",  # below U+4E00 and a four-byte form: left out
    "帳\t帐",  # one of the project's own readings overrides OpenCC's
    "甲\t乙",  # a chain: 甲 → 乙 → 丙 must fold to 丙 at once
    "乙\t丙",
])


def test_keeps_one_to_one_three_byte_pairs_and_takes_the_first_form():
    pairs = make_table.pairs(SAMPLE)
    assert pairs["務"] == "务"
    assert pairs["線"] == "线"
    assert "乾" not in pairs and "㑮" not in pairs


def test_the_projects_readings_win_and_folding_twice_changes_nothing():
    pairs = make_table.pairs(SAMPLE)
    assert pairs["帳"] == "账" and pairs["徵"] == "征"
    assert pairs["甲"] == "丙"
    assert not any(s in pairs for s in pairs.values())
    assert all(len(t.encode()) == len(s.encode()) == 3 for t, s in pairs.items())
