"""The synthetic generator's editions: stable where models depend on them, well-formed everywhere."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import synth_lures  # noqa: E402  (the generator is a script beside this folder)
from synth_later_stages import FEE_AGENT, TASK_STAGE2  # noqa: E402

TEXT_FIELDS = ("text", "title", "description", "requirements", "benefits", "company_profile")


def test_edition_3_starts_with_edition_2_byte_for_byte():
    # The encoder was distilled on edition 2 and the head trained on edition 3: the head's extra records must come
    # after edition 2's, unchanged, or the recipe's two steps would read different data.
    two = synth_lures.generate(400, edition=2)
    three = synth_lures.generate(400, edition=3)
    assert three[: len(two)] == two
    assert len(three) == len(two) + 900


def test_edition_3_adds_as_many_lures_as_benign_records_in_each_language():
    # Lures and ordinary texts of one shape come in pairs: more of either would teach the language, not the offer.
    extra = synth_lures.generate(400, edition=3)[800:]
    per_language = Counter((r["lang"], r["label"]) for r in extra)
    assert {lang for lang, _ in per_language} == set(synth_lures.LOCAL_JOBS)
    for lang in synth_lures.LOCAL_JOBS:
        assert per_language[(lang, 1)] == per_language[(lang, 0)] == 50, lang


def test_every_record_is_filled_and_unique():
    records = synth_lures.generate(400, edition=3)
    assert len({r["id"] for r in records}) == len(records)
    for r in records:
        texts = [r[f] for f in TEXT_FIELDS if f in r]
        assert texts and all(t.strip() for t in texts), r["id"]
        # No slot left unfilled: "{name}", "{amount}" and the like.
        assert not any(re.search(r"\{[a-z_0-9]*\}", t) for t in texts), r
        assert r["split"] == "train" and r["source"] == "synthetic"


def test_later_stage_lists_have_the_same_scenarios_in_every_language():
    for parts in (TASK_STAGE2, FEE_AGENT):
        assert set(parts) == set(synth_lures.LOCAL_JOBS)
        for lang, lists in parts.items():
            assert len(lists["lure"]) == len(lists["benign"]) == 8, lang
            for text in lists["lure"] + lists["benign"]:
                text.format(amount="1,000", pct="30")  # only the two slots


def test_the_same_seed_gives_the_same_file():
    first = json.dumps(synth_lures.generate(50, edition=3), ensure_ascii=False)
    assert first == json.dumps(synth_lures.generate(50, edition=3), ensure_ascii=False)
