//! The indicator catalogue: every indicator's examples match and its counter-examples do not, evidence offsets
//! point at the evidence, false friends stay quiet, and text in any script is safe to scan.

use lurescan::explain::{Catalogue, CatalogueError, Flag};
use lurescan::{Field, Record, RenderConfig};

fn ids(flags: &[Flag]) -> Vec<&str> {
    let mut ids: Vec<&str> = flags.iter().map(|f| f.id.as_str()).collect();
    ids.dedup();
    ids
}

fn assert_offsets(record: &Record, flags: &[Flag]) {
    for flag in flags {
        let text = record.get(flag.field).expect("a flag points at a present field");
        assert!(flag.start < flag.end && flag.end <= text.len(), "{flag:?}");
        assert!(text.is_char_boundary(flag.start) && text.is_char_boundary(flag.end), "{flag:?}");
        assert_eq!(&text[flag.start..flag.end], flag.evidence, "{flag:?}");
    }
}

#[test]
fn builtin_catalogue_parses_and_covers_every_category_of_issue_5() {
    let catalogue = Catalogue::builtin();
    let categories = catalogue.categories();
    for wanted in [
        "fees",
        "documents",
        "travel_abroad",
        "pay",
        "no_experience_high_pay",
        "contact",
        "urgency",
        "vague_duties",
        "compound_roles",
        "compound_locations",
        "appearance",
        "age",
        "money_in_title",
        "company_identity",
        "task_scam",
    ] {
        assert!(categories.contains(&wanted), "category {wanted} missing from {categories:?}");
    }
    for indicator in catalogue.indicators() {
        assert!(!indicator.source.is_empty() && !indicator.description.is_empty(), "{}", indicator.id);
    }
}

