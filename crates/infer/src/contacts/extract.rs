//! Finding contact points in one field: links first (messenger links become that messenger's contact), then
//! e-mail addresses, then ids and numbers named by a messenger or phone cue, then bare `@handles`, then numbers
//! that look like phone numbers on their own. A span taken by an earlier step is not read again.

use super::domain::{is_known_tld, registered_domain};
use super::fold::Folded;
use super::phone::{self, Region};
use super::{Contact, ContactKind, Reading};
use crate::record::Field;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// A separator standing for `.` in an obfuscated domain: `.`, `[.]`, `(.)`, `(dot)`, ` dot `, `[dot]`.
const DOT: &str = r"(?:\.|\s?[\[(\{]\s?(?:\.|dot)\s?[\])\}]\s?|\s+dot\s+|\s?\.\s)";
/// A dot spelled out inside an address's local part: `(dot)`, `[dot]`, `(.)`, ` dot `.
const LOCAL_DOT: &str = r"(?:\s?[\[(\{]\s?(?:\.|dot)\s?[\])\}]\s?|\s+dot\s+)";
/// A separator standing for `@`: `@`, `(at)`, `[at]`, `{at}`, `(@)`, ` at `.
const AT: &str = r"(?:\s?@\s?|\s?[\[(\{]\s?(?:at|@)\s?[\])\}]\s?|\s+at\s+)";
/// Hosts of chat links whose name has a one-letter label, which the bare-domain reading otherwise takes for words
/// joined by a dot (`m.me/page`: Facebook Messenger).
const ONE_LETTER_CHAT_HOSTS: &[&str] = &["m.me"];

/// Characters that end a link in running text.
const LINK_END: &str = r#"\s<>"'`{}|\\^\[\]()（）「」【】《》，、；！？"#;

struct Patterns {
    link: Regex,
    email: Regex,
    bare_domain: Regex,
    cue: Regex,
    handle: Regex,
    instagram: Regex,
    number: Regex,
    phone_cue: Regex,
    licence_cue: Regex,
    amount_after: Regex,
    telegram_mention: Regex,
    dot: Regex,
    not_a_phone: Regex,
}

