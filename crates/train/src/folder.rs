//! Writing a model folder atomically — everything goes to `OUT.tmp-<pid>/`, which then replaces `OUT` by
//! renames, so a crash leaves the old folder or none, never half a folder — and the generated `README.md` model
//! card.

use crate::error::{OutRefusal, Result, TrainError};
use crate::metrics::{Metrics, Report};
use candle_nn::VarMap;
use lurescan::exemplars::{self, ExemplarSet};
use lurescan::folder::sibling;
use lurescan::{BertConfig, LexicalModel, ModelFolder, Settings};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `OUT.partial`: where checkpoints of a run writing `OUT` live.
pub fn partial_dir(out: &Path) -> PathBuf {
    sibling(out, ".partial")
}

/// What goes into a model folder.
pub struct FolderContents<'a> {
    pub bert: &'a BertConfig,
    pub varmap: &'a VarMap,
    pub tokenizer_json: &'a str,
    pub settings: &'a Settings,
    /// The lexical ensemble member, written as `lexical.safetensors`.
    pub lexical: Option<&'a LexicalModel>,
    /// Store the BERT's weights as float16 (half the size; inference and `train --init` read them back as f32).
    pub half: bool,
    /// Exemplars ([`lurescan::exemplars`]), written as `exemplars.jsonl` with the embedding cache
    /// `exemplars.safetensors`.
    pub exemplars: Option<&'a ExemplarSet>,
}

pub(crate) fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|source| TrainError::Write { path: path.to_path_buf(), source })
}

/// Writes `config.json`, `model.safetensors`, `tokenizer.json`, `lurescan.json` and `README.md` into
/// `OUT.tmp-<pid>/`, then moves the old `OUT` aside, renames the new folder to `OUT`, and removes the old one.
pub fn write_atomically(out: &Path, contents: &FolderContents) -> Result<()> {
    replace_atomically(out, |tmp| {
        let config_json = serde_json::to_vec_pretty(contents.bert)?;
        write(&tmp.join(ModelFolder::CONFIG), &config_json)?;
        match contents.half {
            true => save_varmap_f16(contents.varmap, &tmp.join(ModelFolder::WEIGHTS))?,
            false => save_varmap(contents.varmap, &tmp.join(ModelFolder::WEIGHTS))?,
        }
        check_weights(&tmp.join(ModelFolder::WEIGHTS))?;
        write(&tmp.join(ModelFolder::TOKENIZER), contents.tokenizer_json.as_bytes())?;
        if let Some(lexical) = contents.lexical {
            lexical.save(&tmp.join(ModelFolder::LEXICAL))?;
        }
        if let Some(set) = contents.exemplars {
            write(&tmp.join(ModelFolder::EXEMPLARS), set.to_jsonl().as_bytes())?;
        }
        write(
            &tmp.join(ModelFolder::CARD),
            model_card(contents.bert, contents.settings, contents.tokenizer_json).as_bytes(),
        )?;
        crate::fault_point("folder-filled");
        // Last but for the exemplar cache: a folder without lurescan.json does not load, so a half-written one never
        // does. The cache is optional (a folder without it, or with one whose key does not match, embeds its
        // exemplars when loaded) and needs the folder to load.
        write(&tmp.join(ModelFolder::SETTINGS), &serde_json::to_vec_pretty(contents.settings)?)?;
        if let Some(set) = contents.exemplars {
            // Embedded by the folder as written (float16 weights included) and keyed by its files, so that loading
            // it finds exactly the embeddings and the key it would compute.
            let classifier = lurescan::Classifier::load(tmp)?;
            let index = classifier.exemplars().expect("the folder has exemplars.jsonl");
            let weights_path = tmp.join(ModelFolder::WEIGHTS);
            let weights =
                std::fs::read(&weights_path).map_err(|source| TrainError::Read { path: weights_path, source })?;
            let tokenizer_json = contents.tokenizer_json.as_bytes();
            let key = exemplars::cache_key(&weights, &config_json, tokenizer_json, contents.settings, set);
            index.save_cache(&tmp.join(ModelFolder::EXEMPLAR_CACHE), key)?;
        }
        Ok(())
    })
}

/// Refuses weights a [`lurescan::Classifier`] would refuse (non-finite values): a written model always loads.
pub(crate) fn check_weights(path: &Path) -> Result<()> {
    let bytes = std::fs::read(path).map_err(|source| TrainError::Read { path: path.to_path_buf(), source })?;
    let tensors = safetensors::SafeTensors::deserialize(&bytes)
        .map_err(|e| TrainError::Checkpoint { path: path.to_path_buf(), message: e.to_string() })?;
    Ok(lurescan::weights::check(tensors.tensors(), path)?)
}

