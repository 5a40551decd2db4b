//! The tokenizer: a Unigram vocabulary held as a `LeanUnigram` gives the same tokens, offsets and special tokens
//! as the `tokenizers` crate's own Unigram model, on the shipped lurescan-base vocabulary and on hand-made ones
//! (ties, a piece listed twice, unknown characters fused, byte fallback, no `unk_id`).

use lurescan::tokenizer::LeanUnigram;
use lurescan::LureTokenizer;
use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;
use tokenizers::decoders::DecoderWrapper;
use tokenizers::models::unigram::Unigram;
use tokenizers::normalizers::NormalizerWrapper;
use tokenizers::pre_tokenizers::PreTokenizerWrapper;
use tokenizers::processors::PostProcessorWrapper;
use tokenizers::{Model, Tokenizer, TokenizerImpl};

type LeanTokenizer =
    TokenizerImpl<LeanUnigram, NormalizerWrapper, PreTokenizerWrapper, PostProcessorWrapper, DecoderWrapper>;

/// models/lurescan-base/tokenizer.json: XLM-R's SentencePiece Unigram, 64,000 pieces.
fn base_json() -> &'static [u8] {
    static JSON: OnceLock<Vec<u8>> = OnceLock::new();
    JSON.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/lurescan-base/tokenizer.json");
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    })
}

/// The shipped tokenizer twice: as lurescan loads it (lean) and as the `tokenizers` crate does.
fn base_pair() -> &'static (LureTokenizer, LureTokenizer) {
    static PAIR: OnceLock<(LureTokenizer, LureTokenizer)> = OnceLock::new();
    PAIR.get_or_init(|| {
        let lean = LureTokenizer::from_bytes(base_json()).unwrap();
        let reference = LureTokenizer::from_tokenizer(Tokenizer::from_bytes(base_json()).unwrap());
        (lean, reference)
    })
}

/// `<unk>` in lurescan-base.
const UNK: u32 = 3;

/// Written for these tests: job-lure text in the languages lurescan scores, and the awkward cases.
const TEXTS: &[&str] = &[
    "Urgent hiring! Earn $500-$1,000/day from home. No experience needed, contact HR on Telegram @fastjobs_hr.",
    "รับสมัครพนักงานด่วน ทำงานที่กัมพูชา เงินเดือน 50,000 บาท ไม่ต้องมีประสบการณ์ ที่พักฟรี",
    "Kailangan ng mga manggagawa sa ibang bansa, libre ang pamasahe at tirahan. Mag-apply na ngayon!",
    "Tuyển gấp nhân viên chăm sóc khách hàng, lương 1500 USD, bao ăn ở, không cần kinh nghiệm.",
    "Dicari karyawan untuk bekerja di luar negeri, gaji tinggi, tiket pesawat gratis, hubungi WhatsApp kami.",
    "高薪招聘客服，月薪两万，包吃包住，无需经验，公司承担机票和签证费用。",
    "ត្រូវការបុគ្គលិកបម្រើអតិថិជនបន្ទាន់ ប្រាក់ខែខ្ពស់ ធ្វើការនៅក្រុងព្រះសីហនុ",
    "ထိုင်းနိုင်ငံတွင် အလုပ်ခေါ်နေပါသည်။ လစာကောင်းသည်။ ပတ်စ်ပို့ယူလာပါ။",
    "💰💰 Easy money 🤑🔥 click 👉 now 🇰🇭🇹🇭 ✈️",
    "ꙮꙮꙮ 𓀀𓀁𓀂 ⟁⟁ 𝔘𝔫𝔨𝔫𝔬𝔴𝔫 ᚠᚢᚦ ꧁꧂ 〠〠",
    "a𓀀b𓀁𓀂c ꙮx",
    "",
    " ",
    "   \t\n  \r\n ",
    "0123456789 3.14159 1,000,000 +855 12 345 678 ០១២៣ ๑๒๓ ١٢٣",
    "https://bit.ly/3xYz?ref=job&id=42 www.example.invalid/apply?lang=th mailto:hr@example.invalid",
    "<s> hello </s> <mask> <unk> <pad> <s></s>",
    "ＦＵＬＬ－ＷＩＤＴＨ ｶﾀｶﾅ ﬁ Ⅻ ① ㎏ é é",
    "Héllo Wörld ÇA VA ñandú straße ΑΒΓ Привет мир مرحبا שלום नमस्ते 안녕하세요 こんにちは",
];