fn patterns() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        let build = |p: &str| Regex::new(&format!("(?i){p}")).expect("a valid built-in contact pattern");
        // ASCII labels only: internationalised domains are rare in lures, and Unicode classes slow every search.
        let label = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?";
        Patterns {
            link: build(&format!(
                r"(?:https?://|www\.|(?:t|telegram|wa|line|zalo|signal)\.me/|telegram\.dog/|lin\.ee/|wa\.link/|(?:chat|api)\.whatsapp\.com/|invite\.viber\.com/|u\.wechat\.com/)[^{LINK_END}]+"
            )),
            // The local part may spell its dots out too: `maria dot santos (at) gmail (dot) com`.
            email: build(&format!(
                r"({local}(?:{LOCAL_DOT}{local})*){AT}({label}(?:{DOT}{label}){{1,4}})",
                local = r"[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9_])?"
            )),
            bare_domain: build(&format!(r"{label}(?:(?:\.|\[\.\]|\(\.\)){label}){{1,4}}(?:/[^{LINK_END}]*)?")),
            // A messenger or phone cue, the words that may follow it ("ID", "号", "ไอดี", ":"), then the value. No
            // `\b`: Unicode word boundaries keep the regex crate off its fast DFA; `(?:^|[^a-z0-9_])` stands for
            // the boundary before, `Scanner::cued` checks the one after.
            cue: build(concat!(
                r"(?:^|[^a-z0-9_])(whats\s?app|วอทส์?แอพ|wa|telegram|tele|tg|纸飞机|飛機|飞机|电报|電報|เทเลแกรม|",
                r"line|ไลน์|wechat|weixin|微信|薇信|v信|vx|wx|薇[:：]|zalo|viber|signal)",
                r"(\s*(?:id|ＩＤ|号|號|账号|帳號|ไอดี)?\s*(?:[:：=]|is\s|là\s|คือ)?\s*)",
                r"(\+?\d(?:[ \-.()]{0,3}\d){6,16}|@?~?[a-z0-9][a-z0-9_.\-]{2,31})"
            )),
            handle: build(r"@([a-z0-9_]{5,32})"),
            // Instagram's usernames may hold dots and be short: after its name only (`IG: @jobs.ph`).
            instagram: build(r"(?:^|[^a-z0-9_])(?:ig|instagram|insta)(?:\s*[:：\-]\s*|\s+)@([a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?)"),
            number: build(r"\+?\d(?:[ \-.()/]{0,3}\d){6,17}"),
            phone_cue: build(concat!(
                r"(?:telepon|telp|tel|phone|mobile|\bmob\b|call|text|sms|hotline|contact|cell|\bcp\b|\bhp\b|hubungi|",
                r"sđt|sdt|đt|điện thoại|gọi|liên hệ|โทร|เบอร์|电话|電話|手机|手機|联系|聯繫|ទូរស័ព្ទ|លេខ|ဖုန်း|",
                r"whats\s?app|\bwa\b|zalo|viber|signal|\bline\b|微信|número|numero|\bno\b)"
            )),
            // A currency or a rate right after a number: `15000-18000 baht`, `3,000 USD`, `500k/day`.
            amount_after: build(concat!(
                r"^\s*(?:usd|us\$|thb|baht|บาท|php|pesos?|rm|myr|vnd|đ|dong|đồng|idr|rp|rupiah|aed|sgd|eur|€|\$|",
                r"元|块|万|k(?:[^a-z0-9]|$)|/\s*(?:month|mo|day|hour|hr|week|h)\b|per\s|a\s(?:month|day|week)|monthly)"
            )),
            telegram_mention: build(r"telegram|(?:^|[^a-z0-9_])tg(?:[^a-z0-9_]|$)|t\.me/|飞机|飛機|电报|電報|เทเลแกรม"),
            dot: build(DOT),
            // A licence, permit, registration or reference number written right before: `DMW License No. 0456789`,
            // `Giấy phép số 123/2024`, `许可证号：1234567`.
            licence_cue: build(concat!(
                r"(?:licen[cs]ed?|\blic|permit|registration|\breg|regn|accreditation|accredited|certificate|\bcert|",
                r"\bref|reference|invoice|receipt|order|case|passport|\bnib|\bsiup|\btin|\bpoea|\bdmw|",
                r"giấy phép|giay phep|gpkd|ใบอนุญาต|许可证|許可證|执照|執照|营业|營業|备案|登记|登記)",
                r"\.?\s*(?:no|nos|number|num|số|so|เลขที่|号|號|編號|编号)?\.?\s*[:：#]?\s*$"
            )),
            // Dates (2024-01-15, 15.01.2024) and amounts grouped by thousands (15.000.000, 1,500,000).
            not_a_phone: build(r"^(?:\d{4}[-.]\d{1,2}[-.]\d{1,2}|\d{1,2}[-.]\d{1,2}[-.]\d{4}|\d{1,3}(?:[.,]\d{3})+)$"),
        }
    })
}