/// Saves every variable of `varmap` as safetensors.
pub(crate) fn save_varmap(varmap: &VarMap, path: &Path) -> Result<()> {
    varmap
        .save(path)
        .map_err(|e| TrainError::Write { path: path.to_path_buf(), source: std::io::Error::other(e.to_string()) })
}

/// Saves every variable of `varmap` as float16 safetensors.
pub(crate) fn save_varmap_f16(varmap: &VarMap, path: &Path) -> Result<()> {
    let vars = varmap.data().lock().expect("var map lock");
    let half: std::collections::HashMap<String, candle_core::Tensor> = vars
        .iter()
        .map(|(k, v)| Ok((k.clone(), v.as_tensor().to_dtype(candle_core::DType::F16)?)))
        .collect::<Result<_>>()?;
    candle_core::safetensors::save(&half, path)
        .map_err(|e| TrainError::Write { path: path.to_path_buf(), source: std::io::Error::other(e.to_string()) })
}

/// The training flags that a run started from a folder (`init`) takes from that folder instead.
const INIT_DECIDES: [&str; 6] = ["hidden_size", "layers", "heads", "intermediate_size", "vocab_size", "render"];

/// Refuses an output path whose replacement would lose something that is not a model: a file, a folder holding
/// anything but a lurescan model folder (one with `lurescan.json` or `config.json`; an empty folder is fine), or a
/// folder that holds or is one of `inputs`. Called before any work, so a mistake costs nothing.
pub fn check_out(out: &Path, inputs: &[&Path]) -> Result<()> {
    let refuse = |reason: OutRefusal| Err(TrainError::Out { path: out.to_path_buf(), reason });
    let Ok(meta) = std::fs::metadata(out) else { return Ok(()) };
    if !meta.is_dir() {
        return refuse(OutRefusal::IsAFile);
    }
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let out_abs = canonical(out);
    if let Some(input) =
        inputs.iter().find(|i| canonical(i).zip(out_abs.as_ref()).is_some_and(|(i, o)| i.starts_with(o)))
    {
        return refuse(OutRefusal::HoldsInput(input.to_path_buf()));
    }
    let is_model = ModelFolder::new(out).is_model();
    let is_empty =
        std::fs::read_dir(out).map_err(|source| TrainError::Read { path: out.to_path_buf(), source })?.next().is_none();
    if !is_model && !is_empty {
        return refuse(OutRefusal::NotAModelFolder);
    }
    Ok(())
}

/// Lets `fill` write a folder's files into `OUT.tmp-<pid>/`, then swaps it in for the old `OUT`
/// ([`ModelFolder::replace`]): `OUT` is the whole old folder or the whole new one, never half a folder, whenever
/// the process is killed. A kill while filling leaves `OUT.tmp-<pid>/`, which lacks `lurescan.json` (written last)
/// and so does not load; remove it.
pub fn replace_atomically(out: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    ModelFolder::replace(out, fill, || crate::fault_point("folder-swapped"))
}

/// A term added to a formula: `+ 0.2432` or `− 0.6069`.
fn signed(x: f32) -> String {
    match x < 0.0 {
        true => format!("− {:.4}", -x),
        false => format!("+ {x:.4}"),
    }
}

fn metrics_row(name: &str, m: &Metrics) -> String {
    let opt = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.4}"));
    format!(
        "| {name} | {} | {} | {} | {} | {} | {} | {} | {:.2}% |\n",
        m.n,
        m.positives,
        opt(m.pr_auc),
        opt(m.roc_auc),
        opt(m.precision),
        opt(m.recall),
        opt(m.f1),
        100.0 * m.flagged_share
    )
}

/// How the model card names the vocabulary of a `tokenizer.json`: by its `model.type`, and for BPE whether it reads
/// bytes (lurescan's own tokenizer) or characters.
fn vocabulary_kind(tokenizer_json: &str) -> &'static str {
    let Ok(json) = serde_json::from_str::<Value>(tokenizer_json) else {
        return "tokenizer not readable";
    };
    match (json["model"]["type"].as_str(), json["pre_tokenizer"]["type"].as_str()) {
        (Some("Unigram"), _) => "SentencePiece Unigram",
        (Some("BPE"), Some("ByteLevel")) => "byte-level BPE",
        (Some("BPE"), _) => "BPE",
        (Some("WordPiece"), _) => "WordPiece",
        (Some("WordLevel"), _) => "word-level",
        _ => "tokenizer model not named",
    }
}

