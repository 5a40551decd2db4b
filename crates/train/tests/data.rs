//! Reading labelled JSONL and CSV, bad rows, and the group-keeping stratified hold-out.

use lurescan::Field;
use lurescan_train::data::{holdout, load, Example};
use lurescan_train::TrainError;
use std::collections::{HashMap, HashSet};
use std::fs;

#[test]
fn reads_every_label_spelling_and_keeps_source_group_subset() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let jsonl = dir.path().join("d.jsonl");
    fs::write(
        &jsonl,
        concat!(
            r#"{"text": "earn fast", "label": 1, "source": "sms", "group": "g1"}"#,
            "\n",
            r#"{"title": "Clerk", "description": "Filing", "label": "legitimate", "subset": "random-sample"}"#,
            "\n",
            "\n",
            r#"{"text": "a", "label": "Fraudulent"}"#,
            "\n",
            r#"{"text": "b", "label": "real"}"#,
            "\n",
            r#"{"text": "c", "label": true}"#,
            "\n",
            r#"{"text": "d", "label": "0"}"#,
            "\n",
            r#"{"text": "e", "label": "lure"}"#,
            "\n",
        ),
    )?;
    let d = load(&jsonl, false)?;
    let labels: Vec<u8> = d.examples.iter().map(|e| e.label).collect();
    assert_eq!(labels, [1, 0, 1, 0, 1, 0, 1]);
    assert_eq!(d.examples[0].source.as_deref(), Some("sms"));
    assert_eq!(d.examples[0].group.as_deref(), Some("g1"));
    assert_eq!(d.examples[1].subset.as_deref(), Some("random-sample"));
    assert_eq!(d.examples[1].record.get(Field::Title), Some("Clerk"));
    assert_eq!(d.examples[2].line, 4, "blank line counted");

    let csv = dir.path().join("d.csv");
    fs::write(
        &csv,
        "Title,Description,Label,Source\nClerk,\"Pays daily, no interview\",1,emscad\nNurse,Night shift,0,emscad\n",
    )?;
    let d = load(&csv, false)?;
    assert_eq!(d.labels(), [1, 0]);
    assert_eq!(d.examples[0].record.get(Field::Description), Some("Pays daily, no interview"));
    assert_eq!(d.examples[1].source.as_deref(), Some("emscad"));
    Ok(())
}

#[test]
fn a_bad_row_names_file_and_line_unless_skipped() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bad.jsonl");
    fs::write(
        &path,
        concat!(
            r#"{"text": "ok", "label": 1}"#,
            "\n",
            r#"{"text": "no label"}"#,
            "\n",
            r#"{"text": "x", "label": "maybe"}"#,
            "\n",
            r#"{"text": "#,
            "\n",
            r#"{"label": 0}"#,
            "\n",
            r#"{"text": "fine", "label": 0}"#,
            "\n",
        ),
    )?;
    let err = load(&path, false).unwrap_err();
    assert!(matches!(err, TrainError::BadRow { line: 2, .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("bad.jsonl:2") && message.contains("label") && message.contains("--skip-bad"),
        "{message}"
    );
    let d = load(&path, true)?;
    assert_eq!(d.examples.len(), 2);
    assert_eq!(d.skipped, 4);
    assert!(
        d.skipped_examples[1].starts_with("line 3:") && d.skipped_examples[1].contains("maybe"),
        "{:?}",
        d.skipped_examples
    );
    assert!(matches!(load(&dir.path().join("x.txt"), false), Err(TrainError::UnknownFormat { .. })));
    Ok(())
}

#[test]
fn a_file_without_a_label_column_says_so_with_its_columns_and_emscads_fraudulent_is_read() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let unlabelled = dir.path().join("ads.csv");
    fs::write(&unlabelled, "title,description,is_scam\nClerk,Filing at our office,0\nAgent,Earn 500 a day,1\n")?;
    // With or without --skip-bad: a file-level mistake, not two bad rows.
    for skip_bad in [false, true] {
        let err = load(&unlabelled, skip_bad).unwrap_err();
        assert!(matches!(err, TrainError::NoLabelColumn { .. }), "{err:?}");
        let message = err.to_string();
        assert!(
            message.contains("ads.csv") && message.contains("no `label` column") && message.contains("is_scam"),
            "{message}"
        );
    }
    // A JSON line without a label is a bad line, the first one too; a file of them all is told it has no label.
    let first = dir.path().join("first.jsonl");
    fs::write(&first, "{\"text\": \"a\"}\n{\"text\": \"c\", \"label\": 0}\n")?;
    assert!(matches!(load(&first, false), Err(TrainError::BadRow { line: 1, .. })));
    let none = dir.path().join("none.jsonl");
    fs::write(&none, "{\"text\": \"a\"}\n{\"text\": \"c\", \"is_scam\": 0}\n")?;
    assert!(matches!(load(&none, true), Err(TrainError::NoLabelColumn { .. })));
    // A JSON Lines file whose first row has a label reads on: a later row without one is a bad row.
    let later = dir.path().join("later.jsonl");
    fs::write(&later, "{\"text\": \"a\", \"label\": 1}\n{\"text\": \"b\"}\n{\"text\": \"c\", \"label\": 0}\n")?;
    assert!(matches!(load(&later, false), Err(TrainError::BadRow { line: 2, .. })));
    assert_eq!(load(&later, true)?.examples.len(), 2);
    // EMSCAD's CSV holds its label in `fraudulent`; `label`, when there, wins.
    let emscad = dir.path().join("emscad.csv");
    fs::write(&emscad, "title,description,fraudulent\nClerk,Filing at our office,0\nAgent,Earn 500 a day,1\n")?;
    assert_eq!(load(&emscad, false)?.labels(), vec![0, 1]);
    let both = dir.path().join("both.csv");
    fs::write(&both, "title,label,fraudulent\nClerk,lure,0\n")?;
    assert_eq!(load(&both, false)?.labels(), vec![1]);
    Ok(())
}

fn example(i: usize, label: u8, group: Option<String>) -> Example {
    Example {
        record: lurescan::Record::from_text(format!("t{i}")),
        label,
        source: None,
        group,
        subset: None,
        line: i as u64,
    }
}

#[test]
fn holdout_is_stratified_keeps_groups_whole_and_is_seeded() {
    // 100 lures in groups of 4, 900 legitimate records, 300 of them in groups of 3.
    let mut examples = Vec::new();
    for i in 0..100 {
        examples.push(example(i, 1, Some(format!("lure{}", i / 4))));
    }
    for i in 100..1000 {
        examples.push(example(i, 0, (i < 400).then(|| format!("legit{}", i / 3))));
    }
    let (train, valid) = holdout(examples.clone(), 0.2, 9);
    assert_eq!(train.len() + valid.len(), 1000);
    let lures = valid.iter().filter(|e| e.label == 1).count();
    assert!((16..=24).contains(&lures), "{lures} lures held out of 100");
    assert!((170..=190).contains(&(valid.len() - lures)), "{} legitimate held out of 900", valid.len() - lures);
    let side: HashMap<&str, bool> = valid.iter().filter_map(|e| e.group.as_deref()).map(|g| (g, true)).collect();
    let train_groups: HashSet<&str> = train.iter().filter_map(|e| e.group.as_deref()).collect();
    assert!(train_groups.iter().all(|g| !side.contains_key(g)), "a group straddles the split");
    assert_eq!(holdout(examples.clone(), 0.2, 9).1, valid);
    assert_ne!(holdout(examples, 0.2, 10).1, valid);
}
