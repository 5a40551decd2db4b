"""Short crops of ordinary job postings (datasets/crop_postings.py)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import crop_postings  # noqa: E402  (the script is beside this folder)

POSTING = {"id": "emscad:1", "source": "emscad", "kind": "posting", "label": 0, "split": "train", "group": "p:1",
           "title": "Line Cook", "location": "US, TX, Austin", "company_profile": "A family restaurant since 1987.",
           "description": "Prepare dishes to our recipes.We value teamwork. Shifts are posted weekly on Friday and "
                          "swaps are agreed with the kitchen manager. " + "More words follow here. " * 20,
           "requirements": "Two years in a busy kitchen.", "benefits": "Staff meals."}


def crops_of(template, n=60):
    return [crop_postings.crop({**template, "id": f"{template['id']}-{i}"}) for i in range(n)]


def test_a_crop_keeps_the_title_group_and_label_and_drops_the_long_fields():
    for short in crops_of(POSTING):
        assert short["title"] == "Line Cook"
        assert short["id"].endswith(":crop") and short["group"] == "p:1" and short["label"] == 0
        assert short["source"] == "emscad" and short["kind"] == "posting" and short["split"] == "train"
        assert not {"company_profile", "requirements", "benefits"} & short.keys()
        assert len(short.get("description", "").split()) <= crop_postings.MAX_WORDS
        assert short.get("location") in (None, "US, TX, Austin")


def test_crops_come_in_each_form_and_the_same_id_gives_the_same_crop():
    crops = crops_of(POSTING)
    assert any("description" not in c for c in crops)  # bare titles
    assert any("description" in c and "location" in c for c in crops)
    assert any("description" in c and "location" not in c for c in crops)
    # EMSCAD's run-together items are split: the first sentence stops before "We value".
    assert {c["description"] for c in crops if "description" in c} >= {"Prepare dishes to our recipes."}
    assert crops == crops_of(POSTING)


def test_lures_messages_synthetic_records_and_untitled_postings_are_not_cropped():
    assert crop_postings.crop({**POSTING, "label": 1}) is None
    assert crop_postings.crop({**POSTING, "source": "synthetic"}) is None
    assert crop_postings.crop({**POSTING, "title": "  "}) is None
    assert crop_postings.crop({"id": "m", "kind": "message", "label": 0, "text": "Shift swap ok?"}) is None
    assert crop_postings.crop({**POSTING, "label": 1}, labels=(0, 1)) is not None
    assert crop_postings.crop(POSTING, skip={"emscad"}) is None
