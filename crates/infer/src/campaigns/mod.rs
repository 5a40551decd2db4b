//! Campaigns: groups of records that are one recruitment script reposted — near-duplicate texts (a new link, a
//! random salt, another phone number, a few words changed) and records that share a contact point.
//!
//! Two records join one campaign when
//! 1. their texts are near-duplicates (of at least [`MIN_CHARS`] characters once masked): MinHash signatures
//!    ([`Signature`]) over masked 5-character shingles, found by locality-sensitive hashing (bands of 2 to 4 bins,
//!    narrower for a lower similarity: 99% of the pairs at or above the default are found) and confirmed when the
//!    signatures agree in at least [`CampaignOptions::similarity`] of their bins (estimated Jaccard similarity,
//!    default 0.5); or
//! 2. they share a contact ([`crate::contacts`], compared by [`Contact::link_key`]: a number is one contact
//!    whether given for WhatsApp, Zalo or a call, and a number written at home with its trunk `0` (`0812 345 678`)
//!    is the international one (`+62 812 345 678`) when the input holds exactly one international number it can
//!    be) — under two rules that keep weak links from chaining unrelated records:
//!    - a contact carried by more than [`CampaignOptions::max_contact_records`] records (default 50) links
//!      nothing: a platform's hotline, a staffing agency's switchboard, a link shortener;
//!    - a link or registered domain (`url`, `domain`) links only records labelled lure. A domain is the employer's
//!      own address in a legitimate ad (every ad of a big employer names its careers site) and the scammer's site
//!      in a lure; numbers, messenger accounts and e-mail addresses identify a recruiter whatever the label.
//!      Without labels (`lure` unknown), links and domains link nothing.
//!
//! Joins are transitive (union-find). Campaigns are numbered from 1 in the order of their first record, so the
//! result depends only on the records and their order. Memory per record is a signature (192 bytes) and its
//! contacts' numbers; the contacts' texts are kept once each.
//!
//! ```
//! use lurescan::campaigns::{CampaignBuilder, CampaignOptions};
//! use lurescan::contacts::{extract, ContactOptions};
//! use lurescan::Record;
//!
//! let texts = [
//!     "Customer service in Cambodia, 1500 USD, free flight and housing, no experience. Telegram @hr_kh1 (ref 1)",
//!     "Customer service in Cambodia, 1500 USD, free flight and housing, no experience. Telegram @hr_kh2 (ref 2)",
//!     "Translator wanted in Myawaddy, free visa. Contact Telegram @hr_kh2",
//!     "Accountant, Leeds office, CIMA qualified, hybrid working.",
//! ];
//! let mut builder = CampaignBuilder::new(CampaignOptions::default());
//! for text in texts {
//!     let record = Record::from_text(text);
//!     builder.add(&record, &extract(&record, &ContactOptions::default()), Some(true));
//! }
//! let campaigns = builder.finish();
//! assert_eq!(campaigns.campaign_of(0), campaigns.campaign_of(1)); // near-duplicates
//! assert_eq!(campaigns.campaign_of(1), campaigns.campaign_of(2)); // the same Telegram account
//! assert_ne!(campaigns.campaign_of(0), campaigns.campaign_of(3));
//! assert_eq!(campaigns.len(), 2);
//! ```

mod signature;

pub use signature::{mask, Signature, HASHES, MIN_CHARS, SHINGLE};

use crate::contacts::{link_key, Contact, ContactKind};
use crate::record::Record;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Rows per band of locality-sensitive hashing for the similarity asked for, so that the pairs at it are likely to
/// share a band (to be compared at all): of [`HASHES`] = 48 bins, 12 bands of 4 from 0.65 up (a pair at 0.7 shares one
/// with probability 0.96), 16 bands of 3 from 0.4 (at 0.5: 0.88, where 12 of 4 gave 0.54), 24 bands of 2 below (at
/// 0.3: 0.90). More bands cost time in proportion; narrower ones put more unrelated texts in one band, which costs
/// two comparisons each.
fn rows_for(similarity: f32) -> usize {
    match similarity {
        s if s >= 0.65 => 4,
        s if s >= 0.4 => 3,
        _ => 2,
    }
}

/// How records are joined into campaigns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CampaignOptions {
    /// Two texts are near-duplicates when their signatures agree in at least this share of bins (0–1).
    pub similarity: f32,
    /// A contact carried by more records than this links none of them.
    pub max_contact_records: u32,
}

