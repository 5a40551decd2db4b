//! Campaign grouping on records written for these tests: reposts meet, shared accounts join, weak links do not.

use lurescan::campaigns::{CampaignBuilder, CampaignOptions, Campaigns};
use lurescan::contacts::{extract, ContactKind, ContactOptions};
use lurescan::{Field, Record};

/// Groups `records` (each with its label: `Some(true)` lure) with `options`.
fn group(records: &[(Record, Option<bool>)], options: CampaignOptions) -> Campaigns {
    let mut builder = CampaignBuilder::new(options);
    for (record, lure) in records {
        builder.add(record, &extract(record, &ContactOptions::default()), *lure);
    }
    builder.finish()
}

fn text(t: &str) -> Record {
    Record::from_text(t)
}

/// Messages with no label.
fn unlabelled(texts: &[&str]) -> Vec<(Record, Option<bool>)> {
    texts.iter().map(|t| (text(t), None)).collect()
}

/// One lure reposted with a random salt, a new handle and number each time, and small edits.
fn salted_reposts() -> Vec<Record> {
    let salts = ["x7Qk", "p0_Zr", "mm31", "Vv9t", "ab12cd"];
    salts
        .iter()
        .enumerate()
        .map(|(i, salt)| {
            let edit = if i % 2 == 0 { "Urgent!" } else { "Hiring now." };
            text(&format!(
                "{edit} Online customer service staff for a gaming company in Bavet, Cambodia. Salary 1,200-1,800 USD, \
                 food and dormitory provided, flight ticket paid, no experience needed, typing skills only. \
                 WhatsApp +855 9{i} 555 01{i}{i} or Telegram @bavet_jobs_{i} [{salt}]"
            ))
        })
        .collect()
}

#[test]
fn salted_reposts_of_one_lure_group_together() {
    let mut records: Vec<(Record, Option<bool>)> = salted_reposts().into_iter().map(|r| (r, None)).collect();
    records.push((text("Bookkeeper for a family bakery in Chiang Mai, part time, Thai and English."), None));
    let campaigns = group(&records, CampaignOptions::default());
    let first = campaigns.campaign_of(0);
    assert!((0..5).all(|i| campaigns.campaign_of(i) == first));
    assert_eq!(campaigns.campaign(first).members, [0, 1, 2, 3, 4]);
    assert_ne!(campaigns.campaign_of(5), first);
    // Salted reposts share no contact here: the text alone joined them.
    assert!(campaigns.campaign(first).shared_contacts.is_empty());
}

#[test]
fn salted_reposts_in_thai_and_chinese_group_together() {
    let thai = |salt: &str, line: &str| {
        text(&format!(
            "รับสมัครแอดมินออนไลน์ ทำงานที่ปอยเปต เงินเดือน 35,000 บาท มีที่พักและอาหารฟรี ไม่ต้องมีประสบการณ์ \
             ออกค่าเดินทางให้ ติดต่อไลน์ {line} รหัส {salt}"
        ))
    };
    let chinese = |salt: &str, tg: &str| {
        text(&format!("高薪招聘网络客服，工作地点柬埔寨西港，月薪一万五起，包吃包住，报销机票，无需经验。联系飞机 @{tg} 编号{salt}"))
    };
    let records = vec![
        (thai("A91", "@admin_pp1"), None),
        (chinese("k2", "xg_kefu01"), None),
        (thai("Z07", "@admin_pp2"), None),
        (chinese("w8", "xg_kefu02"), None),
    ];
    let campaigns = group(&records, CampaignOptions::default());
    assert_eq!(campaigns.campaign_of(0), campaigns.campaign_of(2));
    assert_eq!(campaigns.campaign_of(1), campaigns.campaign_of(3));
    assert_ne!(campaigns.campaign_of(0), campaigns.campaign_of(1));
}

