//! Contacts in several scripts and obfuscations, on texts written for these tests.

use lurescan::contacts::{extract, Contact, ContactKind, ContactOptions, Region};
use lurescan::{Field, Record};

fn found(text: &str, region: Option<&str>) -> Vec<(ContactKind, String)> {
    let options = ContactOptions { region: region.map(|r| r.parse::<Region>().unwrap()) };
    let contacts = extract(&Record::from_text(text), &options);
    for c in &contacts {
        // Evidence always points into the original text.
        assert_eq!(&text[c.start..c.end], c.evidence, "{c:?}");
    }
    contacts.into_iter().map(|c| (c.kind, c.value)).collect()
}

fn has(text: &str, region: Option<&str>, kind: ContactKind, value: &str) {
    let contacts = found(text, region);
    assert!(contacts.iter().any(|(k, v)| *k == kind && v == value), "{kind} {value} not in {contacts:?} of {text:?}");
}

use ContactKind::*;

#[test]
fn english_lure_with_messengers_and_links() {
    let text = "Customer service in Sihanoukville, $1500/month. WhatsApp +855 96 123 4567 or t.me/HR_Asia_Team. \
                Apply: https://www.hr-asia-jobs.top/apply?ref=x1 or mail recruit.asia (at) gmail (dot) com";
    let contacts = found(text, None);
    assert_eq!(
        contacts,
        vec![
            (Whatsapp, "+855961234567".to_string()),
            (Telegram, "hr_asia_team".to_string()),
            (Url, "hr-asia-jobs.top/apply?ref=x1".to_string()),
            (Domain, "hr-asia-jobs.top".to_string()),
            (Email, "recruit.asia@gmail.com".to_string()),
        ]
    );
}

#[test]
fn an_address_whose_local_part_spells_its_dots_is_the_same_address() {
    for text in [
        "Send your CV to maria dot santos at gmail dot com",
        "CV: maria (dot) santos (at) gmail (dot) com",
        "CV: maria[dot]santos[at]gmail[dot]com",
        "CV: maria.santos@gmail.com",
    ] {
        assert_eq!(found(text, None), vec![(Email, "maria.santos@gmail.com".to_string())], "{text}");
    }
}

#[test]
fn numbers_of_licences_and_codes_are_not_phones() {
    for text in [
        "Licensed agency, DMW License No. 0456789, no placement fee. Call 0917 123 4567",
        "POEA-123-LB-03152021-R. Call 0917 123 4567",
        "Ref:9280114. Call 0917 123 4567",
        "Giấy phép số: 0123456789. Gọi 0917 123 4567",
        "营业执照号：91440300123456789X. 电话 0917 123 4567",
    ] {
        assert_eq!(found(text, None), vec![(Phone, "09171234567".to_string())], "{text}");
    }
    // A word after a hyphen does not make a number part of a code.
    has("special-call on 09065171142-stopsms-08", None, Phone, "09065171142");
    // Two numbers joined by a slash, and a number after a web address, are phones.
    has("Hub: ATY 082134976289(wa)/087888869297. LEGAL", None, Phone, "087888869297");
    has("Promo 21Des-3Jan www.hquarters.co.id 085794074188", None, Phone, "085794074188");
}

#[test]
fn links_keep_the_case_of_their_path_and_shared_hosts_name_no_domain() {
    assert_eq!(
        found("Apply: https://bit.ly/3xYzAbC or https://forms.gle/AbC123 or facebook.com", None),
        vec![(Url, "bit.ly/3xYzAbC".to_string()), (Url, "forms.gle/AbC123".to_string())]
    );
    assert_eq!(
        found("Details: https://Jobs.Example-HR.top/Apply", None),
        vec![(Url, "jobs.example-hr.top/Apply".to_string()), (Domain, "example-hr.top".to_string())]
    );
    // A link ends where Chinese written right after it begins.
    assert_eq!(
        found("频道 https://t.me/+AbC123xyz频道链接 官网 https://example-hr.top/Join点击", None),
        vec![
            (Telegram, "t.me/+AbC123xyz".to_string()),
            (Url, "example-hr.top/Join".to_string()),
            (Domain, "example-hr.top".to_string())
        ]
    );
    // A Telegram group invite is its link, not a username that another record's @abcdef123 would share.
    assert_eq!(
        found("Join t.me/+AbCdEf123XYZ or t.me/joinchat/AbCdEf123, admin @abcdef123 on Telegram", None),
        vec![
            (Telegram, "t.me/+AbCdEf123XYZ".to_string()),
            (Telegram, "t.me/+AbCdEf123".to_string()),
            (Telegram, "abcdef123".to_string())
        ]
    );
}