impl Default for CampaignOptions {
    fn default() -> Self {
        CampaignOptions { similarity: 0.5, max_contact_records: 50 }
    }
}

/// A contact as the campaign builder keeps it: once, however many records carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactEntry {
    pub kind: ContactKind,
    pub value: String,
    /// Records that carry it (among all records added).
    pub records: u32,
}

/// A contact shared by two or more records of one campaign. Contacts that link as one (a number given for calls in
/// one record and for WhatsApp in another: [`crate::contacts::link_key`]) are one shared contact, shown in the form
/// most records of the input give it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedContact {
    pub kind: ContactKind,
    pub value: String,
    /// Records of the campaign that carry it (in any of its forms).
    pub records: u32,
    /// Records of the whole input that carry it (in any of its forms).
    pub total: u32,
    /// Whether it joined records (false for a contact over the `max_contact_records` limit, or a link or domain
    /// between records not labelled lure).
    pub linked: bool,
}

/// One campaign: its records (indices in the order added, ascending) and the contacts they share.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Campaign {
    /// Numbered from 1 in order of the campaign's first record.
    pub id: u32,
    pub members: Vec<u32>,
    /// Contacts carried by two or more members, most carried first.
    pub shared_contacts: Vec<SharedContact>,
}

struct Entry {
    signature: Signature,
    contacts: Box<[u32]>,
    lure: Option<bool>,
}

/// Collects records one at a time (signature and contacts only, not their text), then groups them.
pub struct CampaignBuilder {
    options: CampaignOptions,
    records: Vec<Entry>,
    contact_ids: HashMap<(ContactKind, Box<str>), u32>,
    contacts: Vec<ContactEntry>,
}

impl CampaignBuilder {
    pub fn new(options: CampaignOptions) -> Self {
        CampaignBuilder { options, records: Vec::new(), contact_ids: HashMap::new(), contacts: Vec::new() }
    }

    /// Adds a record; returns its index (0, 1, …). `lure`: the record's label, if known.
    pub fn add(&mut self, record: &Record, contacts: &[Contact], lure: Option<bool>) -> u32 {
        self.add_signed(Signature::of(record), contacts, lure)
    }