/// The model card, generated from what the folder records (`tokenizer_json`: its `tokenizer.json`).
pub fn model_card(bert: &BertConfig, settings: &Settings, tokenizer_json: &str) -> String {
    let training = settings.extra.get("training");
    let mut card = String::from("# lurescan model\n\n");
    card.push_str(
        "A BERT classifier that scores job postings and recruitment messages for how likely each is a fraudulent job \
         offer or trafficking lure. Trained with `lurescan train`.\n\n",
    );
    card.push_str("## Intended use\n\n");
    card.push_str(
        "Triage for human review: rank and flag postings and messages so that trust-and-safety staff look at the \
         riskiest first. A score is not a verdict and must not be used on its own to remove content, refuse a job \
         seeker or accuse an employer. The model knows only what its training data showed it; scores on other \
         sources, languages and kinds of text are less reliable (see the per-source validation metrics).\n\n",
    );
    card.push_str("## Model\n\n");
    card.push_str(&format!(
        "- BERT encoder: {} layers, hidden size {}, {} heads, feed-forward {}, vocabulary {} ({})\n",
        bert.num_hidden_layers,
        bert.hidden_size,
        bert.num_attention_heads,
        bert.intermediate_size,
        bert.vocab_size,
        vocabulary_kind(tokenizer_json)
    ));
    card.push_str(&format!(
        "- Inputs cut to {} tokens; fields rendered with markers: {}, at most {} characters per field{}{}{}\n",
        settings.max_length,
        settings.render.field_markers,
        settings.render.max_chars_per_field,
        if settings.render.deobfuscate {
            "; disguised spellings read as plain words first (`h0me`, `5OO`, `W.o.r.k`, Cyrillic look-alikes: \
             `\"deobfuscate\": true`; Python `transformers` sees the text as written)"
        } else {
            ""
        },
        if settings.render.fold_traditional {
            "; Traditional Chinese read as Simplified (`做任務` as `做任务`: `\"fold_traditional\": true`; Python \
             `transformers` sees the characters as written)"
        } else {
            ""
        },
        if settings.render.markup {
            "; HTML read as a browser shows it (`<br>` a line break, `&#46;` a `.`: `\"markup\": true`; Python \
             `transformers` sees the markup as written)"
        } else {
            ""
        }
    ));
    if settings.precision() == Ok(lurescan::Precision::Int8) {
        card.push_str(
            "- Scores with int8 matrix products in the encoder layers (`\"precision\": \"int8\"` in lurescan.json; \
             `--precision fp32` overrides); the temperature, thresholds and ensemble weights below were fitted on \
             validation scored at int8\n",
        );
    }
    let flags = training.map(|t| &t["flags"]);
    let rule = match flags.map(|f| (&f["target_precision"], &f["threshold_rule"])) {
        Some((Value::Number(p), _)) => format!(" (the lowest reaching validation precision {p})"),
        Some((_, Value::String(r))) if r == "half_best_f1" => " (half the best validation F1)".to_string(),
        Some((_, Value::String(r))) if r == "best_f1" => " (the best validation F1)".to_string(),
        _ => String::new(),
    };
    // Folders written before `fitted_on_validation` was recorded were always fitted.
    let fitted = training.and_then(|t| t["fitted_on_validation"].as_bool()).unwrap_or(true);
    if fitted {
        card.push_str(&format!(
            "- Decision threshold {:.4}{rule} on probabilities calibrated with temperature {:.4} (both fitted on \
             validation data)\n",
            settings.threshold, settings.temperature
        ));
    } else {
        card.push_str(&format!(
            "- Decision threshold {:.4} and temperature {:.4}: defaults, NOT fitted, because the validation data \
             lacked lures or legitimate records; retrain with a validation file holding both before relying on the \
             threshold\n",
            settings.threshold, settings.temperature
        ));
    }
    if let Some(refit @ ("lexical" | "all")) = flags.and_then(|f| f["refit"].as_str()) {
        let what = if refit == "all" { "the BERT and the lexical model were" } else { "the lexical model was" };
        card.push_str(&format!(
            "- Refit: once validation had chosen the epochs, temperature, ensemble weights and thresholds, {what} \
             trained again on the training and validation data together; the validation metrics below are of the \
             model before the refit\n"
        ));
    }
    if let Some(t) = settings.message_threshold {
        card.push_str(&format!(
            "- Messages (records with only `text`) have their own threshold, {t:.4}: the lowest that flags at most the \
             training's budget of validation non-lure messages (`message_fp_budget` under training flags)\n"
        ));
    }
    match &settings.ensemble {
        Some(e) => card.push_str(&format!(
            "- Ensemble with a lexical model (`lexical.safetensors`: hashed word 1–2-grams, character 3–5-grams and \
             field-tied words of the whole text, logistic regression): score = sigmoid({:.4} · BERT margin / \
             temperature + {:.4} · lexical margin {}), {}. Hugging Face `transformers` sees only the BERT \
             part.\n\n",
            e.bert,
            e.lexical,
            signed(e.bias),
            if fitted { "weights fitted on validation data" } else { "fixed weights (not fitted: see above)" }
        )),
        None => card.push('\n'),
    }
    if let Some(m) = &settings.message_ensemble {
        let exemplar = m.exemplar.map_or(String::new(), |w| format!(" + {w:.4} · exemplar margin"));
        let indicators = m.indicators.map_or(String::new(), |w| format!(" + {w:.4} · indicator categories"));
        card.push_str(&format!(
            "- Messages have weights of their own: score = sigmoid({:.4} · BERT margin / temperature + {:.4} · lexical \
             margin {}{exemplar}{indicators}), fitted with each validation message's lexical margin taken from a lexical \
             model trained without its source (`cross_fit_message_sources`), as a source never seen would get it.\n\n",
            m.bert,
            m.lexical,
            signed(m.bias)
        ));
    }
    if let Some(w) = settings.ensemble.and_then(|e| e.exemplar) {
        let k = settings.exemplars.as_ref().map_or(lurescan::exemplars::DEFAULT_K, |x| x.k);
        let space = match settings.exemplars.as_ref().and_then(|x| x.common.as_ref()) {
            Some(c) => format!(
                "the encoder's mean-pooled embedding space, less the training texts' mean embedding and their {} \
                 strongest shared directions (`exemplars.common` in `lurescan.json`)",
                c.directions.len()
            ),
            None => "the encoder's mean-pooled embedding space".to_string(),
        };
        let effect = if w > 0.0 {
            format!(
                "adds {w:.4} · margin to the log-odds above. `--exemplars FILE` on `score` and `explain` adds \
                 exemplars without retraining."
            )
        } else if w == 0.0 {
            match settings.message_ensemble.and_then(|e| e.exemplar).filter(|&m| m > 0.0) {
                Some(m) => format!(
                    "has weight 0 in the score of postings: the fit on validation data gave it a negative slope, \
                     which is held at 0, so for postings exemplars are shown as evidence (`nearest_typology`) but do \
                     not move scores. Messages weigh it {m:.4} (their own weights, above), so exemplars added with \
                     `--exemplars FILE` on `score` and `explain` lift their variants among messages, not among \
                     postings."
                ),
                None => "has weight 0 in the score: the fit on validation data gave it a negative slope, which is \
                         held at 0, so exemplars are shown as evidence (`nearest_typology`) but do not move scores, \
                         and exemplars added with `--exemplars FILE` will not lift their variants."
                    .to_string(),
            }
        } else {
            format!(
                "adds {w:.4} · margin to the log-odds above: a negative weight (fitted before training held such \
                 weights at 0), so a record nearer a lure's exemplar scores lower; retrain before relying on \
                 `--exemplars FILE`."
            )
        };
        card.push_str(&format!(
            "- Exemplars (`exemplars.jsonl`: texts of lure typologies and of benign look-alikes): the exemplar \
             margin (mean cosine of the {k} nearest lure exemplars minus that of the {k} nearest benign ones, in \
             {space}) {effect}\n\n"
        ));
    }
    if let Some(w) = settings.ensemble.and_then(|e| e.indicators) {
        card.push_str(&format!(
            "- Indicators: each distinct category of the built-in indicator catalogue that a record shows (the flags \
             of `--explain`; at most {}) adds {w:.4} to the log-odds above. The catalogue was written from public \
             warnings (ILO, UNODC, INTERPOL, FTC, POEA/DMW), not learned from the training data.{}",
            lurescan::INDICATOR_CATEGORY_CAP,
            if w == 0.0 {
                " The fit on validation data gave them a negative slope, which is held at 0: flags are evidence only \
                 and do not move scores."
            } else {
                ""
            }
        ));
        match settings.uncounted_indicator_categories.as_slice() {
            [] => card.push_str("\n\n"),
            uncounted => card.push_str(&format!(
                " Not counted, though still shown among the flags: {}.\n\n",
                uncounted.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            )),
        }
    }
    if let Some(w) = settings.ensemble.and_then(|e| e.warning) {
        card.push_str(&format!(
            "- Warnings: a record that reads as a warning about these scams (a flag of the catalogue's `warning` \
             category: a police, embassy, bank or NGO notice quoting the lures' wording) counts no indicator category \
             and adds {w:.2} to the log-odds: a prior set by the recipe (`warning_log_odds`), not fitted.\n\n"
        ));
    }
    if let Some(w) = settings.ensemble.and_then(|e| e.decisive) {
        let decisive: Vec<String> = lurescan::explain::Catalogue::builtin()
            .indicators()
            .iter()
            .filter(|indicator| indicator.decisive)
            .map(|indicator| format!("`{}`", indicator.id))
            .collect();
        card.push_str(&format!(
            "- Decisive signs: a record with a flag of a decisive indicator ({}: steps of a scam that no ordinary \
             offer takes) adds {w:+.2} to the log-odds and scores at least 0.9 (the threshold, when higher), unless it \
             reads as a warning: a prior set by the recipe (`decisive_log_odds`), not fitted.\n\n",
            decisive.join(", ")
        ));
    }
    if let Some(t) = training {
        card.push_str("## Data\n\n");
        if let Some(sources) = t.get("data").and_then(Value::as_array) {
            for s in sources {
                card.push_str(&format!(
                    "- {}: `{}` ({} records, {} bad rows skipped), sha256 `{}`\n",
                    s["role"].as_str().unwrap_or("?"),
                    s["path"].as_str().unwrap_or("?"),
                    s["records"],
                    s["skipped_bad_rows"],
                    s["sha256"].as_str().unwrap_or("?"),
                ));
            }
        }
        card.push_str(&format!(
            "- training: {} records ({} lures); validation: {} records ({} lures)\n\n",
            t["train_records"], t["train_lures"], t["valid_records"], t["valid_lures"]
        ));
        card.push_str("## Training\n\n");
        // Started from a folder (`init`), the encoder's size and the rendering are that folder's (the Model section
        // gives them): the flags for a new encoder, kept in lurescan.json, applied to nothing and are not shown.
        let mut shown = t["flags"].clone();
        let from_init = !shown["init"].is_null();
        if let Some(shown) = shown.as_object_mut().filter(|_| from_init) {
            for key in INIT_DECIDES {
                shown.remove(key);
            }
        }
        card.push_str(&format!(
            "{} epochs run, best epoch {} (early stopping on validation PR-AUC: {}), {} steps. Flags{}:\n\n```json\n{}\n```\n\n",
            t["epochs_run"],
            t["best_epoch"],
            t["stopped_early"],
            t["steps"],
            if from_init { " (the encoder's size and the rendering are those of `init`, as the Model section gives them)" } else { "" },
            serde_json::to_string_pretty(&shown).unwrap_or_default()
        ));
    }
    if let Some(report) = settings
        .extra
        .get("metrics")
        .and_then(|m| m.get("valid"))
        .and_then(|v| serde_json::from_value::<Report>(v.clone()).ok())
    {
        card.push_str("## Validation metrics\n\n");
        card.push_str(match fitted {
            true => {
                "Threshold and temperature were chosen on this same validation data, so these numbers are slightly \
                 optimistic; evaluate on a held-out test file with `lurescan eval`."
            }
            false => {
                "The validation data lacked a class, so these numbers say little; evaluate on a labelled test file \
                 holding both classes with `lurescan eval`."
            }
        });
        if flags.and_then(|f| f["refit"].as_str()).is_some_and(|r| r != "none") {
            card.push_str(" They are of the model before the refit: the shipped one has also trained on this data.");
        }
        if settings.message_ensemble.is_some() {
            card.push_str(
                " Messages are scored as a source never seen would be: with the messages' own weights and lexical \
                 margins from a lexical model trained without their source.",
            );
        }
        card.push_str("\n\n");
        card.push_str("| source | n | lures | PR-AUC | ROC-AUC | precision | recall | F1 | flagged |\n");
        card.push_str("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        card.push_str(&metrics_row("all", &report.overall));
        for (source, m) in &report.by_source {
            card.push_str(&metrics_row(source, m));
        }
        let c = &report.overall.confusion;
        card.push_str(&format!(
            "\nConfusion matrix (all): tp {} · fp {} · tn {} · fn {}. Expected calibration error: {:.4}.\n\n",
            c.tp, c.fp, c.tn, c.fn_, report.ece
        ));
    }
    card.push_str("## Retraining and fine-tuning\n\n");
    card.push_str(
        "```sh\nlurescan train --data train.jsonl --valid valid.jsonl --out my-model\n\
         lurescan train --init THIS_FOLDER --data new-labelled.csv --out my-model   # fine-tune, same tokenizer\n\
         lurescan eval --model my-model --data test.jsonl\n```\n",
    );
    card
}
