//! Checks a tokenizer's `TemplateProcessing` post-processors before anything is encoded with them. The `tokenizers`
//! crate (0.23) reads these and then panics when it encodes (`processors/template.rs`; only its builder checks
//! names, and nothing checks the rest):
//! - a template names a special token that its `special_tokens` does not define ("We already checked existence
//!   above");
//! - the `single` template uses the second sequence, `$B` (`encodings[1]` of one);
//! - in a `Sequence`, a template follows one that hands on neither one nor two parts (`todo!()`): a template hands
//!   on one part per piece of the template it used, and the next one takes one part as a single text, two as a pair.
//!
//! The check reads the post-processor as JSON, in the shape the crate writes it: `single` and `pair` are lists of
//! `{"SpecialToken": {"id": …}}` and `{"Sequence": {"id": "A" or "B"}}` pieces, `special_tokens` maps each name to
//! `{"id", "ids", "tokens"}`, and a `Sequence` lists its `processors`.

use super::LureTokenizer;
use serde_json::Value;

/// What the messages suggest besides the precise fix.
const RESAVE: &str = "or re-save the tokenizer with Hugging Face `tokenizers`";

/// Fails, saying which template or special token is wrong and what to do, when `post_processor` (a
/// `TemplateProcessing`, or a `Sequence` of post-processors at any depth) would make the crate panic as the module
/// doc lists, or has a special token with no ids, with not as many ids as tokens, or with an id that `tokenizer`'s
/// vocabulary does not have.
pub(super) fn check(post_processor: &Value, tokenizer: &LureTokenizer) -> Result<(), String> {
    let mut steps = Vec::new();
    flatten("post_processor".to_string(), post_processor, &mut steps);
    let templates: Vec<(String, &Value)> =
        steps.into_iter().filter(|(_, step)| step["type"] == "TemplateProcessing").collect();
    for (path, template) in &templates {
        check_template(path, template, tokenizer)?;
    }
    check_chain(&templates)
}

/// The post-processors that run one after the other, each with its path in the file: a `Sequence`'s processors in
/// order, at any depth.
fn flatten<'a>(path: String, processor: &'a Value, steps: &mut Vec<(String, &'a Value)>) {
    if processor["type"] == "Sequence" {
        for (i, inner) in processor["processors"].as_array().into_iter().flatten().enumerate() {
            flatten(format!("{path}.processors[{i}]"), inner, steps);
        }
    } else {
        steps.push((path, processor));
    }
}

/// The pieces of a template's `single` or `pair`.
fn pieces<'a>(template: &'a Value, which: &str) -> impl Iterator<Item = &'a Value> {
    template[which].as_array().into_iter().flatten()
}

fn check_template(path: &str, template: &Value, tokenizer: &LureTokenizer) -> Result<(), String> {
    let mut sequences = pieces(template, "single").filter_map(|piece| piece.pointer("/Sequence/id")?.as_str());
    if let Some(other) = sequences.find(|&id| id != "A") {
        return Err(format!(
            "{path}.single uses the sequence ${other}, but a single text is $A alone: write \"A\" there, {RESAVE}"
        ));
    }
    let none = serde_json::Map::new();
    let specials = template["special_tokens"].as_object().unwrap_or(&none);
    for which in ["single", "pair"] {
        for name in pieces(template, which).filter_map(|piece| piece.pointer("/SpecialToken/id")?.as_str()) {
            if !specials.contains_key(name) {
                return Err(format!(
                    "{path}.{which} names the special token {name:?}, which {path}.special_tokens does not define: \
                     add it there with its ids and tokens, {RESAVE}"
                ));
            }
        }
    }
    for (name, special) in specials {
        let list = |field: &str| special[field].as_array().map_or(&[][..], Vec::as_slice);
        let (ids, tokens) = (list("ids"), list("tokens"));
        let at = format!("{path}.special_tokens[{name:?}]");
        if ids.is_empty() {
            return Err(format!("{at} has no ids: give it the id of {name:?} in the vocabulary, {RESAVE}"));
        }
        if ids.len() != tokens.len() {
            return Err(format!(
                "{at} has {} ids and {} tokens, which must be as many: list one token for each id, {RESAVE}",
                ids.len(),
                tokens.len()
            ));
        }
        for id in ids {
            let known = id.as_u64().and_then(|id| u32::try_from(id).ok()).is_some_and(|id| tokenizer.has_id(id));
            if !known {
                return Err(format!(
                    "{at} has the id {id}, which the vocabulary ({} tokens) does not have: give it the id of \
                     {name:?} in the vocabulary, {RESAVE}",
                    tokenizer.vocab_size()
                ));
            }
        }
    }
    Ok(())
}

/// Fails when a template, of those run one after the other on a single text, would be handed neither one part nor
/// two. Texts are encoded both with special tokens (a template hands on a part for each of its pieces) and without
/// (a part for each `$A` or `$B` only).
fn check_chain(templates: &[(String, &Value)]) -> Result<(), String> {
    for with_special_tokens in [true, false] {
        // The template before: its path, the template of it that was used, and how many parts it hands on.
        let mut before: Option<(&str, &str, usize)> = None;
        for (path, template) in templates {
            let which = match before {
                None | Some((_, _, 1)) => "single",
                Some((_, _, 2)) => "pair",
                Some((before, which, parts)) => {
                    return Err(format!(
                        "{path} follows {before}, whose `{which}` template hands on {parts} parts{}; the tokenizers \
                         crate takes only one (a text) or two (a pair): keep one TemplateProcessing, {RESAVE}",
                        if with_special_tokens { "" } else { " without special tokens" },
                    ))
                }
            };
            let parts = pieces(template, which).filter(|p| with_special_tokens || p.get("Sequence").is_some()).count();
            before = Some((path, which, parts));
        }
    }
    Ok(())
}
