//! Registered domains: the part of a host name someone registered (`hr-jobs.example.com.kh` → `example.com.kh`),
//! found with the Public Suffix List, so that `careers.acme.co.uk` and `jobs.acme.co.uk` meet at `acme.co.uk`
//! while two blogs on `blogspot.com` stay apart.

use std::collections::HashSet;
use std::sync::OnceLock;

/// The list shipped with the crate (`src/contacts/public_suffix_list.dat`, MPL 2.0, from Debian's `publicsuffix`).
const LIST: &str = include_str!("public_suffix_list.dat");

struct Rules {
    /// Plain suffixes (`com`, `co.uk`, `blogspot.com`).
    exact: HashSet<&'static str>,
    /// Suffixes under which every label is a public suffix (`ck` for `*.ck`).
    wildcard: HashSet<&'static str>,
    /// Exceptions to a wildcard (`www.ck` for `!www.ck`): registrable themselves.
    exception: HashSet<&'static str>,
}

fn rules() -> &'static Rules {
    static RULES: OnceLock<Rules> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules = Rules { exact: HashSet::new(), wildcard: HashSet::new(), exception: HashSet::new() };
        for line in LIST.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//")) {
            if let Some(rest) = line.strip_prefix("*.") {
                rules.wildcard.insert(rest);
            } else if let Some(rest) = line.strip_prefix('!') {
                rules.exception.insert(rest);
            } else {
                rules.exact.insert(line);
            }
        }
        rules
    })
}

/// True when `label` is a top-level domain the list knows (`com`, `kh`, `top`, `移动`): used to tell a real domain
/// or e-mail address from words joined by dots ("salary.negotiable").
pub fn is_known_tld(label: &str) -> bool {
    let label = label.to_lowercase();
    let rules = rules();
    rules.exact.contains(label.as_str()) || rules.wildcard.contains(label.as_str())
}

/// The public suffix of a lowercase host (`com.kh` for `jobs.example.com.kh`); the last label when no rule matches
/// (the list's default rule `*`).
pub fn public_suffix(host: &str) -> &str {
    let rules = rules();
    let labels: Vec<usize> = std::iter::once(0).chain(host.match_indices('.').map(|(i, _)| i + 1)).collect::<Vec<_>>();
    // From the longest candidate to the shortest: the first (longest) matching rule wins; an exception beats a
    // wildcard and makes its own parent the suffix.
    for &start in &labels {
        let candidate = &host[start..];
        if rules.exception.contains(candidate) {
            return candidate.split_once('.').map_or(candidate, |(_, parent)| parent);
        }
        if rules.exact.contains(candidate) {
            return candidate;
        }
        if let Some((_, parent)) = candidate.split_once('.') {
            if rules.wildcard.contains(parent) {
                return candidate;
            }
        }
    }
    labels.last().map_or(host, |&start| &host[start..])
}

/// The registered domain of `host` (lowercased, a trailing dot dropped): its public suffix and one more label.
/// `None` when the host is itself a public suffix, is an IP address, or is not a host name.
///
/// ```
/// use lurescan::contacts::registered_domain;
/// assert_eq!(registered_domain("careers.Example.co.uk").as_deref(), Some("example.co.uk"));
/// assert_eq!(registered_domain("hr-asia.blogspot.com").as_deref(), Some("hr-asia.blogspot.com"));
/// assert_eq!(registered_domain("com.kh"), None);
/// ```
pub fn registered_domain(host: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_lowercase();
    if host.is_empty()
        || host.starts_with('.')
        || host.contains("..")
        || host.split('.').all(|label| label.chars().all(|c| c.is_ascii_digit()))
        || !host.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.')
    {
        return None;
    }
    let suffix = public_suffix(&host);
    if suffix.len() >= host.len() {
        return None;
    }
    let rest = &host[..host.len() - suffix.len() - 1];
    let label = rest.rsplit('.').next().unwrap_or(rest);
    if label.is_empty() {
        return None;
    }
    Some(format!("{label}.{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_domains_follow_the_list() {
        assert_eq!(registered_domain("www.example.com").as_deref(), Some("example.com"));
        assert_eq!(registered_domain("a.b.example.com.kh").as_deref(), Some("example.com.kh"));
        assert_eq!(registered_domain("jobs.example.co.th").as_deref(), Some("example.co.th"));
        assert_eq!(registered_domain("tuyendung.example.com.vn.").as_deref(), Some("example.com.vn"));
        // Wildcard and exception rules: every `*.ck` is a suffix, but `www.ck` is registrable.
        assert_eq!(registered_domain("shop.foo.bar.ck").as_deref(), Some("foo.bar.ck"));
        assert_eq!(registered_domain("www.ck").as_deref(), Some("www.ck"));
        // Unknown TLD: the default rule takes the last label as the suffix.
        assert_eq!(registered_domain("x.example.notatld").as_deref(), Some("example.notatld"));
        assert_eq!(registered_domain("co.uk"), None);
        assert_eq!(registered_domain("192.168.1.1"), None);
        assert_eq!(registered_domain("bad host.com"), None);
    }

    #[test]
    fn known_top_level_domains() {
        assert!(is_known_tld("com") && is_known_tld("KH") && is_known_tld("top"));
        assert!(!is_known_tld("negotiable") && !is_known_tld("pdf"));
    }
}
