"""The short messages of sums of money (datasets/synth_amounts.py): pairs, stable, well-formed, not copied."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "exemplars"))

import check_overlap  # noqa: E402  (a script beside the data it checks)
import synth_amounts  # noqa: E402  (the generator is a script beside this folder)

RECORDS = synth_amounts.generate(30, 100)


def test_the_same_seed_gives_the_same_records_and_more_ordinary_messages_start_with_them():
    assert synth_amounts.generate(30, 100) == RECORDS
    assert synth_amounts.generate(30, 30)[:60] == RECORDS[:60]  # the first language's 30 pairs, unchanged


def test_every_language_has_its_pairs_and_its_ordinary_messages():
    per_language = Counter((r["lang"], r["label"]) for r in RECORDS)
    assert {lang for lang, _ in per_language} == set(synth_amounts.LANGS) == set(synth_amounts.LURE)
    for lang in synth_amounts.LANGS:
        assert (per_language[(lang, 0)], per_language[(lang, 1)]) == (100, 30), lang


def test_each_lure_follows_its_ordinary_message_in_its_language_with_its_sum():
    lures = [i for i, r in enumerate(RECORDS) if r["label"] == 1]
    assert lures
    for i in lures:
        ordinary, lure = RECORDS[i - 1], RECORDS[i]
        assert ordinary["label"] == 0 and ordinary["id"] == lure["id"].replace("-lure-", "-ordinary-")
        assert ordinary["lang"] == lure["lang"]
        # The lure's sum is the ordinary message's sum or the top of its range.
        sums = set(re.findall(r"\d[\d.,]*\d|\d", lure["text"])) - {"0000", "00", "000"}
        assert any(s in ordinary["text"] for s in sums), (ordinary["text"], lure["text"])


def test_records_have_the_schema_the_trainer_reads_and_unique_ids_and_texts():
    for r in RECORDS:
        assert r["kind"] == "message" and r["label"] in (0, 1) and r["split"] == "train", r
        assert r["source"] == "synthetic" and r["group"] == f"synthetic:amounts-{r['lang']}", r
    assert len({r["id"] for r in RECORDS}) == len({r["text"] for r in RECORDS}) == len(RECORDS)


def test_ordinary_messages_are_short_carry_a_sum_and_no_contact():
    contacts = tuple(synth_amounts.CONTACTS)
    for r in (r for r in RECORDS if r["label"] == 0):
        assert re.search(r"\d", r["text"]), r["text"]  # \d matches Khmer and Burmese digits too
        assert len(r["text"]) <= 60 and not any(c in r["text"] for c in contacts), r["text"]
    native = [r for r in RECORDS if r["lang"] in ("km", "my") and re.search("[០-៩၀-၉]", r["text"])]
    assert 0 < len(native) < sum(r["lang"] in ("km", "my") for r in RECORDS)




PERIODS = synth_amounts.generate(20, 60, synth_amounts.PERIODS_SEED, periods=True)


def test_pay_with_its_period_pairs_each_lure_with_an_ordinary_message_of_its_sum_in_every_language():
    per_language = Counter((r["lang"], r["label"]) for r in PERIODS)
    for lang in synth_amounts.LANGS:
        assert (per_language[(lang, 0)], per_language[(lang, 1)]) == (60, 20), lang
    assert set(synth_amounts.PERIOD_ORDINARY) == set(synth_amounts.PERIOD_LURE) == set(synth_amounts.LANGS)
    for i in (i for i, r in enumerate(PERIODS) if r["label"] == 1):
        ordinary, lure = PERIODS[i - 1], PERIODS[i]
        assert ordinary["id"] == lure["id"].replace("-lure-", "-ordinary-"), (ordinary["id"], lure["id"])
        assert lure["id"].startswith("synthetic-periods:") and lure["group"] == f"synthetic:periods-{lure['lang']}"
    assert len({r["text"] for r in PERIODS}) == len(PERIODS)
    # Records of their own: none is one of the bare sums' texts.
    assert not {r["text"] for r in PERIODS} & {r["text"] for r in RECORDS}


@pytest.mark.parametrize("records", [RECORDS, PERIODS], ids=["sums", "periods"])
def test_no_lure_shares_forty_percent_of_its_8_grams_with_an_evaluation_text_of_the_repository(records):
    lures = [r for r in records if r["label"] == 1]
    best, _ = check_overlap.closest_evaluation_texts([r["text"] for r in lures], [])
    too_close = [(r["id"], c, where) for r, (c, where) in zip(lures, best) if c >= 0.4]
    assert not too_close, too_close


def test_left_out_templates_give_no_ordinary_message_and_the_lures_stay():
    def pattern(template):
        return re.compile(re.escape(template).replace(r"\{amt\}", ".+").replace(r"\{lo\}", ".+")
                          .replace(r"\{hi\}", ".+") + "$")

    templates = {t for texts in synth_amounts.PERIOD_ORDINARY.values() for t in texts}
    for leave_out in (synth_amounts.PERIOD_DAILY, synth_amounts.PERIOD_DAILY | synth_amounts.PERIOD_HOURLY):
        assert leave_out <= templates  # every name is one of the templates
        gone = [pattern(t) for t in leave_out]
        without = synth_amounts.generate(20, 60, synth_amounts.PERIODS_SEED, periods=True,
                                         leave_out=frozenset(leave_out))
        ordinary = [r["text"] for r in without if r["label"] == 0]
        assert len(ordinary) == 60 * len(synth_amounts.LANGS)
        assert not [t for t in ordinary if any(g.match(t) for g in gone)]
        assert any(g.match(r["text"]) for r in PERIODS if r["label"] == 0 for g in gone)  # there were some to leave out
        assert sum(r["label"] for r in without) == sum(r["label"] for r in PERIODS)