/// Every text of [`TEXTS`], and all of them joined and repeated into one long text.
fn texts() -> Vec<String> {
    let mut texts: Vec<String> = TEXTS.iter().map(|t| t.to_string()).collect();
    texts.push(TEXTS.join(" ").repeat(40));
    texts
}

#[test]
fn base_is_held_lean_and_gives_the_crates_ids() -> anyhow::Result<()> {
    let (lean, reference) = base_pair();
    assert!(format!("{lean:?}").contains("LeanUnigram"), "{lean:?}");
    assert!(format!("{reference:?}").contains("tokenizers"), "{reference:?}");
    for text in texts() {
        assert_eq!(lean.encode_unframed(&text)?, reference.encode_unframed(&text)?, "{text:?}");
        for max_length in [3, 16, 512] {
            assert_eq!(lean.encode(&text, max_length)?, reference.encode(&text, max_length)?, "{text:?}");
        }
    }
    let many: Vec<String> = texts();
    assert_eq!(lean.encode_batch(&many, 64)?, reference.encode_batch(&many, 64)?);
    Ok(())
}

#[test]
fn base_unknown_characters_are_fused_into_one_unk() -> anyhow::Result<()> {
    let (lean, _) = base_pair();
    // Guards the comparison above: these texts do reach the unknown-token path, and a run of unknown characters
    // is one `<unk>`.
    let ids = lean.encode_unframed("ꙮꙮꙮ")?;
    assert_eq!(ids.iter().filter(|&&id| id == UNK).count(), 1, "{ids:?}");
    assert!(lean.encode_unframed("a𓀀b𓀁𓀂c")?.contains(&UNK));
    Ok(())
}

/// The tokenizers crate's boxed error as an `anyhow` one.
fn ok<T>(result: tokenizers::Result<T>) -> anyhow::Result<T> {
    result.map_err(|e| anyhow::anyhow!("{e}"))
}

#[test]
fn base_encodings_match_with_tokens_and_offsets() -> anyhow::Result<()> {
    let lean = ok(LeanTokenizer::from_bytes(base_json()))?;
    let reference = ok(Tokenizer::from_bytes(base_json()))?;
    for text in texts() {
        for specials in [false, true] {
            let expected = ok(reference.encode(text.as_str(), specials))?;
            assert_eq!(ok(lean.encode(text.as_str(), specials))?, expected, "{text:?}");
        }
    }
    let pair = ("Ứng tuyển ngay", "apply now ꙮ");
    assert_eq!(ok(lean.encode(pair, true))?, ok(reference.encode(pair, true))?);
    Ok(())
}

#[test]
fn base_special_tokens_vocabulary_and_ids_match() -> anyhow::Result<()> {
    let (lean, reference) = base_pair();
    assert_eq!(lean.special_tokens()?, reference.special_tokens()?);
    let specials = lean.special_tokens()?;
    assert_eq!(
        (specials.cls, specials.sep, specials.pad, specials.unk, specials.mask),
        (0, 2, Some(1), Some(3), Some(63999))
    );
    assert_eq!(lean.vocab_size(), reference.vocab_size());
    assert_eq!(lean.vocab_size(), 64000);
    assert_eq!(lean.added_tokens(), reference.added_tokens());
    assert_eq!(lean.added_tokens().len(), 5);
    for token in
        ["<s>", "<pad>", "</s>", "<unk>", "<mask>", "▁", ",", "▁the", "▁hiring", "ấ", "a", "", "▁ꙮ", "not a piece"]
    {
        assert_eq!(lean.token_to_id(token), reference.token_to_id(token), "{token:?}");
    }
    Ok(())
}

/// The `model` object of lurescan-base's tokenizer.json, as the crate's Unigram and as a LeanUnigram.
fn base_models() -> (LeanUnigram, Unigram) {
    let json: serde_json::Value = serde_json::from_slice(base_json()).unwrap();
    // As text: the crate's Unigram reads its `type` as a borrowed string, which a `serde_json::Value` cannot lend.
    let model = json["model"].to_string();
    (serde_json::from_str(&model).unwrap(), serde_json::from_str(&model).unwrap())
}

