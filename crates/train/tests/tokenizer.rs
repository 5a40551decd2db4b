//! The trained tokenizer never falls back to [UNK], whatever the script, and decodes back to its input.

use lurescan_train::tokenizer::train_tokenizer;
use tokenizers::normalizers::unicode::NFKC;
use tokenizers::{NormalizedString, Normalizer};

const UNK: u32 = 1;

#[test]
fn every_script_tokenizes_without_unknown_and_round_trips() -> anyhow::Result<()> {
    // Trained on English only: the other scripts are unseen, so they must fall back to byte tokens.
    let training = [
        "[TITLE] Data entry clerk [DESCRIPTION] Work from home and earn $500 a day, no experience needed.",
        "[TEXT] Part-time job, contact us on Telegram for details.",
        "[TITLE] Senior accountant [LOCATION] Boston, MA [DESCRIPTION] We are hiring an accountant.",
    ];
    let tokenizer = train_tokenizer(&training, 400)?;
    let samples = [
        ("Thai", "งานออนไลน์ รายได้ดี วันละ 3000 บาท ติดต่อไลน์"),
        ("Khmer", "ការងារនៅថៃ ប្រាក់ខែខ្ពស់ ទាក់ទងមកយើង"),
        ("Burmese", "ထိုင်းနိုင်ငံတွင် အလုပ်အကိုင် လစာကောင်း"),
        ("Vietnamese", "Tuyển cộng tác viên làm việc tại nhà, lương 500k–1tr/ngày, liên hệ Zalo"),
        ("Chinese", "在菲直招，高薪日结，有护照安全过关"),
        ("Tagalog", "Trabaho sa ibang bansa, malaking sahod, walang bayad sa placement"),
        ("emoji", "💰💰 Earn fast 🚀🔥 DM now 👉📲"),
    ];
    for (script, text) in samples {
        let encoding = tokenizer.encode(text, true).map_err(|e| anyhow::anyhow!("{e}"))?;
        let ids = encoding.get_ids();
        assert!(!ids.contains(&UNK), "{script}: [UNK] in {:?}", encoding.get_tokens());
        assert_eq!(ids.first(), Some(&2), "{script}: starts with [CLS]");
        assert_eq!(ids.last(), Some(&3), "{script}: ends with [SEP]");
        let decoded = tokenizer.decode(ids, true).map_err(|e| anyhow::anyhow!("{e}"))?;
        // The normalizer is NFKC (full-width punctuation becomes ASCII): the round trip is exact up to it.
        let mut normalized = NormalizedString::from(text);
        NFKC.normalize(&mut normalized).map_err(|e| anyhow::anyhow!("{e}"))?;
        assert_eq!(decoded.trim_start(), normalized.get(), "{script}: round trip");
    }
    Ok(())
}

#[test]
fn training_is_deterministic() -> anyhow::Result<()> {
    let texts: Vec<String> = (0..200).map(|i| format!("[TEXT] message number {i} earn {} a day", i * 7)).collect();
    let a = train_tokenizer(&texts, 500)?.to_string(false).map_err(|e| anyhow::anyhow!("{e}"))?;
    let b = train_tokenizer(&texts, 500)?.to_string(false).map_err(|e| anyhow::anyhow!("{e}"))?;
    assert_eq!(a, b);
    Ok(())
}