#[test]
fn a_number_without_its_plus_and_one_with_look_alike_letters_are_the_same_number() {
    has("WhatsApp: 855 96 712 3456", None, Whatsapp, "+855967123456");
    has("WhatsApp lang: 855967123456", None, Phone, "+855967123456");
    has("My mentor's WhatsApp: 639171234567", None, Whatsapp, "+639171234567");
    has("WhatsApp +63 9l7 123 4567 for the job abroad", None, Whatsapp, "+639171234567");
    has("高薪日结，手机兼职，薇：abc12345", None, Wechat, "abc12345");
}

#[test]
fn thai_digits_line_and_phone_cue() {
    // Thai digits, a LINE id after ไลน์, and a number after โทร.
    let text = "รับสมัครพนักงานแอดมิน ทำงานที่กัมพูชา เงินเดือนดี ติดต่อไลน์ @jobs_th88 โทร ๐๘๑-๒๓๔-๕๖๗๘";
    has(text, None, Line, "jobs_th88");
    has(text, None, Phone, "0812345678");
    has(text, Some("TH"), Phone, "+66812345678");
}

#[test]
fn vietnamese_zalo_with_dotted_digits() {
    let text = "Tuyển gấp nhân viên chăm sóc khách hàng, bao ăn ở. SĐT/Zalo: 0 9 0 1 . 2 3 4 . 5 6 7";
    has(text, Some("VN"), Zalo, "+84901234567");
    has(text, None, Zalo, "0901234567");
}

#[test]
fn chinese_wechat_telegram_slang_and_full_width_digits() {
    let text = "高薪招聘客服，包吃包住，无需经验。微信号：hr8899abc 飞机：@kefu_zhaopin 电话：１３８ ００１３ ８０００";
    has(text, None, Wechat, "hr8899abc");
    has(text, None, Telegram, "kefu_zhaopin");
    has(text, None, Phone, "13800138000");
}

#[test]
fn indonesian_wa_number() {
    let text = "Lowongan kerja di luar negeri, gaji besar, tiket ditanggung. Hubungi WA 0812-3456-7890 sekarang";
    has(text, Some("ID"), Whatsapp, "+6281234567890");
}

#[test]
fn tagalog_viber_and_mobile_number() {
    let text = "Hiring agad! Trabaho sa Dubai, libre ang pamasahe. Mag-text sa 0917 123 4567 o Viber: +63 917 765 4321";
    has(text, Some("PH"), Phone, "+639171234567");
    has(text, Some("PH"), Viber, "+639177654321");
}

#[test]
fn khmer_and_burmese_digits() {
    has("ការងារនៅថៃ ប្រាក់ខែខ្ពស់ ទូរស័ព្ទ ០១២ ៣៤៥ ៦៧៨", Some("KH"), Phone, "+85512345678");
    has("ထိုင်းနိုင်ငံတွင် အလုပ်ခေါ်နေသည် ဖုန်း ၀၉ ၄၅၆ ၇၈၉ ၁၂၃", Some("MM"), Phone, "+959456789123");
}

#[test]
fn homoglyph_handles_fold_to_latin() {
    // Cyrillic а, е and о inside the handle.
    let text = "Telegram: @hr_tеаm_jоbs";
    has(text, None, Telegram, "hr_team_jobs");
}

#[test]
fn obfuscated_domains_and_bare_links() {
    has("Register at jobs-kh[.]com/form today", None, Domain, "jobs-kh.com");
    has("Visit hr-asia.top for details", None, Url, "hr-asia.top");
    has("Email: hr_team＠example。co。th", None, Email, "hr_team@example.co.th");
    has("Email: hr_team@example.co.th", None, Domain, "example.co.th");
    // Free webmail addresses identify a person, not an organisation: no domain contact.
    assert!(!found("mail me: a.b.c@gmail.com", None).iter().any(|(k, _)| *k == Domain));
}

#[test]
fn messenger_links_of_every_kind() {
    has("https://wa.me/66812345678", None, Whatsapp, "+66812345678");
    has("https://api.whatsapp.com/send?phone=84901234567&text=hi", None, Whatsapp, "+84901234567");
    has("line.me/ti/p/~hr.thai", None, Line, "hr.thai");
    has("zalo.me/0901234567", Some("VN"), Zalo, "+84901234567");
    has("https://signal.me/#p/+85512345678", None, Signal, "+85512345678");
    has("Signal: hr_team.42", None, Signal, "hr_team.42");
}

