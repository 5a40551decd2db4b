//! Rendering and tokenising any record: the bytes as a JSON object (posting fields, as `score` reads them) or else
//! as a message, rendered with and without field markers, tokenised with the test model's tokenizer, and scanned
//! for indicators.
#![no_main]

use lurescan::explain::Catalogue;
use lurescan::{render, LureTokenizer, Record, RenderConfig};
use std::sync::OnceLock;

fn tokenizer() -> &'static LureTokenizer {
    static TOKENIZER: OnceLock<LureTokenizer> = OnceLock::new();
    TOKENIZER.get_or_init(|| {
        let bytes = include_bytes!("../../crates/infer/tests/fixtures/tiny-bert/tokenizer.json");
        LureTokenizer::from_bytes(bytes).expect("the fixture tokenizer loads")
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let record = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(object)) => match Record::from_json_object(&object) {
            Ok(record) => record,
            Err(_) => return,
        },
        _ => Record::from_text(text),
    };
    for (markers, max_chars) in [(true, 1000), (false, 7)] {
        let config = RenderConfig { field_markers: markers, max_chars_per_field: max_chars, ..RenderConfig::default() };
        let rendered = render(&record, &config);
        let ids = tokenizer().encode(&rendered, 64).expect("any text tokenises");
        assert!(ids.len() <= 64, "cut to max_length");
    }
    let _ = Catalogue::builtin().scan(&record);
});
