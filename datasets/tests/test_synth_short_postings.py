"""The short job texts (datasets/synth_short_postings.py): stable, well-formed, and no title leaning to one label."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE))

import synth_short_postings  # noqa: E402  (the generator is a script beside this folder)

RECORDS = synth_short_postings.generate()


def test_the_same_seed_gives_the_same_records():
    assert synth_short_postings.generate() == RECORDS
    assert synth_short_postings.generate(1) != RECORDS


def test_every_language_has_ordinary_texts_and_fewer_lures():
    per_language = Counter((r["lang"], r["label"]) for r in RECORDS)
    for lang in synth_short_postings.COUNTS:
        assert per_language[(lang, 0)] > per_language[(lang, 1)] > 0, lang


def test_records_are_short_and_well_formed():
    ids = [r["id"] for r in RECORDS]
    assert len(set(ids)) == len(ids)
    for r in RECORDS:
        fields = {k for k in ("title", "location", "description", "text") if k in r}
        assert fields in ({"text"}, {"title"}, {"title", "location"}, {"title", "description"}), r
        assert (r["kind"] == "message") == (fields == {"text"}), r
        text = " ".join(r[k] for k in fields)
        assert "{" not in text and "}" not in text, f"a slot left unfilled: {r}"
        # Short: at most 40 words, or 160 characters where words are not spaced.
        assert len(text.split()) <= 40 and len(text) <= 220, r


def test_no_role_is_more_often_a_lures_title_than_an_ordinary_one():
    # A bare role over a lure's description must not teach the lexical member that the role's word is a lure.
    titles = Counter((r["lang"], r["title"], r["label"]) for r in RECORDS if "title" in r)
    for (lang, title, label), n in titles.items():
        if label == 1 and title in synth_short_postings.LANGS[lang]["roles"]:
            assert titles[(lang, title, 0)] >= n, (lang, title)


def test_ordinary_texts_share_the_words_lures_use():
    # No single word is the label: ordinary texts also go abroad, name chat apps and offer lodging.
    ordinary = " ".join(r.get("text", "") + " " + r.get("description", "") for r in RECORDS if r["label"] == 0)
    for word in ("WhatsApp", "licensed agency", "accommodation", "No experience needed"):
        assert re.search(re.escape(word), ordinary), word