    /// Adds a record whose signature was computed already (in parallel, say).
    pub fn add_signed(&mut self, signature: Signature, contacts: &[Contact], lure: Option<bool>) -> u32 {
        let mut ids: Vec<u32> = Vec::with_capacity(contacts.len());
        for contact in contacts {
            let id = self.intern(contact.kind, &contact.value);
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        for &id in &ids {
            self.contacts[id as usize].records += 1;
        }
        self.records.push(Entry { signature, contacts: ids.into_boxed_slice(), lure });
        u32::try_from(self.records.len() - 1).expect("at most 4 billion records")
    }

    /// Adds a record that could not be read: a campaign of its own.
    pub fn add_unreadable(&mut self) -> u32 {
        self.add_signed(Signature([u32::MAX; HASHES]), &[], None)
    }

    fn intern(&mut self, kind: ContactKind, value: &str) -> u32 {
        if let Some(&id) = self.contact_ids.get(&(kind, Box::from(value))) {
            return id;
        }
        let id = u32::try_from(self.contacts.len()).expect("at most 4 billion contacts");
        self.contact_ids.insert((kind, Box::from(value)), id);
        self.contacts.push(ContactEntry { kind, value: value.to_string(), records: 0 });
        id
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Groups the records.
    pub fn finish(self) -> Campaigns {
        let CampaignBuilder { options, records, contact_ids, contacts } = self;
        drop(contact_ids);
        let mut sets = UnionFind::new(records.len());
        join_near_duplicates(&records, options.similarity, &mut sets);
        let links = join_shared_contacts(&records, &contacts, &options, &mut sets);

        // Campaign numbers in order of first record.
        let mut number_of_root: HashMap<u32, u32> = HashMap::new();
        let mut campaign_of = Vec::with_capacity(records.len());
        let mut members: Vec<Vec<u32>> = Vec::new();
        for index in 0..records.len() as u32 {
            let root = sets.find(index);
            let next = members.len() as u32;
            let number = *number_of_root.entry(root).or_insert(next);
            if number == next {
                members.push(Vec::new());
            }
            members[number as usize].push(index);
            campaign_of.push(number);
        }
        drop(number_of_root);

        let campaigns = members
            .into_iter()
            .enumerate()
            .map(|(i, members)| {
                let shared_contacts =
                    if members.len() > 1 { shared_contacts(&members, &records, &contacts, &links) } else { Vec::new() };
                Campaign { id: i as u32 + 1, members, shared_contacts }
            })
            .collect();
        let record_contacts = records.into_iter().map(|r| r.contacts).collect();
        Campaigns { campaign_of, campaigns, contacts, record_contacts }
    }
}

/// Unions records whose signatures share a band and agree in at least `similarity` of their bins.
fn join_near_duplicates(records: &[Entry], similarity: f32, sets: &mut UnionFind) {
    let rows = rows_for(similarity);
    let mut keys: Vec<(u64, u32)> = Vec::with_capacity(records.len());
    for band in 0..HASHES / rows {
        keys.clear();
        for (i, record) in records.iter().enumerate() {
            if !record.signature.is_empty() {
                let bins = &record.signature.0[band * rows..(band + 1) * rows];
                let key = bins.iter().fold(band as u64, |h, &v| (h ^ v as u64).wrapping_mul(0x0000_0100_0000_01b3));
                keys.push((key, i as u32));
            }
        }
        keys.sort_unstable();
        for run in keys.chunk_by(|a, b| a.0 == b.0) {
            let first = run[0].1;
            let mut previous = first;
            for &(_, i) in &run[1..] {
                let close =
                    |j: u32| records[j as usize].signature.similarity(&records[i as usize].signature) >= similarity;
                if close(first) {
                    sets.union(first, i);
                } else if close(previous) {
                    sets.union(previous, i);
                }
                previous = i;
            }
        }
    }
}

/// How contacts link: each contact's link key (numbered), and per key the records carrying it and whether it linked.
struct Links {
    key_of: Vec<u32>,
    key_records: Vec<u32>,
    key_linked: Vec<bool>,
}

/// Unions records through the contacts allowed to link (see the module docs).
fn join_shared_contacts(
    records: &[Entry],
    contacts: &[ContactEntry],
    options: &CampaignOptions,
    sets: &mut UnionFind,
) -> Links {
    // Contacts with one link key (a number given for WhatsApp and for calls) are one: count records per key.
    let mut key_ids: HashMap<String, u32> = HashMap::new();
    let key_of: Vec<u32> = contacts
        .iter()
        .map(|c| {
            let next = key_ids.len() as u32;
            *key_ids.entry(link_key(c.kind, &c.value)).or_insert(next)
        })
        .collect();
    let key_of = national_as_international(key_of, &key_ids);
    let keys = key_ids.len();
    drop(key_ids);

    // Records of each key (compressed rows), each record once per key.
    let mut per_record: Vec<u32> = Vec::new();
    let mut count = vec![0u32; keys];
    let record_keys = |record: &Entry, out: &mut Vec<u32>| {
        out.clear();
        out.extend(record.contacts.iter().map(|&c| key_of[c as usize]));
        out.sort_unstable();
        out.dedup();
    };
    for record in records {
        record_keys(record, &mut per_record);
        for &k in &per_record {
            count[k as usize] += 1;
        }
    }
    let mut start = vec![0usize; keys + 1];
    for k in 0..keys {
        start[k + 1] = start[k] + count[k] as usize;
    }
    let mut filled = start.clone();
    let mut members = vec![0u32; start[keys]];
    for (i, record) in records.iter().enumerate() {
        record_keys(record, &mut per_record);
        for &k in &per_record {
            members[filled[k as usize]] = i as u32;
            filled[k as usize] += 1;
        }
    }
    drop(filled);

    let weak_kind: Vec<bool> = {
        let mut weak = vec![false; keys];
        for (c, contact) in contacts.iter().enumerate() {
            if matches!(contact.kind, ContactKind::Url | ContactKind::Domain) {
                weak[key_of[c] as usize] = true;
            }
        }
        weak
    };
    let mut key_linked = vec![false; keys];
    for k in 0..keys {
        let holders = &members[start[k]..start[k + 1]];
        if holders.len() < 2 || holders.len() > options.max_contact_records as usize {
            continue;
        }
        let eligible: Vec<u32> = if weak_kind[k] {
            holders.iter().copied().filter(|&i| records[i as usize].lure == Some(true)).collect()
        } else {
            holders.to_vec()
        };
        for pair in eligible.windows(2) {
            sets.union(pair[0], pair[1]);
            key_linked[k] = true;
        }
    }
    Links { key_of, key_records: count, key_linked }
}

/// `key_of` with each number written nationally (`tel:0812345678`, kept as digits without `--region`) given the key
/// of the one international number of the input it can be (`tel:+62812345678`), so that a lure's `0812…` and its
/// repost's `+62 812…` link. A number that two or more countries' numbers of the input fit stays apart: which one it
/// is, the text does not say.
fn national_as_international(mut key_of: Vec<u32>, key_ids: &HashMap<String, u32>) -> Vec<u32> {
    let mut as_international: HashMap<u32, u32> = HashMap::new();
    for (key, &id) in key_ids {
        let Some(national) = key.strip_prefix("tel:").filter(|n| n.starts_with('0')) else { continue };
        let mut found = crate::contacts::international_forms(national).filter_map(|f| key_ids.get(&format!("tel:{f}")));
        if let (Some(&international), None) = (found.next(), found.next()) {
            as_international.insert(id, international);
        }
    }
    for key in &mut key_of {
        if let Some(&international) = as_international.get(key) {
            *key = international;
        }
    }
    key_of
}

/// The contacts that two or more of `members` carry, one per link key, each record counted once per key, most
/// shared first; each is shown as the form of it that the most records of the input carry (the first added, on a
/// tie).
fn shared_contacts(members: &[u32], records: &[Entry], contacts: &[ContactEntry], links: &Links) -> Vec<SharedContact> {
    let mut counts: HashMap<u32, u32> = HashMap::new();
    let mut shown: HashMap<u32, u32> = HashMap::new();
    let mut keys = Vec::new();
    for &m in members {
        keys.clear();
        for &c in records[m as usize].contacts.iter() {
            let k = links.key_of[c as usize];
            keys.push(k);
            let form = shown.entry(k).or_insert(c);
            let (best, this) = (&contacts[*form as usize], &contacts[c as usize]);
            if this.records > best.records || (this.records == best.records && c < *form) {
                *form = c;
            }
        }
        keys.sort_unstable();
        keys.dedup();
        for &k in &keys {
            *counts.entry(k).or_default() += 1;
        }
    }
    let mut shared: Vec<(u32, u32, u32)> =
        counts.into_iter().filter(|&(_, n)| n > 1).map(|(k, n)| (shown[&k], n, k)).collect();
    shared.sort_unstable_by_key(|&(c, n, _)| (std::cmp::Reverse(n), c));
    shared
        .into_iter()
        .map(|(c, n, k)| {
            let contact = &contacts[c as usize];
            SharedContact {
                kind: contact.kind,
                value: contact.value.clone(),
                records: n,
                total: links.key_records[k as usize],
                linked: links.key_linked[k as usize],
            }
        })
        .collect()
}

/// The campaigns of every record added, and the contacts each record carries.
pub struct Campaigns {
    campaign_of: Vec<u32>,
    campaigns: Vec<Campaign>,
    contacts: Vec<ContactEntry>,
    record_contacts: Vec<Box<[u32]>>,
}

impl Campaigns {
    /// The campaign number (from 1) of record `index`.
    pub fn campaign_of(&self, index: u32) -> u32 {
        self.campaign_of[index as usize] + 1
    }

    /// Campaign number `id` (from 1).
    pub fn campaign(&self, id: u32) -> &Campaign {
        &self.campaigns[id as usize - 1]
    }

    /// Every campaign, in order of their first record; one-record campaigns included.
    pub fn iter(&self) -> impl Iterator<Item = &Campaign> {
        self.campaigns.iter()
    }

    /// Number of campaigns.
    pub fn len(&self) -> usize {
        self.campaigns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.campaigns.is_empty()
    }

    /// The contacts record `index` carries, in the order they were given to [`CampaignBuilder::add`].
    pub fn contacts_of(&self, index: u32) -> impl Iterator<Item = &ContactEntry> {
        self.record_contacts[index as usize].iter().map(|&c| &self.contacts[c as usize])
    }
}

/// Disjoint sets with path halving and union by size.
struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind { parent: (0..n as u32).collect(), size: vec![1; n] }
    }

    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grandparent = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grandparent;
            x = grandparent;
        }
        x
    }

    fn union(&mut self, a: u32, b: u32) {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        let (big, small) = if self.size[a as usize] >= self.size[b as usize] { (a, b) } else { (b, a) };
        self.parent[small as usize] = big;
        self.size[big as usize] += self.size[small as usize];
    }
}