#[test]
fn instagram_and_messenger_accounts() {
    // Instagram usernames may be short and hold dots; after Instagram's name they are handles, not e-mail addresses
    // written with a blank ("IG @jobs.ph") nor domains.
    has("DM us on IG: @jobs.abroad.ph for the form", None, Handle, "jobs.abroad.ph");
    has("Follow us on Instagram @Kerja.PH!", None, Handle, "kerja.ph");
    let contacts = found("IG @jobs.ph or insta - @hr.team.", None);
    assert_eq!(contacts, [(Handle, "jobs.ph".to_string()), (Handle, "hr.team".to_string())]);
    // An address whose local part is "ig" is still an address.
    assert_eq!(
        found("email ig@jobs.com", None),
        [(Email, "ig@jobs.com".to_string()), (Domain, "jobs.com".to_string())]
    );
    // Messenger's chat links, with their one-letter host, are links to a page; the host alone names nobody.
    assert_eq!(found("Chat with us: m.me/JobsAbroadPH", None), [(Url, "m.me/JobsAbroadPH".to_string())]);
    assert_eq!(found("Message us at ig.me/m/jobs_abroad", None), [(Url, "ig.me/m/jobs_abroad".to_string())]);
    assert_eq!(found("We use m.me and ig.me links", None), vec![]);
}

#[test]
fn ordinary_text_has_no_contacts() {
    for text in [
        "Salary 15000-20000 baht, start 2024-01-15, 3 years experience, 40 hours a week.",
        "Lương 15.000.000 - 20.000.000 đồng, liên hệ phòng nhân sự.",
        "We are a team.Work hard and grow. Experience with Vue.js and ASP.NET, e.g. web apps.",
        "Production line manager, line 2. Contact us on WhatsApp for details.",
        "Apply at our office. Reference 12345.",
        // `tel` inside a word is no phone cue, and a sum with its currency is pay.
        "Hotel 12000-15000",
        "Telecom engineer, 5 years, 40000-60000 baht",
        "Electrician, Tel Aviv project, 3000-4000 USD",
        "Stellar Hotel 2024-2025 season staff",
        "Receptionist, Pattaya hotel, 15000-18000 baht plus service charge",
        "Excellent pay 25000-30000/month",
        // `line:` after a production line names no LINE account.
        "Factory in Rayong hiring for production line: operators needed, 12000 baht, social security.",
        "Assembly Line: Supervisor needed for night shift.",
    ] {
        assert_eq!(found(text, None), vec![], "{text}");
    }
    // The cues themselves still read.
    has("Tel: 02 123 4567", None, Phone, "021234567");
    has("Telp 0812 3456 7890", None, Phone, "081234567890");
    has("Contacts: 2345 6789", None, Phone, "23456789");
    has("LINE: jobsbkk", None, Line, "jobsbkk");
    has("Line ID: jobsbkk", None, Line, "jobsbkk");
    has("line: hr_bkk88", None, Line, "hr_bkk88");
}

#[test]
fn a_handle_without_a_messenger_named_is_a_handle() {
    has("DM @recruit_asia for the job", None, Handle, "recruit_asia");
    // The same handle in a record that mentions Telegram elsewhere (another field) is a Telegram username.
    let record = Record::default()
        .with(Field::Title, "Admin job, contact on Telegram")
        .with(Field::Description, "DM @recruit_asia");
    let contacts = extract(&record, &ContactOptions::default());
    assert_eq!(contacts.iter().map(|c| (c.kind, c.value.as_str())).collect::<Vec<_>>(), [(Telegram, "recruit_asia")]);
    assert_eq!(contacts[0].field, Field::Description);
}

#[test]
fn one_number_for_every_messenger_is_one_link_key() {
    let a = Contact {
        kind: Whatsapp,
        value: "+85512345678".into(),
        field: Field::Text,
        evidence: String::new(),
        start: 0,
        end: 0,
    };
    let b = Contact { kind: Phone, ..a.clone() };
    assert_eq!(a.link_key(), b.link_key());
    let t = Contact { kind: Telegram, value: "hr_team".into(), ..a.clone() };
    let h = Contact { kind: Handle, ..t.clone() };
    assert_eq!(t.link_key(), h.link_key());
    assert_ne!(t.link_key(), a.link_key());
}

#[test]
fn each_contact_is_listed_once() {
    let contacts = found("WhatsApp +855 12 345 678. Again: WhatsApp +855 12 345 678", None);
    assert_eq!(contacts, vec![(Whatsapp, "+85512345678".to_string())]);
}
