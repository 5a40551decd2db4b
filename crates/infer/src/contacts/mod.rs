//! Contact points in a record — phone numbers, messenger accounts, e-mail addresses, links and their registered
//! domains — normalised so that the same contact written two ways compares equal. Analysts link ads through what
//! they share; [`crate::campaigns`] does it for a whole batch.
//!
//! What is found, and the value it gets:
//!
//! | kind | written as | value |
//! |---|---|---|
//! | `phone` | `+855 12 345 678`, `081-234-5678`, `0 9 0 1 . 2 3 4 . 5 6 7` | E.164 (`+85512345678`) when the number has a country code or a [`Region`] is given, else its digits |
//! | `whatsapp` | `wa.me/85512345678`, `WhatsApp: +855…`, `WA 0812…`, `chat.whatsapp.com/…` | the number as for `phone`, or the group link |
//! | `telegram` | `t.me/hr_team`, `Telegram: @hr_team`, `飞机 @hr_team`, `@hr_team` in a record that mentions Telegram; a group invite `t.me/+AbC…`, `t.me/joinchat/AbC…` | the username, lowercase; an invite as `t.me/+AbC…`, its case kept |
//! | `line` | `line.me/ti/p/~hr.th`, `LINE ID: hr.th`, `ไลน์ @hrth`, `lin.ee/…` | the id, lowercase |
//! | `wechat` | `WeChat: hr8899`, `微信号：hr8899`, `V信 hr8899`, `薇：hr8899` | the id, lowercase |
//! | `zalo`, `viber`, `signal` | `Zalo: 0901 234 567`, `zalo.me/…`, `Viber +63…`, `signal.me/#p/+…`, `Signal: hr.42` | the number as for `phone`, or the id |
//! | `handle` | `@hr_team` where no messenger is named; after Instagram's name, dots and all (`IG: @jobs.abroad.ph`) | the username, lowercase |
//! | `email` | `hr.team@gmail.com`, `hr.team (at) gmail (dot) com`, `hr＠mail。com` | the address, lowercase |
//! | `url` | `https://…`, `www.…`, `hr-asia.top/apply`, `jobs-kh[.]com` | the host in lowercase, without scheme and `www.`, and the path as written (paths are case-sensitive: `bit.ly/3xYz`); on a link shortener, form host, social network or job board only a link with a path (`m.me/page`, `ig.me/m/page`) |
//! | `domain` | with each `url` and each e-mail address, but for free webmail, link shorteners, form hosts, social networks and job boards (`bit.ly`, `forms.gle`, `facebook.com`, …: they name nobody) | the registered domain (Public Suffix List): `careers.example.co.uk` → `example.co.uk` |
//!
//! Before matching, each field is folded: digits of other scripts (Thai, Khmer, Myanmar, Lao, Devanagari, Bengali,
//! Arabic), full-width and circled digits become ASCII digits; full-width `＠` and `。` become `@` and `.`;
//! Cyrillic and Greek look-alikes inside Latin handles become Latin letters; zero-width characters go away.
//! `evidence`, `start` and `end` point into the field's original text, as for indicator flags.
//!
//! Bare numbers count as phones when they are international (`+`, `00`), follow a phone or messenger cue (in
//! English, Thai, Vietnamese, Indonesian, Chinese, Khmer, Burmese), or have the shape of a mobile number on their
//! own (a trunk `0` and 9–12 digits; `1[3-9]` and 11 digits). Dates, amounts grouped by thousands, licence and
//! registration numbers (`DMW License No. 0456789`, `Giấy phép số …`, `营业执照号 …`) and numbers inside a code
//! (`POEA-123-LB-0456789-R`) never do. A number written without its `+` (`WhatsApp: 855 96 712 3456`, as WhatsApp
//! shows them) is read as international when it starts with the calling code of a country whose own numbers start
//! with a trunk `0` and is 11 digits or more; letters drawn like digits inside a number (`9l7`, `O45`) are those
//! digits.
//!
//! ```
//! use lurescan::contacts::{extract, ContactKind, ContactOptions};
//! use lurescan::Record;
//!
//! let record = Record::from_text("Việc nhẹ lương cao ở Campuchia. Liên hệ Zalo: 0901 234 567 hoặc Telegram @tuyendung_kh");
//! let options = ContactOptions { region: Some("VN".parse().unwrap()) };
//! let contacts = extract(&record, &options);
//! assert_eq!(contacts[0].kind, ContactKind::Zalo);
//! assert_eq!(contacts[0].value, "+84901234567");
//! assert_eq!(contacts[1].kind, ContactKind::Telegram);
//! assert_eq!(contacts[1].value, "tuyendung_kh");
//! ```

mod domain;
mod extract;
pub(crate) mod fold;
mod phone;

pub use domain::{is_known_tld, public_suffix, registered_domain};
pub(crate) use phone::international_forms;
pub use phone::{normalise as normalise_phone, Region, UnknownRegion};

use crate::markup::Markup;
use crate::record::{Field, Record};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of contact point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    Phone,
    Whatsapp,
    Telegram,
    Line,
    Wechat,
    Zalo,
    Viber,
    Signal,
    /// An `@handle` in a record that names no messenger.
    Handle,
    Email,
    Url,
    /// The registered domain of a `url` or of an e-mail address outside free webmail.
    Domain,
}