#[test]
fn different_lures_sharing_a_telegram_account_join() {
    let records = vec![
        (text("Casino host jobs in Myawaddy, free visa and room, 2000 USD. Telegram: @hr_golden_k"), None),
        (text("Kerja admin di Kamboja, gaji besar, tiket pesawat gratis. Hubungi t.me/HR_Golden_K sekarang"), None),
        (text("Tuyển phiên dịch viên tiếng Trung làm việc ở Lào, bao ăn ở. Zalo 0912 345 678"), None),
    ];
    let campaigns = group(&records, CampaignOptions::default());
    assert_eq!(campaigns.campaign_of(0), campaigns.campaign_of(1));
    assert_ne!(campaigns.campaign_of(0), campaigns.campaign_of(2));
    let shared = &campaigns.campaign(campaigns.campaign_of(0)).shared_contacts;
    assert_eq!(shared.len(), 1);
    assert_eq!(
        (shared[0].kind, shared[0].value.as_str(), shared[0].linked),
        (ContactKind::Telegram, "hr_golden_k", true)
    );
    // A number is one contact whether written for WhatsApp or for Zalo.
    let records = vec![
        (text("Làm việc tại Campuchia, lương cao. Zalo: 0912 345 678"), None),
        (text("Trabaho sa Cambodia, malaking sahod. WhatsApp 0912-345-678"), None),
    ];
    let campaigns = group(&records, CampaignOptions::default());
    assert_eq!(campaigns.campaign_of(0), campaigns.campaign_of(1));
    // ... and the campaign names it as the contact its records share, counting every record that gives it.
    let records = vec![
        (text("Factory work in Malaysia, free housing. Call 0812 345 678"), None),
        (text("Packing jobs in Johor, salary 2,000 RM, call 0812-345-678 today"), None),
        (text("Need 10 workers for a farm abroad, flight paid. WhatsApp 0812345678"), None),
    ];
    let campaigns = group(&records, CampaignOptions::default());
    assert!((1..3).all(|i| campaigns.campaign_of(i) == campaigns.campaign_of(0)));
    let shared = &campaigns.campaign(campaigns.campaign_of(0)).shared_contacts;
    assert_eq!(shared.len(), 1, "{shared:?}");
    assert_eq!(
        (shared[0].kind, shared[0].records, shared[0].total, shared[0].linked),
        (ContactKind::Phone, 3, 3, true)
    );
}

/// Legitimate ads of one big employer: different jobs, every one naming its careers site.
fn employer_ads() -> Vec<Record> {
    [
        ("Forklift operator", "Night shift in our Rotterdam distribution centre. Certificate required."),
        ("Senior data engineer", "Build streaming pipelines in Scala and Spark with a team of eight."),
        ("ICU nurse", "Registered nurse for the intensive care unit, full pension and training budget."),
        ("Store manager", "Lead a team of 30 in our Leeds branch; retail management experience needed."),
    ]
    .iter()
    .enumerate()
    .map(|(i, (title, description))| {
        Record::default().with(Field::Title, *title).with(
            Field::Description,
            format!("{description} Apply at https://careers.megacorp-global.com/job/{}", 4000 + i),
        )
    })
    .collect()
}

#[test]
fn legitimate_ads_sharing_a_big_employers_careers_domain_do_not_join() {
    let records: Vec<(Record, Option<bool>)> = employer_ads().into_iter().map(|r| (r, Some(false))).collect();
    let campaigns = group(&records, CampaignOptions::default());
    assert_eq!(campaigns.len(), 4, "each ad is its own campaign");
    // Unscored, they do not join either.
    let unscored: Vec<(Record, Option<bool>)> = employer_ads().into_iter().map(|r| (r, None)).collect();
    assert_eq!(group(&unscored, CampaignOptions::default()).len(), 4);
}

#[test]
fn lures_sharing_a_scam_site_join() {
    let records = vec![
        (text("Data entry abroad, 1800 USD, free flight. Register at https://asia-hr-center.top/form?a=1"), Some(true)),
        (text("Kerja di Thailand, gaji 25 juta, daftar di asia-hr-center.top/daftar"), Some(true)),
        (text("Our handbook is at https://asia-hr-center.top/handbook"), Some(false)),
    ];
    let campaigns = group(&records, CampaignOptions::default());
    assert_eq!(campaigns.campaign_of(0), campaigns.campaign_of(1));
    assert_ne!(campaigns.campaign_of(0), campaigns.campaign_of(2), "a domain links only records labelled lure");
}

#[test]
fn a_contact_in_too_many_records_links_nothing() {
    // The same hotline in 6 unrelated records: with a limit of 5 it is a hub, not a campaign.
    let jobs = [
        "Line cook for a busy seafood restaurant, weekends included.",
        "Delivery driver with a clean licence and own scooter.",
        "Certified MIG welder for shipyard repairs, overtime paid.",
        "Cashier at the central market, mornings, training given.",
        "Gardener for municipal parks: mowing, pruning, planting.",
        "Maths tutor for secondary pupils, evenings online.",
    ];
    let records: Vec<(Record, Option<bool>)> =
        jobs.iter().map(|job| (text(&format!("{job} Job centre hotline +44 20 7946 0000")), None)).collect();
    let strict = CampaignOptions { max_contact_records: 5, ..CampaignOptions::default() };
    let campaigns = group(&records, strict);
    assert_eq!(campaigns.len(), 6);
    assert!(campaigns.iter().all(|c| c.members.len() == 1));
    // Under the limit, the shared number joins them.
    let loose = CampaignOptions { max_contact_records: 6, ..CampaignOptions::default() };
    assert_eq!(group(&records, loose).len(), 1);
}