/// Whether `window` (the text before a number) holds a phone cue as a word: `Tel`, `phone:`, `contacts`, but not the
/// `tel` of `hotel`, `Telecom` or `Stellar`, the `cell` of `excellent`, the `text` of `textile` (scripts written
/// without spaces need no boundary).
fn phone_cue_in(window: &str) -> bool {
    let bytes = window.as_bytes();
    let mut at = 0;
    while let Some(found) = patterns().phone_cue.find_at(window, at) {
        let cue = found.as_str();
        let before_ok = !cue.is_ascii() || found.start() == 0 || !bytes[found.start() - 1].is_ascii_alphanumeric();
        let rest = &window[found.end()..];
        let rest =
            rest.strip_prefix(['s', 'S']).filter(|r| !r.starts_with(|c: char| c.is_ascii_alphabetic())).unwrap_or(rest);
        let after_ok = !cue.is_ascii() || !rest.starts_with(|c: char| c.is_ascii_alphabetic());
        if before_ok && after_ok {
            return true;
        }
        at = found.start() + window[found.start()..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// What a messenger cue names.
fn cue_kind(cue: &str) -> ContactKind {
    let cue = cue.to_lowercase();
    if cue.starts_with("what") || cue == "wa" || cue.starts_with("วอท") {
        ContactKind::Whatsapp
    } else if cue.starts_with("tele")
        || cue == "tg"
        || cue.contains("飞机")
        || cue.contains("飛機")
        || cue.contains("电报")
        || cue.contains("電報")
        || cue.starts_with("เทเล")
    {
        ContactKind::Telegram
    } else if cue == "line" || cue == "ไลน์" {
        ContactKind::Line
    } else if cue == "zalo" {
        ContactKind::Zalo
    } else if cue == "viber" {
        ContactKind::Viber
    } else if cue == "signal" {
        ContactKind::Signal
    } else {
        ContactKind::Wechat
    }
}

/// Every contact in `text` (one field), in order of appearance; duplicates are kept (the caller dedupes).
pub(crate) fn scan(
    text: &str,
    field: Field,
    region: Option<&Region>,
    telegram_context: bool,
    reading: Reading,
) -> Vec<Contact> {
    let folded = match reading {
        Reading::Reported => Folded::new(text),
        Reading::AsTrained => Folded::without_digit_look_alikes(text),
    };
    let mut scanner = Scanner { text, field, region, reading, folded: &folded, taken: Vec::new(), found: Vec::new() };
    scanner.links();
    if reading == Reading::Reported {
        scanner.instagram();
    }
    scanner.emails();
    scanner.bare_domains();
    scanner.cued();
    scanner.handles(telegram_context || patterns().telegram_mention.is_match(&folded.text));
    scanner.numbers();
    scanner.found.sort_by_key(|c| (c.start, c.kind));
    scanner.found
}

/// True when `text` mentions Telegram (then a bare `@handle` elsewhere in the record is a Telegram username).
pub(crate) fn mentions_telegram(text: &str) -> bool {
    patterns().telegram_mention.is_match(&Folded::new(text).text)
}

struct Scanner<'a> {
    text: &'a str,
    field: Field,
    region: Option<&'a Region>,
    reading: Reading,
    folded: &'a Folded,
    /// Folded byte ranges already read as a contact.
    taken: Vec<Range<usize>>,
    found: Vec<Contact>,
}

impl Scanner<'_> {
    fn is_taken(&self, span: &Range<usize>) -> bool {
        self.taken.iter().any(|t| t.start < span.end && span.start < t.end)
    }

    fn push(&mut self, kind: ContactKind, value: String, span: Range<usize>) {
        let original = self.folded.original(span);
        self.found.push(Contact {
            kind,
            value,
            field: self.field,
            evidence: self.text[original.clone()].to_string(),
            start: original.start,
            end: original.end,
        });
    }

    fn take(&mut self, span: Range<usize>) {
        self.taken.push(span);
    }

    /// The character before folded byte `at`, if any.
    fn before(&self, at: usize) -> Option<char> {
        self.folded.text[..at].chars().next_back()
    }

    fn after(&self, at: usize) -> Option<char> {
        self.folded.text[at..].chars().next()
    }

    fn links(&mut self) {
        let folded = &self.folded.text;
        for m in patterns().link.find_iter(folded) {
            if self.before(m.start()).is_some_and(|c| c.is_alphanumeric() || c == '@' || c == '.') {
                continue;
            }
            let raw = m.as_str();
            // Chinese, Thai and other text written right after a link is not part of it (`t.me/+AbC频道链接`).
            let raw = match self.reading {
                Reading::Reported => raw.split(|c: char| !c.is_ascii()).next().unwrap_or(raw),
                Reading::AsTrained => raw,
            };
            let raw = raw.trim_end_matches(['.', ',', ':', ';', '!', '?', '。', '-']);
            let span = m.start()..m.start() + raw.len();
            // The host is read in lowercase; the path keeps its case (`bit.ly/3xYzAbC` and `bit.ly/3xyzabc` are two
            // links).
            let rest = ["https://", "http://"]
                .iter()
                .find_map(|scheme| {
                    raw.get(..scheme.len()).filter(|s| s.eq_ignore_ascii_case(scheme)).map(|s| &raw[s.len()..])
                })
                .unwrap_or(raw);
            let (host, path) = rest.split_once(['/', '?', '#']).map_or((rest, ""), |(h, p)| (h, p));
            let host = host.to_lowercase();
            let host = host.split(['@', ':']).next_back().unwrap_or(&host);
            let host = host.strip_prefix("www.").unwrap_or(host);
            if let Some((kind, value)) = self.messenger_link(host, path) {
                self.push(kind, value, span.clone());
            } else {
                let Some(domain) = registered_domain(host) else { continue };
                if !domain.rsplit('.').next().is_some_and(is_known_tld) {
                    continue;
                }
                self.push_site(host, path, domain, &span);
            }
            self.take(span);
        }
    }

    /// A link's `url` (the host in lowercase, the path as written) and its registered `domain`. A link shortener,
    /// form host or social network names nobody by its domain, and by its bare address nothing: there only a link
    /// with a path is a contact.
    fn push_site(&mut self, host: &str, path: &str, domain: String, span: &Range<usize>) {
        let path = path.trim_end_matches('/');
        let shared = self.reading == Reading::Reported && is_shared_host(host, &domain);
        if !(shared && path.is_empty()) {
            let url = format!("{host}{}{path}", if path.is_empty() { "" } else { "/" });
            self.push(ContactKind::Url, url, span.clone());
        }
        if !shared {
            self.push(ContactKind::Domain, domain, span.clone());
        }
    }

    /// A link to a messenger account, as that messenger's contact.
    fn messenger_link(&self, host: &str, path: &str) -> Option<(ContactKind, String)> {
        let first = path.split(['/', '?', '#']).next().unwrap_or("");
        let query = |key: &str| {
            path.split(['?', '&'])
                .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
                .map(str::to_string)
        };
        let number = |raw: &str| {
            let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
            (digits.len() >= 7).then(|| phone::normalise(&format!("+{digits}"), self.region))
        };
        match host {
            "t.me" | "telegram.me" | "telegram.dog" => {
                let name = if first == "s" || first.eq_ignore_ascii_case("joinchat") {
                    path.split(['/', '?', '#']).nth(1).unwrap_or("")
                } else {
                    first
                };
                let name = name.trim_start_matches('@');
                // A username or invite ends at the first other character (`t.me/+AbC频道链接`: Chinese glued to it).
                let end = name
                    .char_indices()
                    .find(|&(i, c)| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || (i == 0 && c == '+')))
                    .map_or(name.len(), |(i, _)| i);
                let name = &name[..end];
                if let Some(phone) = name.strip_prefix('+').and_then(number) {
                    return Some((ContactKind::Telegram, phone));
                }
                // An invite to a group (`t.me/+AbC…`, `t.me/joinchat/AbC…`) is its link: case matters, and it is
                // no username.
                let invite = name.strip_prefix('+').or(first.eq_ignore_ascii_case("joinchat").then_some(name));
                if let Some(hash) = invite.filter(|h| !h.is_empty()) {
                    return Some((ContactKind::Telegram, format!("t.me/+{hash}")));
                }
                (!name.is_empty()).then(|| (ContactKind::Telegram, name.to_lowercase()))
            }
            "wa.me" => number(first).map(|n| (ContactKind::Whatsapp, n)),
            "api.whatsapp.com" => query("phone").and_then(|p| number(&p)).map(|n| (ContactKind::Whatsapp, n)),
            "chat.whatsapp.com" | "wa.link" => {
                (!first.is_empty()).then(|| (ContactKind::Whatsapp, format!("{host}/{first}")))
            }
            "line.me" => {
                let id = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("");
                let id = id.trim_start_matches(['~', '@']);
                (!id.is_empty() && id != "p").then(|| (ContactKind::Line, id.to_lowercase()))
            }
            "lin.ee" => (!first.is_empty()).then(|| (ContactKind::Line, format!("lin.ee/{first}"))),
            "zalo.me" if first.len() >= 7 && first.chars().all(|c| c.is_ascii_digit()) => {
                Some((ContactKind::Zalo, phone::normalise(first, self.region)))
            }
            "zalo.me" => (!first.is_empty()).then(|| (ContactKind::Zalo, format!("zalo.me/{first}"))),
            "signal.me" => {
                let tail = path.rsplit(['/', '#']).next().unwrap_or("");
                number(tail).map(|n| (ContactKind::Signal, n))
            }
            "invite.viber.com" => query("g2").map(|g| (ContactKind::Viber, format!("invite.viber.com/{g}"))),
            "u.wechat.com" => (!first.is_empty()).then(|| (ContactKind::Wechat, format!("u.wechat.com/{first}"))),
            _ => None,
        }
    }

    /// An `@username` right after Instagram's name ("IG: @jobs.abroad.ph", "Instagram @hr_ph"): a `handle`, dots
    /// and all. Not an e-mail address, though "IG @jobs.ph" has the shape of one written with a blank.
    fn instagram(&mut self) {
        let folded = &self.folded.text;
        let found: Vec<_> = patterns()
            .instagram
            .captures_iter(folded)
            .filter_map(|c| Some((c.get(1)?.start() - 1..c.get(1)?.end(), c.get(1)?.as_str().to_lowercase())))
            .collect();
        for (span, name) in found {
            if self.is_taken(&span) || self.after(span.end).is_some_and(|c| c == '@' || c.is_alphanumeric()) {
                continue;
            }
            self.push(ContactKind::Handle, name, span.clone());
            self.take(span);
        }
    }

    fn emails(&mut self) {
        let folded = &self.folded.text;
        let found: Vec<_> = patterns()
            .email
            .captures_iter(folded)
            .filter_map(|c| Some((c.get(0)?.range(), c.get(1)?.as_str().to_string(), c.get(2)?.as_str().to_string())))
            .collect();
        for (span, local, domain_raw) in found {
            if self.is_taken(&span) || self.before(span.start).is_some_and(|c| c.is_alphanumeric()) {
                continue;
            }
            let separator = &folded[span.start + local.len()..];
            let plain_word_at = !separator.trim_start().starts_with(['@', '(', '[', '{']);
            let domain = dotted(&domain_raw);
            let Some(tld) = domain.rsplit('.').next() else { continue };
            if !is_known_tld(tld) {
                continue;
            }
            // "apply at www.example.com" is not an address: a spelled-out " at " counts only with a spelled-out
            // dot too, or a local part that looks like one (digits, `.`, `_`).
            if plain_word_at
                && domain_raw.contains('.')
                && !dotted(&local).chars().any(|c| c.is_ascii_digit() || c == '.' || c == '_')
            {
                continue;
            }
            let address = format!("{}@{}", dotted(&local), domain);
            self.push(ContactKind::Email, address, span.clone());
            if let Some(registered) = registered_domain(&domain).filter(|d| !is_webmail(d)) {
                self.push(ContactKind::Domain, registered, span.clone());
            }
            self.take(span);
        }
    }

    /// Domains written without `http` or `www` (`hr-asia.top`, `jobs-kh[.]com/apply`), only when their top-level
    /// domain is a real one.
    fn bare_domains(&mut self) {
        let folded = &self.folded.text;
        let found: Vec<_> = patterns().bare_domain.find_iter(folded).map(|m| (m.range(), m.as_str())).collect();
        for (span, raw) in found {
            if self.is_taken(&span)
                || self.before(span.start).is_some_and(|c| c.is_alphanumeric() || "@.-_".contains(c))
                || self.after(span.end).is_some_and(|c| c == '@')
            {
                continue;
            }
            let raw = raw.trim_end_matches(['.', ',', ':', ';', '!', '?', '-']);
            let span = span.start..span.start + raw.len();
            let plain = raw.replace("[.]", ".").replace("(.)", ".");
            let (host, path) = plain.split_once('/').map_or((plain.as_str(), ""), |(h, p)| (h, p));
            let host = host.to_lowercase();
            // Words joined by a dot ("Vue.js", "e.g", "Inc.Ltd") are not domains: the TLD must be a real one with a
            // label of two or more characters before it, and the host must have a letter.
            let labels: Vec<&str> = host.split('.').collect();
            let tld = labels.last().copied().unwrap_or("");
            let second = labels.get(labels.len().wrapping_sub(2)).copied().unwrap_or("");
            // "done.Work" (a sentence that lost its space after the full stop), "ASP.NET": domains are written in
            // lowercase; a capitalised last label without a path is a word.
            let raw_host = raw.split('/').next().unwrap_or(raw);
            let sentence_break = !raw.contains('/')
                && raw_host.rsplit(['.', ']', ')']).next().is_some_and(|tld| tld.starts_with(char::is_uppercase));
            // Messenger's one-letter chat links to a page (`m.me/page`) are links all the same.
            let chat_link =
                self.reading == Reading::Reported && ONE_LETTER_CHAT_HOSTS.contains(&host.as_str()) && !path.is_empty();
            if !is_known_tld(tld)
                || sentence_break
                || !(tld.len() == 2 && tld.is_ascii() || BARE_GENERIC_TLDS.contains(&tld))
                || (second.chars().count() < 2 && !chat_link)
                || tld.chars().all(|c| c.is_ascii_digit())
                || COMMON_FILE_TLDS.contains(&tld)
            {
                continue;
            }
            let host = host.strip_prefix("www.").unwrap_or(&host);
            if let Some((kind, value)) = self.messenger_link(host, path) {
                self.push(kind, value, span.clone());
            } else if let Some(domain) = registered_domain(host) {
                self.push_site(host, path, domain, &span);
            } else {
                continue;
            }
            self.take(span);
        }
    }

    /// Ids and numbers right after a messenger's name ("Zalo: 0901 234 567", "微信号：hr8899", "LINE ID @abc").
    fn cued(&mut self) {
        let folded = &self.folded.text;
        let found: Vec<_> = patterns()
            .cue
            .captures_iter(folded)
            .filter_map(|c| {
                let cue = c.get(1)?;
                // A Latin cue must end its word ("wa" in "wage" is none); scripts without spaces need no boundary.
                let next = folded[cue.end()..].chars().next();
                if cue.as_str().is_ascii() && next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '_') {
                    return None;
                }
                Some((cue.as_str().to_string(), c.get(2)?.as_str().to_string(), c.get(3)?.range()))
            })
            .collect();
        for (cue, separator, span) in found {
            // `薇：abc12345` (WeChat's slang name, the one cue that ends in its colon) is read since the shipped
            // lexical members were trained.
            if self.is_taken(&span) || (cue.ends_with([':', '：']) && self.reading == Reading::AsTrained) {
                continue;
            }
            let kind = cue_kind(&cue);
            let raw = &folded[span.clone()];
            let digits = raw.chars().filter(char::is_ascii_digit).count();
            let is_number = raw.trim_start_matches('+').chars().all(|c| c.is_ascii_digit() || " -.()".contains(c));
            if is_number {
                if !(7..=15).contains(&digits) || self.after(span.end).is_some_and(|c| c.is_alphanumeric()) {
                    continue;
                }
                let raw = raw.trim_end();
                let span = span.start..span.start + raw.len();
                self.push(kind, phone::normalise(raw, self.region), span.clone());
                self.take(span);
                continue;
            }
            // WhatsApp, Zalo and Viber accounts are numbers; an ordinary word after their name is not an id.
            if matches!(kind, ContactKind::Whatsapp | ContactKind::Zalo | ContactKind::Viber) {
                continue;
            }
            let id = raw.trim_end_matches(['.', '-']);
            let bare = id.trim_start_matches(['@', '~']);
            let named = id.starts_with(['@', '~']) || !separator.trim().is_empty();
            let looks_like_id = bare.chars().any(|c| c.is_ascii_digit() || c == '_');
            let fits = match kind {
                ContactKind::Telegram => bare.len() >= 5 && bare.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                // Signal usernames end in a dot and two or more digits (`hr_team.42`).
                ContactKind::Signal => {
                    bare.rsplit_once('.').is_some_and(|(_, d)| d.len() >= 2 && d.chars().all(|c| c.is_ascii_digit()))
                }
                _ => bare.len() >= 4,
            };
            if !fits || !(named || looks_like_id) || STOP_WORDS.contains(&bare.to_lowercase().as_str()) {
                continue;
            }
            // `production line: operators` and `Assembly Line: Supervisor` name no LINE account: a word of letters
            // alone is one after `LINE` in capitals or `Line ID`.
            let plain_word = !id.starts_with(['@', '~']) && bare.chars().all(|c| c.is_ascii_alphabetic());
            if self.reading == Reading::Reported
                && kind == ContactKind::Line
                && plain_word
                && cue != "LINE"
                && !separator.to_lowercase().contains("id")
            {
                continue;
            }
            let span = span.start..span.start + id.len();
            self.push(kind, bare.to_lowercase(), span.clone());
            self.take(span);
        }
    }

    /// `@handle` not part of an address or link: a Telegram username when the record mentions Telegram, else a
    /// handle of an unnamed messenger.
    fn handles(&mut self, telegram: bool) {
        let folded = &self.folded.text;
        let found: Vec<_> = patterns()
            .handle
            .captures_iter(folded)
            .filter_map(|c| Some((c.get(0)?.range(), c.get(1)?.as_str().to_lowercase())))
            .collect();
        for (span, name) in found {
            if self.is_taken(&span)
                || self.before(span.start).is_some_and(|c| c.is_alphanumeric() || "_.@/".contains(c))
                || self.after(span.end).is_some_and(|c| {
                    c.is_alphanumeric()
                        || c == '@'
                        || (c == '.' && self.folded.text[span.end + 1..].starts_with(|c: char| c.is_alphanumeric()))
                })
            {
                continue;
            }
            let kind = if telegram { ContactKind::Telegram } else { ContactKind::Handle };
            self.push(kind, name, span.clone());
            self.take(span);
        }
    }

    /// Phone numbers: international ones (`+`, `00`), any number of 7–15 digits after a phone cue, and on their own
    /// the shapes of mobile numbers (a trunk `0` and 9–12 digits; Chinese mobiles `1[3-9]` and 11 digits). Amounts,
    /// dates and ranges ("15000-20000", "2024-01-15") have none of these shapes.
    fn numbers(&mut self) {
        let folded = &self.folded.text;
        let found: Vec<_> = patterns().number.find_iter(folded).map(|m| m.range()).collect();
        for span in found {
            if self.is_taken(&span)
                || self.before(span.start).is_some_and(|c| c.is_alphanumeric() || "$€£¥฿₫₱".contains(c))
                || self.after(span.end).is_some_and(|c| c.is_alphanumeric() || c == '%')
            {
                continue;
            }
            for piece in split_numbers(&folded[span.clone()], span.start) {
                let raw = folded[piece.clone()].trim_end_matches(['(', ' ', '-', '.']);
                let piece = piece.start..piece.start + raw.len();
                if patterns().not_a_phone.is_match(raw) {
                    continue;
                }
                let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
                let n = digits.len();
                let window_start = floor_char_boundary(folded, piece.start.saturating_sub(40));
                // Part of a code (`POEA-123-LB-0456789-R`) or a licence's number is not a phone.
                let near = &folded[floor_char_boundary(folded, piece.start.saturating_sub(30))..piece.start];
                let token = near.rsplit(char::is_whitespace).next().unwrap_or("");
                // (`0821…(wa)/0878…` is two numbers: a token with a phone's run of digits is no code.)
                let longest_digits = token.split(|c: char| !c.is_ascii_digit()).map(str::len).max().unwrap_or(0);
                let code_before = token.ends_with('-')
                    && token.contains(|c: char| c.is_ascii_alphabetic())
                    && (token.contains(|c: char| c.is_ascii_digit()) || token.matches('-').count() >= 2)
                    && longest_digits < 7;
                // `-R` ends a code; `-stopsms` is a word.
                let code_after = folded[piece.end..].strip_prefix('-').is_some_and(|rest| {
                    let tail = rest.split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or("");
                    (1..=3).contains(&tail.len()) && tail.starts_with(|c: char| c.is_ascii_alphabetic())
                });
                let not_a_phone = code_before || code_after || patterns().licence_cue.is_match(near);
                if self.reading == Reading::Reported && not_a_phone {
                    continue;
                }
                let window = &folded[window_start..piece.start];
                let cued = match self.reading {
                    Reading::Reported => phone_cue_in(window),
                    Reading::AsTrained => patterns().phone_cue.is_match(window),
                };
                // A sum with its currency after it (`Tel Aviv project, 3000-4000 USD`) is pay, not a number to call.
                if self.reading == Reading::Reported
                    && !raw.starts_with('+')
                    && patterns().amount_after.is_match(&folded[piece.end..])
                {
                    continue;
                }
                let international = (raw.starts_with('+') && (8..=15).contains(&n))
                    || (digits.starts_with("00") && (10..=17).contains(&n));
                let mobile_shape = (digits.starts_with('0') && !digits.starts_with("00") && (9..=12).contains(&n))
                    || (n == 11
                        && digits.starts_with('1')
                        && digits.as_bytes()[1].is_ascii_digit()
                        && digits.as_bytes()[1] >= b'3');
                if international || mobile_shape || (cued && (7..=15).contains(&n)) {
                    self.push(ContactKind::Phone, phone::normalise(raw, self.region), piece.clone());
                    self.take(piece);
                }
            }
        }
    }
}

