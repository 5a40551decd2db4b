"""The synthetic generator's editions: stable where models depend on them, well-formed everywhere."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "exemplars"))

import check_overlap  # noqa: E402  (a script beside the data it checks)
import synth_lures  # noqa: E402  (the generator is a script beside this folder)
from synth_later_stages import FEE_AGENT, TASK_STAGE2  # noqa: E402
from synth_gig_work import GIG_WORK, PLATFORMS  # noqa: E402
from synth_pretexts import BORDERS, PRETEXTS  # noqa: E402
from synth_recruiter_hooks import MONEY_EN, RECRUITER_HOOK  # noqa: E402
from synth_regional_postings import EN_MONEY, FIELDS, POSTINGS  # noqa: E402

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


CHAT_APP = re.compile(r"Zalo|ไลน์|\bLINE\b|\bWA\b|WhatsApp|Messenger|微信|Telegram|Viber|飞机")


def test_edition_4_starts_with_edition_2_and_leaves_edition_3_as_it_was():
    two = synth_lures.generate(400, edition=2)
    four = synth_lures.generate(400, edition=4)
    assert four[: len(two)] == two
    # Edition 4's changes are behind the edition number: a model trained on edition 3 can still be retrained.
    assert synth_lures.generate(400, edition=3)[len(two):] != four[len(two):]
    assert len(synth_lures.generate(400, edition=3)) == len(two) + 900


def test_edition_4_lures_and_ordinary_adverts_ask_to_be_reached_alike():
    # Edition 3's local lures offered only a phone or a chat app (140 of 270 named a chat app, against 52 of the 270
    # ordinary advertisements): the model learnt the channel. In edition 4 both draw from the same ways to apply.
    extra = synth_lures.generate(400, edition=4)[800:]
    share = {}
    for label in (0, 1):
        adverts = [r for r in extra if "local-" in r["group"] and r["label"] == label]
        share[label] = sum(bool(CHAT_APP.search(r.get("text") or r["description"])) for r in adverts) / len(adverts)
    assert abs(share[1] - share[0]) < 0.05, share
    assert share[0] > 0.25, share  # ordinary employers in the region do ask for a chat-app message
    named = [r for r in extra if r["group"].startswith("synthetic:local-lure")
             and any(c in (r.get("text") or r["description"]) for c in synth_lures.COMPANY_NAMES)]
    assert len(named) > 100, len(named)


def test_edition_4_repeats_no_text_of_its_own_and_names_telegram_in_ordinary_texts_too():
    four = synth_lures.generate(400, edition=4)
    texts = [json.dumps({k: r[k] for k in TEXT_FIELDS if k in r}, ensure_ascii=False) for r in four[800:]]
    assert len(set(texts)) == len(texts)
    telegram = Counter(r["label"] for r in four if "telegram" in (r.get("text") or r.get("description", "")).lower())
    assert telegram[0] > 0.7 * telegram[1], telegram


def test_edition_5_is_edition_4_then_recruiter_hooks_in_pairs():
    four = synth_lures.generate(400, edition=4)
    five = synth_lures.generate(400, edition=5)
    assert five[: len(four)] == four
    extra = five[len(four):]
    assert all(r["group"].startswith("synthetic:recruiter-hook-") for r in extra)
    per_language = Counter((r["lang"], r["label"]) for r in extra)
    assert {lang for lang, _ in per_language} == set(RECRUITER_HOOK)
    for lang in RECRUITER_HOOK:
        expected = synth_lures.RECRUITER_DRAWS_EN if lang == "en" else synth_lures.RECRUITER_DRAWS_EN // 4
        assert per_language[(lang, 1)] == per_language[(lang, 0)] == expected, lang
    texts = [r["text"] for r in extra]
    assert len(set(texts)) == len(texts)
    assert not any(re.search(r"\{[a-z_0-9]*\}", t) for t in texts)


def test_recruiter_hooks_in_english_carry_the_money_of_many_countries_in_lures_and_ordinary_texts_alike():
    # A currency that only lures used would teach the country, not the offer.
    extra = [r for r in synth_lures.generate(400, edition=5)[1808:] if r["lang"] == "en"]
    def amounts(money):
        form, (low, _), hourly, salary, bonus = money
        return [form.format(n) for n in (low, hourly, salary, bonus)]

    currencies = {label: {money[0] for money in MONEY_EN for r in extra
                          if r["label"] == label and any(a in r["text"] for a in amounts(money))} for label in (0, 1)}
    assert len(currencies[1]) >= 8, currencies
    assert len(currencies[0]) >= 8, currencies


def test_edition_6_is_edition_5_then_gig_work_and_overseas_recruitment_in_pairs():
    five = synth_lures.generate(400, edition=5)
    six = synth_lures.generate(400, edition=6)
    assert six[: len(five)] == five
    extra = six[len(five):]
    messages = [r for r in extra if r["kind"] == "message"]
    postings = [r for r in extra if r["kind"] == "posting"]
    assert all(r["group"].startswith("synthetic:gig-work-") for r in messages)
    assert all(r["group"].startswith("synthetic:overseas-") for r in postings)
    per_language = Counter((r["lang"], r["label"]) for r in messages)
    assert {lang for lang, _ in per_language} == set(GIG_WORK)
    for lang in GIG_WORK:
        expected = synth_lures.GIG_DRAWS_EN if lang == "en" else synth_lures.GIG_DRAWS_EN // 4
        assert per_language[(lang, 1)] == per_language[(lang, 0)] == expected, lang
    assert Counter(r["label"] for r in postings) == {0: synth_lures.OVERSEAS_DRAWS, 1: synth_lures.OVERSEAS_DRAWS}
    texts = [" ".join(r.get(f, "") for f in TEXT_FIELDS) for r in extra]
    assert len(set(texts)) == len(texts)
    assert not any(re.search(r"\{[a-z_0-9]*\}", t) for t in texts)


def test_gig_work_names_the_same_platforms_in_lures_and_ordinary_texts():
    # Task scams impersonate delivery platforms: a platform's name only in lures, or only in ordinary texts, would
    # teach the name, not the offer.
    extra = synth_lures.generate(400, edition=6)[2008:]
    named = {label: {p for p in PLATFORMS for r in extra if r["label"] == label and p in r.get("text", "")}
             for label in (0, 1)}
    assert len(named[0]) >= 10 and len(named[1]) >= 10, named


def test_edition_7_is_edition_6_then_regional_postings_in_pairs():
    six = synth_lures.generate(400, edition=6)
    seven = synth_lures.generate(400, edition=7)
    assert seven[: len(six)] == six
    extra = seven[len(six):]
    assert all(r["kind"] == "posting" and r["group"].startswith("synthetic:regional-posting-") for r in extra)
    per_language = Counter((r["lang"], r["label"]) for r in extra)
    # Chinese was left out (synth_regional_postings.py says why).
    assert {lang for lang, _ in per_language} == set(POSTINGS) == set(synth_lures.LOCAL_JOBS) - {"zh"} | {"en"}
    for lang in POSTINGS:
        expected = synth_lures.REGIONAL_POSTING_DRAWS * (2 if lang == "en" else 1)
        assert per_language[(lang, 1)] == per_language[(lang, 0)] == expected, lang
    texts = [" ".join(r.get(f, "") for f in FIELDS) for r in extra]
    assert len(set(texts)) == len(texts)
    assert not any(re.search(r"\{[a-z_0-9]*\}", t) for t in texts)
    assert all(r["title"].strip() and r["description"].strip() for r in extra)


def test_regional_postings_pair_each_lure_with_an_ordinary_posting_and_share_their_surface():
    for lang, parts in POSTINGS.items():
        assert len(parts["lure"]) == len(parts["benign"]) == 8, lang
        for template in parts["lure"] + parts["benign"]:
            assert len(template) == 6 and template[0] and template[3], (lang, template)
        # Chat apps appear on both sides: what differs is the offer. (Places do not: ordinary postings name the
        # country's cities, lures a place abroad.)
        for label in ("lure", "benign"):
            joined = " ".join(" ".join(t) for t in parts[label])
            assert CHAT_APP.search(joined), (lang, label)
        assert any("{city}" in " ".join(t) for t in parts["benign"]), lang
        assert any("{abroad}" in " ".join(t) for t in parts["lure"]), lang
    # English money follows the city: a currency that only lures used would teach the country.
    english = [r for r in synth_lures.generate(400, edition=7)
               if r["group"].startswith("synthetic:regional-posting-") and r["lang"] == "en"]
    def amounts(money):
        form, *numbers = money
        return [form.format(n) for n in numbers]

    currencies = {label: {city for city, money in EN_MONEY.items() for r in english if r["label"] == label
                          and any(a in " ".join(r.get(f, "") for f in FIELDS) for a in amounts(money))}
                  for label in (0, 1)}
    assert len(currencies[0]) >= 6 and len(currencies[1]) >= 4, currencies


def test_edition_8_is_edition_7_then_pretexts_in_pairs():
    seven = synth_lures.generate(400, edition=7)
    eight = synth_lures.generate(400, edition=8)
    assert eight[: len(seven)] == seven
    extra = eight[len(seven):]
    assert all(r["kind"] == "message" for r in extra)
    per_group = Counter((r["group"].rsplit("-", 2)[0], r["lang"], r["label"]) for r in extra)
    for family, languages in PRETEXTS.items():
        for lang, lists in languages.items():
            assert set(lists) == {"lure", "benign"}, (family, lang)
            assert len(lists["lure"]) == len(lists["benign"]), (family, lang)
            expected = synth_lures.pretext_draws(family, lang)
            group = f"synthetic:{family}"
            assert per_group[(group, lang, 1)] == per_group[(group, lang, 0)] == expected, (family, lang)
    texts = [r["text"] for r in extra]
    assert not any(re.search(r"\{[a-z_0-9]*\}", t) for t in texts)
    assert len(set(texts)) >= len(texts) - 4, "each draw should be a new text"


def test_border_crossings_name_the_same_towns_in_lures_and_ordinary_texts():
    # The border towns are in the ordinary texts too: what differs is the crossing, not the place.
    extra = synth_lures.generate(400, edition=8)[len(synth_lures.generate(400, edition=7)):]
    crossings = [r for r in extra if r["group"].startswith("synthetic:border-crossing") and r["lang"] == "en"]
    towns = {label: {t for r in crossings if r["label"] == label for t in BORDERS["en"] if t in r["text"]}
             for label in (0, 1)}
    assert len(towns[0] & towns[1]) >= 4, towns


def test_chinese_board_and_lodging_is_no_longer_a_lure_word_in_the_synthetic_records():
    # Editions 2 to 7 wrote 包吃包住 in 16 lures and no ordinary text; edition 8 must bring ordinary ones level.
    board = re.compile("包吃包住|包吃住|包食宿")
    counts = Counter(r["label"] for r in synth_lures.generate(400, edition=8)
                     if r["lang"] == "zh" and board.search(" ".join(r.get(f, "") for f in TEXT_FIELDS)))
    assert counts[0] >= counts[1] - 5, counts


def test_no_edition_8_text_shares_forty_percent_of_its_8_grams_with_an_evaluation_text_of_the_repository():
    # Written after blind lures were missed: none of those lures, nor any probe or example, may be among them.
    extra = synth_lures.generate(400, edition=8)[len(synth_lures.generate(400, edition=7)):]
    texts = sorted({r["text"] for r in extra})
    best, _ = check_overlap.closest_evaluation_texts(texts, [])
    too_close = [(t, c, where) for t, (c, where) in zip(texts, best) if c >= 0.4]
    assert not too_close, too_close