#[test]
fn every_indicator_matches_its_examples_and_not_its_counter_examples() {
    let mut failures = Vec::new();
    for indicator in Catalogue::builtin().indicators() {
        assert!(!indicator.examples.is_empty(), "indicator {} has no examples", indicator.id);
        assert!(!indicator.counter_examples.is_empty(), "indicator {} has no counter_examples", indicator.id);
        for example in &indicator.examples {
            if indicator.find(example).is_empty() {
                failures.push(format!("{} misses example {example:?}", indicator.id));
            }
        }
        for counter in &indicator.counter_examples {
            let hits = indicator.find(counter);
            if !hits.is_empty() {
                failures.push(format!(
                    "{} flags counter-example {counter:?} at {:?}",
                    indicator.id,
                    &counter[hits[0].clone()]
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn examples_still_flag_with_their_spaces_written_as_scraped_pages_write_them() {
    // A no-break space (`&nbsp;`), two spaces, a tab, an ideographic space, a zero-width space after a space, a
    // line wrapped before a lowercase word: each space of each example in turn, each kind in turn.
    let kinds = ["\u{00A0}", "  ", "\t", "\u{3000}", " \u{200B}", "\n"];
    let catalogue = Catalogue::builtin();
    let mut failures = Vec::new();
    for indicator in catalogue.indicators() {
        for example in &indicator.examples {
            let field = indicator.fields.first().copied().unwrap_or(Field::Text);
            for (at, _) in example.match_indices(' ') {
                for kind in kinds {
                    // A wrapped line reads as a space only before a lowercase letter, after a letter, digit or comma.
                    let wraps = example[at + 1..].starts_with(char::is_lowercase)
                        && example[..at].ends_with(|c: char| c.is_alphanumeric() || c == ',');
                    if kind == "\n" && !wraps {
                        continue;
                    }
                    let written = format!("{}{kind}{}", &example[..at], &example[at + 1..]);
                    let record = Record::default().with(field, written.as_str());
                    let flags = catalogue.scan(&record);
                    assert_offsets(&record, &flags);
                    if !flags.iter().any(|f| f.id == indicator.id) {
                        failures.push(format!("{}: {written:?}", indicator.id));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} misses, first: {:?}", failures.len(), &failures[..failures.len().min(5)]);
}

#[test]
fn a_long_repetitive_record_gives_at_most_the_cap_of_evidence_per_indicator_and_field() {
    use lurescan::explain::MAX_EVIDENCE_PER_FIELD;
    let catalogue = Catalogue::builtin();
    let once = "Customer service in Cambodia, free flight and visa, salary 3000 USD. ";
    let record = Record::from_text(once.repeat(500));
    let flags = catalogue.scan(&record);
    assert!(!flags.is_empty());
    for id in ids(&flags) {
        let n = flags.iter().filter(|f| f.id == id).count();
        assert!(n <= MAX_EVIDENCE_PER_FIELD, "{id}: {n} pieces of evidence");
    }
    assert!(flags.iter().any(|f| flags.iter().filter(|g| g.id == f.id).count() == MAX_EVIDENCE_PER_FIELD));
    assert_offsets(&record, &flags);
    // The categories counted are those of one copy.
    let single = Record::from_text(once);
    assert_eq!(catalogue.counted(&record, &[]), catalogue.counted(&single, &[]));
}

#[test]
fn examples_flag_through_scan_with_valid_offsets() {
    let catalogue = Catalogue::builtin();
    for indicator in catalogue.indicators() {
        for example in &indicator.examples {
            let field = indicator.fields.first().copied().unwrap_or(Field::Text);
            let record = Record::default().with(field, example.as_str());
            let flags = catalogue.scan(&record);
            assert_offsets(&record, &flags);
            assert!(flags.iter().any(|f| f.id == indicator.id), "{} via scan: {example:?}", indicator.id);
        }
    }
}

#[test]
fn evidence_is_the_matched_text_of_the_right_field() {
    let record = Record::default()
        .with(Field::Title, "Customer Support Agent")
        .with(Field::Location, "KH, Sihanoukville")
        .with(
            Field::Description,
            "Relocate to Cambodia. Free visa and flight. A refundable deposit of $200 is required.",
        )
        .with(Field::Benefits, "Contact us on Telegram @hr_kh");
    let flags = Catalogue::builtin().scan(&record);
    assert_offsets(&record, &flags);
    let find = |id: &str| flags.iter().find(|f| f.id == id).unwrap_or_else(|| panic!("{id} missing from {flags:?}"));
    assert_eq!(find("compound_location").field, Field::Location);
    assert_eq!(find("compound_location").evidence, "Sihanoukville");
    assert_eq!(find("upfront_fee").evidence, "refundable deposit");
    assert_eq!(find("messaging_app_contact").field, Field::Benefits);
    // The role is in the title, the relocation in the description: `requires` looks across fields.
    assert_eq!(find("scam_role_abroad").field, Field::Title);
    // Flags come in field order.
    let fields: Vec<Field> = flags.iter().map(|f| f.field).collect();
    assert!(fields.windows(2).all(|w| w[0] <= w[1]), "{fields:?}");
}

#[test]
fn evidence_runs_to_the_end_of_the_number_or_handle_it_stops_in() {
    for (text, whole) in [
        ("Earn money fast: WhatsApp +84912345678 today", "WhatsApp +84912345678"),
        ("Contact us: WhatsApp +855 12 345 678. Start now", "WhatsApp +855 12 345 678"),
        ("WhatsApp 0912-345-678 for details", "WhatsApp 0912-345-678"),
        ("Salary high. Telegram @hr_team, fast", "Telegram @hr_team"),
        ("Telegram: @hr.team. Salary high", "Telegram: @hr.team"),
        ("Apply at https://t.me/hr_team now", "t.me/hr_team"),
        ("You can earn $1,500 per week at home", "earn $1,500"),
        ("Data entry: earn $150 a day", "earn $150"),
    ] {
        let record = Record::from_text(text);
        let flags = Catalogue::builtin().scan(&record);
        assert_offsets(&record, &flags);
        let evidence: Vec<&str> = flags.iter().map(|f| f.evidence.as_str()).collect();
        assert!(evidence.iter().any(|e| e.ends_with(whole)), "{text}: no evidence ends with {whole}: {evidence:?}");
        assert!(!evidence.iter().any(|e| e.ends_with(&format!("{whole} ")) || e.ends_with('.')), "{evidence:?}");
    }
    // Unspaced scripts keep the matched text: the run of letters after a match can be the whole sentence.
    let record = Record::from_text("加微信了解详情日入三千");
    let flags = Catalogue::builtin().scan(&record);
    assert_offsets(&record, &flags);
    assert!(!flags.is_empty() && flags.iter().all(|f| f.evidence.chars().count() < 8), "{flags:?}");
}

#[test]
fn flags_serialize_with_snake_case_fields() {
    let flags = Catalogue::builtin().scan_text("Contact us on WhatsApp");
    let json = serde_json::to_value(&flags[0]).unwrap();
    assert_eq!(json["id"], "messaging_app_contact");
    assert_eq!(json["field"], "text");
    assert_eq!(json["evidence"], "Contact us on WhatsApp");
    assert_eq!(json["start"], 0);
    assert_eq!(json["end"], 22);
}

/// Real-looking legitimate postings written to resemble lures. Each lists the indicators it may still raise.
#[test]
fn false_friends_stay_quiet() {
    let catalogue = Catalogue::builtin();
    let cases: [(&str, Record, &[&str]); 6] = [
        (
            "hotel job in Phnom Penh with staff housing",
            Record::default()
                .with(Field::Title, "Front Office Agent")
                .with(Field::Location, "KH, Phnom Penh")
                .with(Field::CompanyProfile, "Riverside Palace Hotel, a 5-star property on Sisowath Quay since 2004.")
                .with(
                    Field::Description,
                    "Welcome guests, handle check-in and check-out, answer phone and email enquiries in English and Khmer. \
                     Two years of front office experience in an international hotel.",
                )
                .with(Field::Benefits, "Staff housing and duty meals provided, health insurance, 18 days annual leave."),
            &[],
        ),
        (
            "licensed agency that charges no fees",
            Record::default()
                .with(Field::Title, "Caregivers for Japan (EPA programme)")
                .with(
                    Field::Description,
                    "We are a DMW-licensed agency (license no. 123-LB-456). We never charge placement fees to applicants; \
                     all recruitment costs are paid by the employer, as the law requires. Apply at our Manila office.",
                ),
            &[],
        ),
        (
            "customer service in Manila",
            Record::default()
                .with(Field::Title, "Customer Service Representative")
                .with(Field::Location, "PH, Makati City")
                .with(
                    Field::Description,
                    "Answer inbound calls for a US telecom account. Night shift, HMO from day one, PHP 25,000 a month.",
                ),
            &[],
        ),
        (
            "no experience needed with ordinary pay",
            Record::default()
                .with(Field::Title, "Warehouse Associate")
                .with(Field::Description, "No experience needed, we train you. $17.50 per hour, overtime available."),
            &[],
        ),
        (
            "data scientist with visa sponsorship",
            Record::default()
                .with(Field::Title, "Data Scientist")
                .with(Field::Description, "Visa sponsorship available. Salary $140,000 a year. Experience with cross-border payments."),
            &[],
        ),
        (
            "factory in China with board and lodging",
            Record::from_text("东莞电子厂直招普工，包吃包住，月薪5000，签正式合同，购买社保"),
            &[],
        ),
    ];
    for (name, record, allowed) in cases {
        let flags = catalogue.scan(&record);
        assert_offsets(&record, &flags);
        let unexpected: Vec<&Flag> = flags.iter().filter(|f| !allowed.contains(&f.id.as_str())).collect();
        assert!(unexpected.is_empty(), "{name}: {unexpected:#?}");
    }
}

#[test]
fn unless_drops_only_the_sentence_that_disclaims() {
    let catalogue = Catalogue::builtin();
    assert!(catalogue.scan_text("We charge no registration fee.").is_empty());
    let flags = catalogue.scan_text("We charge no placement fees. Your training fee is $90, payable before day one.");
    assert_eq!(ids(&flags), ["upfront_fee"]);
    assert_eq!(flags[0].evidence, "training fee");
}

#[test]
fn lures_in_many_scripts_are_flagged_and_nothing_panics() {
    let catalogue = Catalogue::builtin();
    let lures: [(&str, &[&str]); 8] = [
        ("รับสมัครด่วน งานแอดมิน ไปทำงานที่กัมพูชา ฟรีตั๋วเครื่องบิน ไม่ต้องมีประสบการณ์ รายได้สูง แอดไลน์ @job", &[
            "travel_paid_abroad",
            "no_experience_high_pay",
            "messaging_app_contact",
            "urgency_limited_places",
            "scam_role_abroad",
        ]),
        ("ការងារនៅក្រុងព្រះសីហនុ ត្រូវបង់ប្រាក់កក់ ១០០ ដុល្លារ ទំនាក់ទំនងតាម Telegram", &[
            "compound_location",
            "upfront_fee",
            "messaging_app_contact",
        ]),
        ("မြဝတီမှာ အလုပ် အတွေ့အကြုံ မလို လစာကောင်း ပတ်စ်ပို့ မလို", &[
            "compound_location",
            "no_experience_high_pay",
            "irregular_border_crossing",
        ]),
        ("Việc nhẹ lương cao tại Campuchia, bao vé máy bay, không cần kinh nghiệm, liên hệ Zalo 0901234567", &[
            "pay_out_of_line",
            "travel_paid_abroad",
            "no_experience_high_pay",
            "messaging_app_contact",
        ]),
        ("柬埔寨西港招客服，包机票包吃包住，无需经验，高薪日结，有护照安全过关，加飞机 @hr88", &[
            "compound_location",
            "scam_role_abroad",
            "travel_paid_abroad",
            "board_lodging_abroad",
            "no_experience_high_pay",
            "irregular_border_crossing",
            "messaging_app_contact",
        ]),
        ("Hiring CSR papuntang Cambodia! Libreng plane ticket, kahit walang experience, malaking sahod. I-message lang sa Telegram", &[
            "travel_paid_abroad",
            "no_experience_high_pay",
            "messaging_app_contact",
            "scam_role_abroad",
        ]),
        ("Lowongan kerja ke Kamboja sebagai customer service, tiket pesawat ditanggung, tanpa pengalaman, gaji tinggi, hubungi via WA", &[
            "travel_paid_abroad",
            "no_experience_high_pay",
            "messaging_app_contact",
            "scam_role_abroad",
        ]),
        ("🔥💰 Earn $300 per day 💰🔥 simple tasks from your phone 📱 no experience needed ✅ WhatsApp me 👉", &[
            "no_experience_high_pay",
            "vague_easy_work",
            "messaging_app_contact",
        ]),
    ];
    for (text, expected) in lures {
        let record = Record::from_text(text);
        let flags = catalogue.scan(&record);
        assert_offsets(&record, &flags);
        let got = ids(&flags);
        for id in expected {
            assert!(got.contains(id), "{id} missing for {text:?}: {flags:#?}");
        }
    }
    // Odd input: combining marks, zero-width joiners, RTL text, lone emoji, very long words.
    for text in ["\u{200d}\u{0301}", "مرحبا بكم في العمل", "👍", &"ก".repeat(10_000), "a\u{0e31}\u{0e48}b$"]
    {
        let record = Record::from_text(text);
        assert_offsets(&record, &catalogue.scan(&record));
    }
}

#[test]
fn flags_of_disguised_words_are_found_as_read_and_quote_the_text_as_written() {
    let catalogue = Catalogue::builtin();
    let reads = RenderConfig { deobfuscate: true, ..RenderConfig::default() };
    let record = Record::from_text("Contact our HR on Te1egram @hr_team");
    assert_eq!(catalogue.scan(&record), [], "as written, `Te1egram` is no messaging app");
    assert_eq!(catalogue.scan_as_read(&record, &RenderConfig::default()), [], "nor to a model that reads as written");
    // As read, "Contact our HR on Telegram" is a match (the `@hr_team` match overlaps it and is dropped).
    let flag = Flag {
        id: "messaging_app_contact".into(),
        category: "contact".into(),
        field: Field::Text,
        evidence: "Contact our HR on Te1egram".into(),
        start: 0,
        end: 26,
    };
    assert_eq!(catalogue.scan_as_read(&record, &reads), [flag]);

    // Disguises that change the length of a word, in a posting's fields: offsets into the fields as written.
    let posting = Record::default()
        .with(Field::Title, "งานออนไลน์ Ｗｏｒｋ from h0me")
        .with(Field::Description, "兼职 Pay the regіstration fее first, then W.h.a.t.s.A.p.p me");
    let flags = catalogue.scan_as_read(&posting, &reads);
    assert_offsets(&posting, &flags);
    let evidence: Vec<(&str, &str)> = flags.iter().map(|f| (f.id.as_str(), f.evidence.as_str())).collect();
    assert!(evidence.contains(&("upfront_fee", "Pay the regіstration fее")), "{flags:#?}");
    assert!(evidence.contains(&("messaging_app_contact", "W.h.a.t.s.A.p.p me")), "{flags:#?}");
    assert!(!ids(&catalogue.scan(&posting)).contains(&"messaging_app_contact"));

    // Letters spaced with blanks are read as one word, which a flag quotes whole as written.
    let spaced = Record::from_text("Good pay. Add me on T E L E G R A M now, W O R K  F R O M  H O M E!");
    let flags = catalogue.scan_as_read(&spaced, &reads);
    assert_offsets(&spaced, &flags);
    let evidence: Vec<(&str, &str)> = flags.iter().map(|f| (f.id.as_str(), f.evidence.as_str())).collect();
    assert!(evidence.contains(&("messaging_app_contact", "Add me on T E L E G R A M")), "{flags:#?}");
    assert!(!ids(&catalogue.scan(&spaced)).contains(&"messaging_app_contact"));
}

#[test]
fn flags_in_chinese_with_fullwidth_digits_quote_what_matched_not_the_sentence() {
    // Chinese is written without spaces, so a fullwidth digit makes the whole sentence one changed word. Its
    // characters are read one for one, so each flag still quotes what matched, as it does with ASCII digits.
    let catalogue = Catalogue::builtin();
    let reads = RenderConfig { deobfuscate: true, ..RenderConfig::default() };
    let written = Record::from_text(
        "本公司招聘海外客服，包机票包吃住，月薪１００００元，押金３０００元，名额有限，联系微信job888。",
    );
    let ascii =
        Record::from_text("本公司招聘海外客服，包机票包吃住，月薪10000元，押金3000元，名额有限，联系微信job888。");
    let flags = catalogue.scan_as_read(&written, &reads);
    assert_offsets(&written, &flags);
    let quoted = |flags: &[Flag]| -> Vec<(String, String)> {
        flags
            .iter()
            .map(|f| (f.id.clone(), f.evidence.replace('１', "1").replace('０', "0").replace('３', "3")))
            .collect()
    };
    assert!(!flags.is_empty());
    assert_eq!(quoted(&flags), quoted(&catalogue.scan(&ascii)));
    assert!(flags.iter().all(|f| f.end - f.start < written.get(Field::Text).unwrap().len() / 2), "{flags:#?}");
}

#[test]
fn flags_as_read_are_the_flags_of_the_prepared_record_that_the_score_counts() {
    let catalogue = Catalogue::builtin();
    let reads = RenderConfig { deobfuscate: true, ..RenderConfig::default() };
    // Each text with how many of its flags, at least, only its disguised words show.
    for (text, hidden) in [
        ("W0rk fr0m h0me, earn $3OO a day! N0 experience needed, c0ntact us on Te1egram", 2),
        ("Ｆｒｅｅ ｖｉｓａ and flight to Cambodia, pay the dep0sit first. WhatsApp me", 2),
        // The zero-width space in `Tele\u{200B}gram` is dropped by the catalogue itself (it reads blanks and invisible
        // characters as scraped pages write them): only the Cyrillic о hides a flag from a plain scan.
        ("Wоrk in Dubai, passpоrt kept by the agency. Tele\u{200B}gram: @agent_hr", 1),
        ("ordinary barista ad, usd3k, 9am-5pm", 0),
    ] {
        let record = Record::from_text(text);
        let prepared = reads.prepared(&record);
        let (as_read, of_prepared) = (catalogue.scan_as_read(&record, &reads), catalogue.scan(&prepared));
        assert_offsets(&record, &as_read);
        let only_as_read = as_read.iter().filter(|f| !catalogue.scan(&record).contains(f)).count();
        assert!(only_as_read >= hidden, "{text:?}: {as_read:#?}");
        let found = |flags: &[Flag]| flags.iter().map(|f| (f.id.clone(), f.field)).collect::<Vec<_>>();
        assert_eq!(found(&as_read), found(&of_prepared), "{text:?}");
        let mut categories: Vec<&str> = as_read.iter().map(|f| f.category.as_str()).collect();
        categories.sort();
        categories.dedup();
        assert_eq!(categories.len(), catalogue.category_count(&prepared), "{text:?}");
    }
}

#[test]
fn money_in_title_looks_only_at_the_title() {
    let catalogue = Catalogue::builtin();
    let in_title = Record::default().with(Field::Title, "Earn $500 weekly").with(Field::Description, "Typing.");
    let in_body = Record::default().with(Field::Title, "Typist").with(Field::Description, "Earn $500 weekly");
    assert!(catalogue.scan(&in_title).iter().any(|f| f.id == "money_in_title"));
    assert!(!catalogue.scan(&in_body).iter().any(|f| f.id == "money_in_title"));
}

#[test]
fn custom_catalogues_report_the_broken_entry() {
    let ok = r#"
        [[indicator]]
        id = "wire_money"
        category = "fees"
        description = "asks for a wire transfer"
        source = "test"
        patterns = ['\bwire\s+transfer\b']
        examples = ["send a wire transfer"]
        counter_examples = ["wire frame"]
    "#;
    let catalogue = Catalogue::from_toml_str(ok).unwrap();
    assert_eq!(catalogue.scan_text("Please send a WIRE TRANSFER today")[0].evidence, "WIRE TRANSFER");

    let bad_regex = ok.replace(r"\bwire\s+transfer\b", r"(unclosed");
    match Catalogue::from_toml_str(&bad_regex) {
        Err(CatalogueError::Pattern { id, key, .. }) => assert_eq!((id.as_str(), key), ("wire_money", "patterns")),
        other => panic!("{other:?}"),
    }
    let empty_match = ok.replace(r"\bwire\s+transfer\b", r"x*");
    let err = Catalogue::from_toml_str(&empty_match).unwrap_err();
    assert!(err.to_string().contains("wire_money") && err.to_string().contains("empty string"), "{err}");
    let twice = format!("{ok}\n{ok}");
    assert!(Catalogue::from_toml_str(&twice).unwrap_err().to_string().contains("defined twice"));
    let no_source = ok.replace("source = \"test\"", "source = \"\"");
    assert!(Catalogue::from_toml_str(&no_source).unwrap_err().to_string().contains("`source` is empty"));
    assert!(matches!(Catalogue::from_toml_str("[[indicator]]\nid = 3"), Err(CatalogueError::Toml(_))));
}

/// Entries are compiled on two threads (every other one on each): the catalogue keeps the file's order, and of
/// several broken entries the first in the file is the one reported.
#[test]
fn a_custom_catalogue_keeps_file_order_and_reports_its_first_broken_entry() {
    let entry = |id: &str, pattern: &str| {
        format!(
            "[[indicator]]\nid = \"{id}\"\ncategory = \"test\"\ndescription = \"d\"\nsource = \"test\"\n\
             patterns = ['{pattern}']\nexamples = [\"{id} here\"]\n"
        )
    };
    let ids = ["e0", "e1", "e2", "e3", "e4", "e5", "e6"];
    let toml: String = ids.iter().map(|id| entry(id, &format!(r"\b{id}\b"))).collect();
    let catalogue = Catalogue::from_toml_str(&toml).unwrap();
    let got: Vec<&str> = catalogue.indicators().iter().map(|i| i.id.as_str()).collect();
    assert_eq!(got, ids);
    // e2 (an even entry) and e5 (an odd one) are both broken: e2 is reported; with only e5 broken, e5 is.
    for (broken, reported) in [(&["e2", "e5"][..], "e2"), (&["e5"][..], "e5"), (&["e1", "e4"][..], "e1")] {
        let toml: String =
            ids.iter().map(|id| entry(id, if broken.contains(id) { "(unclosed" } else { r"\bok\b" })).collect();
        match Catalogue::from_toml_str(&toml) {
            Err(CatalogueError::Pattern { id, .. }) => assert_eq!(id, reported, "broken {broken:?}"),
            other => panic!("broken {broken:?}: {other:?}"),
        }
    }
}

#[test]
fn uncounted_categories_are_left_out_of_the_count_and_only_they() {
    let catalogue = Catalogue::builtin();
    let record = Record::from_text("Work in Cambodia, free flight and housing. Message us on Telegram @hr_team");
    let all = catalogue.category_count(&record);
    let categories: Vec<String> = catalogue.scan(&record).into_iter().map(|f| f.category).collect();
    assert!(categories.iter().any(|c| c == "contact") && all >= 2, "{categories:?}");
    assert_eq!(catalogue.counted_categories(&record, &[]), all);
    assert_eq!(catalogue.counted_categories(&record, &["contact".to_string()]), all - 1);
    assert_eq!(catalogue.counted_categories(&record, &["no_such_category".to_string()]), all);
}

#[test]
fn traditional_chinese_is_read_as_simplified_and_quoted_as_written() {
    // The Chinese patterns are written in Simplified characters; a task scam aimed at Taiwan writes Traditional ones.
    let text = "在家兼職，做任務領佣金，先墊付後返還";
    let flags = Catalogue::builtin().scan_text(text);
    let task = flags.iter().find(|f| f.id == "task_scam").expect("task_scam flags the Traditional text");
    assert_eq!(&text[task.start..task.end], task.evidence);
    assert!(task.evidence == "做任務" || task.evidence == "墊付", "{task:?}");
    let simplified = Catalogue::builtin().scan_text("在家兼职，做任务领佣金，先垫付后返还");
    assert_eq!(ids(&flags), ids(&simplified));
}

#[test]
fn an_age_range_alone_is_shown_under_its_own_uncounted_category() {
    let record = Record::from_text("Heavy truck drivers for Riyadh, age 25-45, 3 years' experience");
    let flags = Catalogue::builtin().scan(&record);
    assert_eq!(ids(&flags), ["age_range"]);
    assert_eq!(flags[0].category, "age");
    let catalogue = Catalogue::builtin();
    assert_eq!(catalogue.counted_categories(&record, &["contact".into(), "age".into()]), 0);
    let hostess = Record::from_text("Hostess wanted, age 18-25, girls only");
    assert_eq!(catalogue.counted_categories(&hostess, &["contact".into(), "age".into()]), 1);
}

#[test]
fn paid_per_order_is_ordinary_gig_work_and_a_commission_per_order_is_a_task() {
    let catalogue = Catalogue::builtin();
    assert!(catalogue.scan_text("Delivery riders earn per order plus weekly incentives.").is_empty());
    let task = catalogue.scan_text("Get a commission for every order you grab in the app.");
    assert_eq!(ids(&task), ["task_scam"]);
}