/// Splits a run of digits that holds several numbers ("0812345678 / 0898765432", two numbers after one cue) at its
/// `/` and wide gaps, when the whole is too long for one number.
fn split_numbers(raw: &str, offset: usize) -> Vec<Range<usize>> {
    let digits = raw.chars().filter(char::is_ascii_digit).count();
    if digits <= 15 && !raw.contains('/') {
        #[allow(clippy::single_range_in_vec_init)] // one piece: the whole run, as a range
        return vec![offset..offset + raw.len()];
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() && bytes[i] != b'+' {
            let gap_start = i;
            while i < bytes.len() && !bytes[i].is_ascii_digit() && bytes[i] != b'+' {
                i += 1;
            }
            let gap = &raw[gap_start..i];
            if gap.contains('/')
                || gap.len() >= 2
                || (gap == " " && raw[start..gap_start].chars().filter(char::is_ascii_digit).count() >= 9)
            {
                pieces.push(offset + start..offset + gap_start);
                start = i;
            }
        } else {
            i += 1;
        }
    }
    pieces.push(offset + start..offset + raw.len());
    pieces
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// An obfuscated domain written plainly: `gmail (dot) com` → `gmail.com`.
fn dotted(raw: &str) -> String {
    let lower = raw.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut rest = lower.as_str();
    while let Some(m) = patterns().dot.find(rest) {
        out.push_str(&rest[..m.start()]);
        out.push('.');
        rest = &rest[m.end()..];
    }
    out.push_str(rest);
    out.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Top-level domains that are also common file extensions or code names, never taken as bare domains
/// ("resume.zip", "index.php"); written with `http`/`www` they still count.
const COMMON_FILE_TLDS: &[&str] = &["zip", "mov", "py", "sh", "rs", "md", "cv", "js", "php"];

/// Generic top-level domains taken when written bare; other generic ones are mostly words ("Co.Ltd", "done.Work"
/// in text that lost a space after a full stop) and count only with `http` or `www`. Two-letter country domains
/// always count.
const BARE_GENERIC_TLDS: &[&str] = &[
    "com", "net", "org", "info", "biz", "top", "xyz", "vip", "online", "site", "club", "shop", "app", "asia", "icu",
    "cyou", "buzz", "store", "website", "space", "fun", "link", "pro", "tech",
];

/// Words that follow a messenger's name in ordinary sentences and are not ids.
const STOP_WORDS: &[&str] = &[
    "group", "groups", "channel", "account", "only", "chat", "message", "messages", "contact", "with", "number",
    "please", "admin", "official", "support", "manager", "managers", "work", "with", "from", "here", "link",
];

/// Hosts where anyone gets a page or a link: link shorteners, form and file hosts, link-in-bio pages, social
/// networks and job boards. A link there with a path may name one campaign (`bit.ly/camjob77`); the domain names
/// nobody, and joining records by it would join every lure that uses it.
pub(crate) fn is_shared_host(host: &str, registered: &str) -> bool {
    const HOSTS: &[&str] = &[
        "bit.ly",
        "bitly.com",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "forms.gle",
        "tiny.cc",
        "is.gd",
        "ow.ly",
        "rb.gy",
        "cutt.ly",
        "shorturl.at",
        "s.id",
        "rebrand.ly",
        "lnkd.in",
        "linktr.ee",
        "beacons.ai",
        "bio.link",
        "taplink.cc",
        "google.com",
        "forms.office.com",
        "typeform.com",
        "jotform.com",
        "surveymonkey.com",
        "dropbox.com",
        "facebook.com",
        "fb.com",
        "fb.me",
        "m.me",
        "messenger.com",
        "instagram.com",
        "ig.me",
        "tiktok.com",
        "youtube.com",
        "youtu.be",
        "twitter.com",
        "x.com",
        "linkedin.com",
        "threads.net",
        "reddit.com",
        "weibo.com",
        "douyin.com",
        "xiaohongshu.com",
        "zalo.me",
        "shopee.com",
        "lazada.com",
        "jobstreet.com",
        "indeed.com",
        "glassdoor.com",
        "upwork.com",
        "fiverr.com",
        "blogspot.com",
        "wordpress.com",
        "medium.com",
        "github.io",
        "notion.site",
    ];
    HOSTS.contains(&host) || HOSTS.contains(&registered)
}

/// Free e-mail providers: an address there identifies its owner, its domain nobody.
pub(crate) fn is_webmail(domain: &str) -> bool {
    matches!(
        domain,
        "gmail.com"
            | "googlemail.com"
            | "yahoo.com"
            | "yahoo.co.th"
            | "yahoo.com.vn"
            | "yahoo.co.id"
            | "ymail.com"
            | "hotmail.com"
            | "outlook.com"
            | "live.com"
            | "msn.com"
            | "icloud.com"
            | "me.com"
            | "aol.com"
            | "proton.me"
            | "protonmail.com"
            | "gmx.com"
            | "mail.com"
            | "yandex.com"
            | "yandex.ru"
            | "mail.ru"
            | "qq.com"
            | "163.com"
            | "126.com"
            | "sina.com"
            | "foxmail.com"
            | "naver.com"
    )
}