#[test]
fn base_every_piece_and_pair_of_pieces_tokenizes_alike() {
    let (lean, reference) = base_models();
    assert_eq!(lean.get_vocab_size(), reference.get_vocab_size());
    assert_eq!(lean.get_vocab(), reference.get_vocab());
    // The same JSON written back: pieces, scores, unk_id and byte_fallback.
    assert_eq!(serde_json::to_value(&lean).unwrap(), serde_json::to_value(&reference).unwrap());
    let pieces: Vec<String> = (0..lean.get_vocab_size() as u32).map(|id| lean.id_to_token(id).unwrap()).collect();
    for (id, piece) in pieces.iter().enumerate() {
        assert_eq!(Some(piece.clone()), reference.id_to_token(id as u32));
        assert_eq!(lean.token_to_id(piece), reference.token_to_id(piece), "{piece:?}");
        assert_eq!(lean.tokenize(piece).unwrap(), reference.tokenize(piece).unwrap(), "{piece:?}");
    }
    // Neighbours by id, and pieces far apart, written together; then with an unknown character between them.
    for (i, piece) in pieces.iter().enumerate().step_by(3) {
        let other = &pieces[(i * 7919 + 1) % pieces.len()];
        for text in [
            format!("{piece}{}", pieces[(i + 1) % pieces.len()]),
            format!("{piece}{other}"),
            format!("{piece}ꙮ{other}"),
        ] {
            assert_eq!(lean.tokenize(&text).unwrap(), reference.tokenize(&text).unwrap(), "{text:?}");
        }
    }
}

#[test]
fn base_model_is_a_few_megabytes() {
    let (lean, _) = base_models();
    let mb = lean.heap_bytes() as f64 / 1e6;
    assert!(mb < 5.0, "{mb:.1} MB");
}

/// A hand-made vocabulary: pieces with their scores (by id), `unk_id`, `byte_fallback`.
type Case = (Vec<(&'static str, f64)>, Option<usize>, bool);

/// The model of a [`Case`], lean and the crate's.
fn models(case: &Case) -> (LeanUnigram, Unigram) {
    let (pieces, unk_id, byte_fallback) = case;
    let vocab: Vec<(String, f64)> = pieces.iter().map(|(p, s)| (p.to_string(), *s)).collect();
    let lean = LeanUnigram::from(vocab.clone(), *unk_id, *byte_fallback).unwrap();
    (lean, Unigram::from(vocab, *unk_id, *byte_fallback).unwrap())
}

fn hand_made() -> Vec<Case> {
    vec![
        // Ties: a + b and ab both score -1 (the first found, ab from position 0, stays); c + d against cd likewise.
        // `b` is listed twice: the last id wins, with its score (-0.5), so a + b beats ab after all.
        (
            vec![
                ("a", 0.0),
                ("b", -1.0),
                ("<unk>", 0.0),
                ("ab", -1.0),
                ("abc", -2.0),
                ("c", -1.0),
                ("d", -1.0),
                ("cd", -2.0),
                ("b", -0.5),
                ("xx", -3.0),
                ("é", -2.0),
                ("", -1.0),
                ("中文", -4.0),
                ("中", -3.0),
            ],
            Some(2),
            false,
        ),
        // Positive scores: an unknown character scores 25 − 10 = 15, so two of them (30) beat the piece `xy` (25)
        // but not `xz` (40); the fused run of unknowns `xy` then takes the id of the piece it spells.
        (vec![("<unk>", 40.0), ("a", 30.0), ("xz", 40.0), ("xy", 25.0), ("ab", 65.0), ("xyxy", 35.0)], Some(0), false),
        // The same with unk_id not first and equal scores everywhere.
        (vec![("a", -1.0), ("b", -1.0), ("ab", -1.0), ("ba", -1.0), ("aba", -2.0), ("<unk>", -1.0)], Some(5), false),
        // Byte fallback: unknown runs become their `<0xNN>` bytes where all of them are pieces, else `<unk>`.
        (
            vec![
                ("<unk>", 0.0),
                ("a", -1.0),
                ("b", -1.0),
                ("<0x78>", -5.0),
                ("<0xC3>", -5.0),
                ("<0xA9>", -5.0),
                ("<0xE4>", -5.0),
            ],
            Some(0),
            true,
        ),
        // No unk_id: an unknown character is an error (for both), unless a better path covers it (`ax`).
        (vec![("a", -1.0), ("b", -1.0), ("ax", -1.0), ("c", -2.0)], None, false),
        (vec![("a", -1.0), ("b", -1.0), ("xa", -1.0)], None, true),
    ]
}

/// Every string of up to `len` characters from `alphabet`.
fn all_strings(alphabet: &[&str], len: usize) -> Vec<String> {
    let mut all = vec![String::new()];
    let mut last = vec![String::new()];
    for _ in 0..len {
        last = last.iter().flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}"))).collect();
        all.extend(last.iter().cloned());
    }
    all
}

#[test]
fn hand_made_vocabularies_tokenize_as_the_crate_does_on_every_short_string() {
    let alphabet = ["a", "b", "c", "d", "x", "y", "z", "é", "中", "文", "<", ">"];
    let strings = all_strings(&alphabet, 4);
    for case in hand_made() {
        let (lean, reference) = models(&case);
        let (pieces, unk_id, byte_fallback) = case;
        let case = format!("{pieces:?} unk_id {unk_id:?} byte_fallback {byte_fallback}");
        for text in &strings {
            match (lean.tokenize(text), reference.tokenize(text)) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?} with {case}"),
                (Err(_), Err(_)) => {}
                (a, b) => panic!("{text:?} with {case}: lean {a:?}, crate {b:?}"),
            }
        }
        // Again: the first 10,000 strings' tokens now come from the cache.
        for text in &strings {
            if let Ok(b) = reference.tokenize(text) {
                assert_eq!(lean.tokenize(text).unwrap(), b, "{text:?} with {case}, cached");
            }
        }
        for piece in pieces.iter().map(|(p, _)| *p).chain(["<unk>", "zz", "<0x78>"]) {
            assert_eq!(lean.token_to_id(piece), reference.token_to_id(piece), "{piece:?} with {case}");
        }
        for id in 0..pieces.len() as u32 + 2 {
            assert_eq!(lean.id_to_token(id), reference.id_to_token(id), "{id} with {case}");
        }
        assert_eq!(lean.get_vocab(), reference.get_vocab(), "{case}");
        assert_eq!(lean.get_vocab_size(), reference.get_vocab_size(), "{case}");
        assert_eq!(serde_json::to_value(&lean).unwrap(), serde_json::to_value(&reference).unwrap(), "{case}");
    }
}