impl ContactKind {
    pub fn name(self) -> &'static str {
        match self {
            ContactKind::Phone => "phone",
            ContactKind::Whatsapp => "whatsapp",
            ContactKind::Telegram => "telegram",
            ContactKind::Line => "line",
            ContactKind::Wechat => "wechat",
            ContactKind::Zalo => "zalo",
            ContactKind::Viber => "viber",
            ContactKind::Signal => "signal",
            ContactKind::Handle => "handle",
            ContactKind::Email => "email",
            ContactKind::Url => "url",
            ContactKind::Domain => "domain",
        }
    }
}

impl fmt::Display for ContactKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One contact point found in a record. `start..end` are byte offsets into that field's text (as returned by
/// [`Record::get`]), so `&text[start..end] == evidence`; `value` is the normalised form to compare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    /// What kind of contact point: a phone number, a messenger account, an e-mail address, a link, …
    pub kind: ContactKind,
    /// The normalised form, to compare across records (E.164 numbers, lower-case handles and addresses).
    pub value: String,
    /// The field it is in (`text` for a message).
    pub field: Field,
    /// The contact as written in the field.
    pub evidence: String,
    /// Byte offset of the evidence in the field's text (UTF-8, not characters).
    pub start: usize,
    /// Byte offset just past the evidence: `&text[start..end] == evidence`.
    pub end: usize,
}

impl Contact {
    /// The key two records must share to be linked through this contact: a number is one contact whatever
    /// messenger it is given for (`tel:+855…`), a Telegram username and a bare handle are one (`@hr_team`), the
    /// rest are `kind:value`.
    pub fn link_key(&self) -> String {
        link_key(self.kind, &self.value)
    }
}

/// [`Contact::link_key`] of a kind and value.
pub fn link_key(kind: ContactKind, value: &str) -> String {
    let is_number = value.starts_with('+') || (value.len() >= 7 && value.chars().all(|c| c.is_ascii_digit()));
    match kind {
        ContactKind::Phone
        | ContactKind::Whatsapp
        | ContactKind::Zalo
        | ContactKind::Viber
        | ContactKind::Signal
        | ContactKind::Telegram
        | ContactKind::Line
        | ContactKind::Wechat
            if is_number =>
        {
            format!("tel:{value}")
        }
        ContactKind::Telegram | ContactKind::Handle => format!("@{value}"),
        kind => format!("{}:{value}", kind.name()),
    }
}

/// How contacts are read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContactOptions {
    /// The country national numbers (`081…` without `+66`) are in; `None` keeps them as digits.
    pub region: Option<Region>,
}

/// How contact points are read. The lexical member of a model masks each contact point and counts its kind
/// ([`crate::lexical`]); a model's member learned the points as the scanner read them when it was trained, so later
/// refinements of what is reported to users must not change what that member sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reading {
    /// What users are shown and campaigns join: link shorteners', form hosts' and social networks' domains (and
    /// their bare addresses) name nobody, licence and code numbers are no phones, `9l7` inside a number is `917`.
    Reported,
    /// As the lexical member of the shipped models (feature version 4) was trained: every link's domain, every
    /// number of a phone's shape, letters inside numbers as written.
    AsTrained,
}

/// Every contact of `record`, in field order then position, each (kind, value) once (its first occurrence).
pub fn extract(record: &Record, options: &ContactOptions) -> Vec<Contact> {
    // HTML left in scraped text read as a browser shows it (`t&#46;me/hr`, `<br>` between a number and the next
    // line); evidence and offsets are those of the text as written.
    let fields: Vec<(Field, &str, Markup)> =
        record.fields().map(|(field, text)| (field, text, Markup::new(text))).collect();
    let telegram = fields.iter().any(|(_, _, text)| extract::mentions_telegram(text.as_read()));
    let mut contacts: Vec<Contact> = Vec::new();
    for (field, written, text) in &fields {
        for mut contact in extract::scan(text.as_read(), *field, options.region.as_ref(), telegram, Reading::Reported) {
            if text.is_changed() {
                let span = text.span_as_written(contact.start..contact.end);
                contact.evidence = written[span.clone()].to_string();
                (contact.start, contact.end) = (span.start, span.end);
            }
            if !contacts.iter().any(|c| c.kind == contact.kind && c.value == contact.value) {
                contacts.push(contact);
            }
        }
    }
    contacts
}

/// Every contact point of `record` as the lexical member reads them ([`Reading::AsTrained`]), each occurrence (a
/// link and its registered domain both, over one span), in field order then as found; numbers are kept as written
/// (no region).
pub(crate) fn occurrences(record: &Record) -> Vec<Contact> {
    let telegram = record.fields().any(|(_, text)| extract::mentions_telegram(text));
    record.fields().flat_map(|(field, text)| extract::scan(text, field, None, telegram, Reading::AsTrained)).collect()
}

/// True for a free e-mail provider's domain (`gmail.com`, `qq.com`, …): an address there identifies its owner,
/// the domain nobody.
pub fn is_webmail(domain: &str) -> bool {
    extract::is_webmail(domain)
}