#[test]
fn a_number_written_at_home_links_to_the_one_international_number_it_can_be() {
    let records = unlabelled(&[
        "Kerja di Kamboja, gaji 15 juta, tiket gratis. WA 0812 3456 7890",
        "Admin online, mess disediakan, berangkat minggu ini. Hubungi +62 812-3456-7890",
        "Bakery assistant in Leeds, early shifts. Call 0113 496 0000",
    ]);
    let campaigns = group(&records, CampaignOptions::default());
    assert_eq!(campaigns.campaign_of(0), campaigns.campaign_of(1));
    assert_ne!(campaigns.campaign_of(0), campaigns.campaign_of(2));
    let shared = &campaigns.campaign(campaigns.campaign_of(0)).shared_contacts;
    assert_eq!(shared.len(), 1, "{shared:?}");
    assert_eq!(shared[0].records, 2);

    // A Thai number with those digits would have 11 after the country code, which no Thai number has: the one
    // written at home is still the Indonesian one.
    let mut thai = records.clone();
    thai.push((text("Customer service in Bangkok, free housing. Line +66 812 345 67890"), None));
    let campaigns = group(&thai, CampaignOptions::default());
    assert_eq!(campaigns.campaign_of(0), campaigns.campaign_of(1));
    assert_ne!(campaigns.campaign_of(0), campaigns.campaign_of(3));

    // When the input holds the number in two countries' forms that both fit, the one written at home could be
    // either: it joins neither.
    let ambiguous = unlabelled(&[
        "Kerja di Kamboja, gaji 15 juta, tiket gratis. WA 0812 345 678",
        "Admin online, mess disediakan. Hubungi +62 812-345-678",
        "Customer service in Bangkok, free housing. Line +66 812 345 678",
    ]);
    let campaigns = group(&ambiguous, CampaignOptions::default());
    assert_ne!(campaigns.campaign_of(0), campaigns.campaign_of(1));
    assert_ne!(campaigns.campaign_of(0), campaigns.campaign_of(2));
}

#[test]
fn a_lower_similarity_finds_the_pairs_at_it() {
    // 200 pairs of made-up texts, each variant with a third to a half of its words replaced: the pairs whose
    // signatures agree in 30-50% of their bins are joined at --similarity 0.3 (with bands of 4 bins, a third of them
    // were never compared), and none at the default.
    let mut rng = lurescan::rng::SeededRng::new(11);
    let vocabulary: Vec<String> =
        (0..2000).map(|_| (0..3 + rng.below(7)).map(|_| (b'a' + rng.below(26) as u8) as char).collect()).collect();
    let mut records = Vec::new();
    for p in 0..200 {
        let base: Vec<&str> = (0..50).map(|_| vocabulary[rng.below(vocabulary.len())].as_str()).collect();
        let share = 0.3 + 0.2 * (p % 5) as f32 / 4.0;
        let variant: Vec<&str> = base
            .iter()
            .map(|w| if rng.uniform() < share { vocabulary[rng.below(vocabulary.len())].as_str() } else { w })
            .collect();
        records.push((text(&base.join(" ")), None));
        records.push((text(&variant.join(" ")), None));
    }
    let signature = |i: usize| lurescan::campaigns::Signature::of(&records[i].0);
    let at: Vec<usize> =
        (0..200).map(|p| 2 * p).filter(|&i| (0.3..0.5).contains(&signature(i).similarity(&signature(i + 1)))).collect();
    assert!(at.len() >= 50, "{} pairs between 0.3 and 0.5", at.len());
    let low = group(&records, CampaignOptions { similarity: 0.3, ..CampaignOptions::default() });
    let joined = at.iter().filter(|&&i| low.campaign_of(i as u32) == low.campaign_of(i as u32 + 1)).count();
    assert!(joined * 100 >= at.len() * 95, "{joined} of {} pairs joined", at.len());
    let default = group(&records, CampaignOptions::default());
    assert!(at.iter().all(|&i| default.campaign_of(i as u32) != default.campaign_of(i as u32 + 1)));
}

#[test]
fn grouping_is_deterministic_and_numbered_by_first_record() {
    let mut records: Vec<(Record, Option<bool>)> = vec![(text("A lone message about a birthday party."), None)];
    records.extend(salted_reposts().into_iter().map(|r| (r, None)));
    let a = group(&records, CampaignOptions::default());
    let b = group(&records, CampaignOptions::default());
    let numbers = |c: &Campaigns| (0..records.len() as u32).map(|i| c.campaign_of(i)).collect::<Vec<_>>();
    assert_eq!(numbers(&a), numbers(&b));
    assert_eq!(numbers(&a), [1, 2, 2, 2, 2, 2]);
}

#[test]
fn unreadable_records_are_campaigns_of_their_own() {
    let mut builder = CampaignBuilder::new(CampaignOptions::default());
    builder.add_unreadable();
    builder.add_unreadable();
    let campaigns = builder.finish();
    assert_eq!(campaigns.len(), 2);
    assert_eq!(campaigns.contacts_of(0).count(), 0);
}