#[test]
fn hand_made_cases_reach_ties_fusing_and_fallback() {
    // Guards the comparison above: the cases do what their comments say.
    let cases = hand_made();
    let model = |i: usize| models(&cases[i]).0;
    let ids = |i: usize, text: &str| -> Vec<u32> { model(i).tokenize(text).unwrap().iter().map(|t| t.id).collect() };
    assert_eq!(ids(0, "ab"), [0, 8], "the last `b` (id 8, -0.5) beats `ab` (-1)");
    assert_eq!(ids(0, "cd"), [7], "a tie: `cd` is found first and stays");
    assert_eq!(ids(0, "zzé"), [2, 10], "two unknown characters, one <unk>");
    assert_eq!(ids(1, "xy"), [3], "a fused run of unknowns that spells `xy` takes its id");
    assert_eq!(ids(3, "xé"), [3, 4, 5], "bytes of `xé`");
    assert_eq!(ids(3, "yx"), [0], "no byte piece for `y`: <unk>");
    assert!(model(4).tokenize("q").is_err());
    assert_eq!(ids(4, "ax"), [2]);
}

#[test]
fn broken_unigram_models_fail_without_panicking() {
    let framing = |model: &str| format!(r#"{{"version": "1.0", "added_tokens": [], "model": {model}}}"#);
    for model in [
        r#"{"type": "Unigram", "unk_id": 5, "vocab": [["a", 0.0]]}"#,
        r#"{"type": "Unigram", "unk_id": 0, "vocab": []}"#,
        r#"{"type": "Unigram", "unk_id": 0}"#,
        r#"{"type": "Unigram", "unk_id": 0, "vocab": [["a"]]}"#,
        r#"{"type": "Unigram", "unk_id": 0, "vocab": [[1, 0.0]]}"#,
        r#"{"type": "Unigram", "unk_id": -1, "vocab": [["a", 0.0]]}"#,
        r#"{"type": "Unigram", "unk_id": 0, "vocab": {"a": 0.0}}"#,
        r#"{"type": "Unigram", "unk_id": 0, "vocab": [["a", 1e999]]}"#,
        r#"{"type": "Unigram", "unk_id": 0, "byte_fallback": "yes", "vocab": [["a", 0.0]]}"#,
    ] {
        let json = framing(model);
        assert!(LureTokenizer::from_bytes(json.as_bytes()).is_err(), "{model}");
        assert!(Tokenizer::from_bytes(json.as_bytes()).is_err(), "the crate accepts {model}");
    }
    let fine = framing(r#"{"type": "Unigram", "unk_id": null, "vocab": [["a", 0.0], ["", 1.0]], "extra": [1, {}]}"#);
    let tokenizer = LureTokenizer::from_bytes(fine.as_bytes()).unwrap();
    assert!(format!("{tokenizer:?}").contains("LeanUnigram"));
    assert_eq!(tokenizer.encode_unframed("aa").unwrap(), [0, 0]);
}

fn config() -> ProptestConfig {
    ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() }
}

/// Text made of lurescan-base's own pieces (`▁` included), unknown characters, spaces and digits.
fn piece_text() -> impl Strategy<Value = String> {
    let part = prop_oneof![
        6 => (4u32..63999).prop_map(|id| base_models_cached().1.id_to_token(id).unwrap()),
        2 => prop_oneof![Just("ꙮ"), Just("𓀀"), Just("⟁"), Just(" "), Just("  "), Just("\n"), Just("7"), Just("é")]
            .prop_map(str::to_string),
        1 => any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(part, 0..24).prop_map(|parts| parts.concat())
}

fn base_models_cached() -> &'static (LeanUnigram, Unigram) {
    static MODELS: OnceLock<(LeanUnigram, Unigram)> = OnceLock::new();
    MODELS.get_or_init(base_models)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_text_of_base_pieces_gives_the_crates_ids(text in piece_text()) {
        // As the pre-tokenizer would have it: `▁` in the pieces is a space in the text.
        let text = text.replace('▁', " ");
        let (lean, reference) = base_pair();
        prop_assert_eq!(lean.encode_unframed(&text).unwrap(), reference.encode_unframed(&text).unwrap());
    }

    #[test]
    fn random_text_of_base_pieces_gives_the_crates_model_tokens(text in piece_text()) {
        let (lean, reference) = base_models_cached();
        prop_assert_eq!(lean.tokenize(&text).unwrap(), reference.tokenize(&text).unwrap());
    }
}

/// A small but whole Unigram tokenizer.json: XLM-R's parts around five pieces.
const SMALL_UNIGRAM: &str = r#"{"version": "1.0", "truncation": null, "padding": null,
 "added_tokens": [{"id": 0, "content": "<s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
  {"id": 1, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
 "normalizer": {"type": "Sequence", "normalizers": [{"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
 "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "add_prefix_space": true},
 "post_processor": {"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
  "pair": [{"Sequence": {"id": "A", "type_id": 0}}], "special_tokens": {"<s>": {"id": "<s>", "ids": [0], "tokens": ["<s>"]}, "</s>": {"id": "</s>", "ids": [1], "tokens": ["</s>"]}}},
 "decoder": {"type": "Metaspace", "replacement": "▁", "add_prefix_space": true},
 "model": {"type": "Unigram", "unk_id": 2, "vocab": [["<s>", 0.0], ["</s>", 0.0], ["<unk>", 0.0], ["▁a", -1.0], ["b", -2.0], ["<0x61>", -3.0]], "byte_fallback": true}}"#;

#[test]
fn the_small_unigram_file_loads_lean_and_matches_the_crate() {
    let lean = LureTokenizer::from_bytes(SMALL_UNIGRAM.as_bytes()).unwrap();
    let reference = LureTokenizer::from_tokenizer(Tokenizer::from_bytes(SMALL_UNIGRAM.as_bytes()).unwrap());
    assert!(format!("{lean:?}").contains("LeanUnigram"));
    for text in ["a b  ab", "ba c", "", "<s>a</s>"] {
        assert_eq!(lean.encode(text, 32).unwrap(), reference.encode(text, 32).unwrap(), "{text:?}");
    }
}

/// [`SMALL_UNIGRAM`] with its post-processor changed by `edit`.
fn small_unigram_with(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut json: serde_json::Value = serde_json::from_str(SMALL_UNIGRAM).unwrap();
    edit(&mut json["post_processor"]);
    json.to_string()
}

/// Whether encoding with the `tokenizers` crate's own loader panics.
fn crate_panics_on_encode(json: &str) -> bool {
    let tokenizer = Tokenizer::from_bytes(json.as_bytes()).expect("the crate loads it");
    std::panic::catch_unwind(|| tokenizer.encode("a b", true)).is_err()
}

#[test]
fn post_processors_the_crate_panics_on_are_refused_with_what_to_do() {
    use serde_json::json;
    let missing = |p: &mut serde_json::Value| {
        p["special_tokens"].as_object_mut().unwrap().remove("</s>");
    };
    let cases: Vec<(&str, String, bool)> = vec![
        (
            "post_processor.single names the special token \"</s>\", which post_processor.special_tokens does not \
             define: add it there",
            small_unigram_with(missing),
            true,
        ),
        (
            // The crate picks the kind of post-processor by its fields: a wrong `type` still makes a template.
            "post_processor.single names the special token \"</s>\"",
            small_unigram_with(|p| {
                missing(p);
                p["type"] = json!("Templateprocessing");
            }),
            true,
        ),
        (
            "post_processor.processors[1].single names the special token \"</s>\"",
            small_unigram_with(|p| {
                missing(p);
                let byte_level = json!({"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true});
                *p = json!({"type": "Sequence", "processors": [byte_level, p.clone()]});
            }),
            true,
        ),
        (
            "post_processor.single uses the sequence $B, but a single text is $A alone",
            small_unigram_with(|p| p["single"][1] = json!({"Sequence": {"id": "B", "type_id": 0}})),
            true,
        ),
        (
            "post_processor.processors[1] follows post_processor.processors[0], whose `single` template hands on 3 \
             parts; the tokenizers crate takes only one (a text) or two (a pair): keep one TemplateProcessing",
            small_unigram_with(|p| *p = json!({"type": "Sequence", "processors": [p.clone(), p.clone()]})),
            true,
        ),
        (
            // lurescan encodes single texts only, but the pair template is as wrong.
            "post_processor.pair names the special token \"<sep>\"",
            small_unigram_with(|p| {
                p["pair"] =
                    json!([{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "<sep>", "type_id": 0}}])
            }),
            false,
        ),
        (
            "post_processor.special_tokens[\"<s>\"] has no ids: give it the id of \"<s>\" in the vocabulary",
            small_unigram_with(|p| p["special_tokens"]["<s>"] = json!({"id": "<s>", "ids": [], "tokens": []})),
            false,
        ),
        (
            "post_processor.special_tokens[\"<s>\"] has 2 ids and 1 tokens, which must be as many",
            small_unigram_with(|p| p["special_tokens"]["<s>"]["ids"] = json!([0, 1])),
            false,
        ),
        (
            "post_processor.special_tokens[\"</s>\"] has the id 6, which the vocabulary (6 tokens) does not have",
            small_unigram_with(|p| p["special_tokens"]["</s>"]["ids"] = json!([6])),
            false,
        ),
    ];
    for (says, json, panics) in cases {
        assert_eq!(crate_panics_on_encode(&json), panics, "{says}");
        let message = LureTokenizer::from_bytes(json.as_bytes()).unwrap_err().to_string();
        assert!(message.contains(says), "{message}");
        assert!(message.ends_with("or re-save the tokenizer with Hugging Face `tokenizers`"), "{message}");
    }
    // A model the `tokenizers` crate holds is checked alike: the test model's byte-level BPE.
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-bert/tokenizer.json");
    let mut bpe: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert!(format!("{:?}", LureTokenizer::from_bytes(bpe.to_string().as_bytes()).unwrap()).contains("tokenizers"));
    bpe["post_processor"]["special_tokens"].as_object_mut().unwrap().remove("[SEP]");
    let message = LureTokenizer::from_bytes(bpe.to_string().as_bytes()).unwrap_err().to_string();
    assert!(message.contains("post_processor.single names the special token \"[SEP]\""), "{message}");
    // Unused special tokens, if whole, are fine; so is a template after one that hands on a single part.
    let extra =
        small_unigram_with(|p| p["special_tokens"]["<x>"] = json!({"id": "<x>", "ids": [3, 4], "tokens": ["▁a", "b"]}));
    assert_eq!(LureTokenizer::from_bytes(extra.as_bytes()).unwrap().encode("a", 8).unwrap(), [0, 3, 1]);
    let chained = small_unigram_with(|p| {
        let mut first = p.clone();
        first["single"] = json!([{"Sequence": {"id": "A", "type_id": 0}}]);
        *p = json!({"type": "Sequence", "processors": [first, p.clone()]});
    });
    assert_eq!(LureTokenizer::from_bytes(chained.as_bytes()).unwrap().encode("a", 8).unwrap(), [0, 3, 1]);
}

proptest! {
    // Each case takes microseconds; a few of every hundred reach a template naming a missing special token.
    #![proptest_config(ProptestConfig { cases: 2000, ..config() })]

    /// What the model_folder fuzz target asks of every file: an error or a tokenizer, never a panic. Half the cases
    /// edit any bytes of the file and may cut it; the other half change a few characters of the post-processor to
    /// printable ones, so that the JSON often stays whole and special tokens' names and ids change instead (a name
    /// in a template missing from `special_tokens` made the crate panic).
    #[test]
    fn edited_unigram_files_load_or_fail_without_panicking(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        in_post_processor in any::<bool>(),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut bytes = SMALL_UNIGRAM.as_bytes().to_vec();
        if in_post_processor {
            let start = SMALL_UNIGRAM.find("\"post_processor\"").unwrap();
            let span = SMALL_UNIGRAM.find("\"decoder\"").unwrap() - start;
            for (at, byte) in edits {
                bytes[start + at.index(span)] = b' ' + byte % 95;
            }
        } else {
            for (at, byte) in edits {
                let at = at.index(bytes.len());
                bytes[at] = byte;
            }
            if truncate {
                bytes.truncate(cut.index(bytes.len()));
            }
        }
        if let Ok(tokenizer) = LureTokenizer::from_bytes(&bytes) {
            let _ = tokenizer.encode("a b ab ba c", 16);
            let _ = tokenizer.special_tokens();
        }
    }
}

/// A piece of a template: `$A`, `$B` or one of three special tokens' names.
fn template_piece() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    prop_oneof![
        prop_oneof![Just("A"), Just("B")].prop_map(|id| json!({"Sequence": {"id": id, "type_id": 0}})),
        prop_oneof![Just("<s>"), Just("</s>"), Just("<x>")]
            .prop_map(|id| json!({"SpecialToken": {"id": id, "type_id": 0}})),
    ]
}

/// A `TemplateProcessing` of up to four pieces in each template and up to three special tokens, each with up to
/// two ids (some outside the vocabulary of six) and up to two tokens.
fn template_processing() -> impl Strategy<Value = serde_json::Value> {
    let pieces = || proptest::collection::vec(template_piece(), 0..5);
    let special = (
        prop_oneof![Just("<s>"), Just("</s>"), Just("<x>")],
        proptest::collection::vec(0u32..8, 0..3),
        proptest::collection::vec(Just("<s>"), 0..3),
    );
    (pieces(), pieces(), proptest::collection::vec(special, 0..4)).prop_map(|(single, pair, specials)| {
        let special_tokens: serde_json::Map<String, serde_json::Value> = specials
            .into_iter()
            .map(|(name, ids, tokens)| (name.to_string(), serde_json::json!({"id": name, "ids": ids, "tokens": tokens})))
            .collect();
        serde_json::json!({"type": "TemplateProcessing", "single": single, "pair": pair, "special_tokens": special_tokens})
    })
}

/// A post-processor: a template, a ByteLevel one, or a `Sequence` of them (nested up to twice).
fn post_processor() -> impl Strategy<Value = serde_json::Value> {
    let byte_level = serde_json::json!({"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true});
    let leaf = prop_oneof![3 => template_processing(), 1 => Just(byte_level)];
    leaf.prop_recursive(2, 8, 3, |inner| {
        proptest::collection::vec(inner, 0..4)
            .prop_map(|processors| serde_json::json!({"type": "Sequence", "processors": processors}))
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..config() })]

    /// Any post-processor made of templates: refused, or encoding with it never panics.
    #[test]
    fn post_processors_load_or_fail_without_panicking(processor in post_processor()) {
        let json = small_unigram_with(|p| *p = processor);
        if let Ok(tokenizer) = LureTokenizer::from_bytes(json.as_bytes()) {
            let _ = tokenizer.encode("a b ab ba c", 16);
            let _ = tokenizer.encode("", 2);
            let _ = tokenizer.encode_unframed("a b");
            let _ = tokenizer.special_tokens();
        }
    }
}
