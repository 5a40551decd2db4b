//! Runs of Latin letters and digits: numbers written with letters (`5OO`), and digits written for letters (`h0me`).

/// Reads each run of Latin letters and digits: `5OO` as `500`, `h0me` as `home`.
pub(super) fn read_runs(chars: &mut [char]) {
    let mut start = 0;
    while start < chars.len() {
        let len = chars[start..].iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        if len == 0 {
            start += 1;
            continue;
        }
        // `5,OOO` and `Rp 5OO.OOO`: letters O after a digit and a thousands separator.
        let after_separator = start >= 2 && matches!(chars[start - 1], '.' | ',') && chars[start - 2].is_ascii_digit();
        let run = &mut chars[start..start + len];
        if after_separator && run.iter().all(|c| matches!(c, 'O' | 'o')) {
            run.fill('0');
        } else if !read_amount(run) {
            digits_as_letters(run);
        }
        start += len;
    }
}

/// Reads a run that starts with a digit and has no letter but `O`/`o`, and `l`/`I` between two digits, before an
/// optional unit (`5OO`, `3OOk`, `1OOO`, the `9l7` of a phone number) as a number; whether it was one. (`2l` and
/// `10lbs` are a quantity and a word.)
fn read_amount(run: &mut [char]) -> bool {
    if !run[0].is_ascii_digit() {
        return false;
    }
    let digit_like = |i: usize| {
        let c = run[i];
        c.is_ascii_digit()
            || matches!(c, 'O' | 'o')
            || (matches!(c, 'l' | 'I') && run.get(i + 1).is_some_and(char::is_ascii_digit))
    };
    let number = (0..run.len()).take_while(|&i| digit_like(i)).count();
    let unit: String = run[number..].iter().map(char::to_ascii_lowercase).collect();
    if number < run.len() && !UNITS.contains(&unit.as_str()) {
        return false;
    }
    for c in run[..number].iter_mut().filter(|c| !c.is_ascii_digit()) {
        *c = if matches!(c, 'l' | 'I') { '1' } else { '0' };
    }
    true
}

/// What follows an amount or a count glued to it (`3k`, `5jt`, `7pm`, `1st`, `2days`); a digit before one of these
/// (of two letters or more, or `k` after a word) is a number, not a letter (`usd3k`, `gaji3jt`, `Rp5juta`, `at7pm`,
/// `June1st`, `earn5k`).
const UNITS: [&str; 52] = [
    "k", "m", "b", "jt", "juta", "rb", "ribu", "tr", "trieu", "usd", "usdt", "php", "sgd", "thb", "vnd", "myr", "idr",
    "rm", "rp", "rmb", "baht", "yuan", "peso", "pesos", "dollar", "dollars", "am", "pm", "h", "hr", "hrs", "min",
    "mins", "st", "nd", "rd", "th", "x", "kg", "km", "cm", "mm", "gb", "mb", "day", "days", "hari", "bulan", "jam",
    "ngay", "week", "weeks",
];

/// Currency codes and signs written before an amount glued to them (`usd3`, `rm4k`, `Rp5juta`).
const CURRENCIES: [&str; 16] =
    ["rp", "rm", "usd", "usdt", "php", "idr", "myr", "sgd", "thb", "vnd", "hkd", "aud", "eur", "gbp", "inr", "rmb"];

/// Reads the digits of a run of letters as the letters they stand for, where the run looks like a disguised word:
/// at most [`MAX_DIGITS`] digits, each alone between two letters (or `00`, `11`: `g00d`, `fo11ow`), and letters in
/// one case shape (`word`, `Word`, `WORD`). Random ids (`H9CMNjtZ1r6`), words glued to numbers (`CSS3Experience`,
/// `HTML5`, `3mins`, `usd3k`) and codes (`ST5K`, `W1J6HL`) are not.
fn digits_as_letters(run: &mut [char]) {
    let letters: Vec<char> = run.iter().copied().filter(char::is_ascii_alphabetic).collect();
    let digits = run.len() - letters.len();
    if digits == 0 || digits > MAX_DIGITS || run.len() > MAX_RUN {
        return;
    }
    let upper = letters.iter().all(char::is_ascii_uppercase);
    let one_case = upper || letters[1..].iter().all(char::is_ascii_lowercase);
    let original: Vec<char> = run.to_vec();
    let lowercase: String = original.iter().map(char::to_ascii_lowercase).collect();
    if NAMES_WITH_DIGITS.iter().any(|name| lowercase.starts_with(name)) {
        return;
    }
    // `1ncome`, `1nvest`: many words begin with `in` and a consonant, few counts are glued to a word that begins
    // with `n` and a consonant (`1night` and `1ngay`, one day, stay).
    let consonant = |c: char| c.is_ascii_lowercase() && !is_vowel(c);
    if one_case && run.len() >= 4 && run[..2] == ['1', 'n'] && consonant(run[2]) && run[2] != 'g' {
        run[0] = 'i';
    }
    if !one_case || !run[0].is_ascii_alphabetic() {
        return;
    }
    let mut i = 1;
    while i < run.len() {
        let group = original[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if group == 0 {
            i += 1;
            continue;
        }
        let (digit, before, after) = (original[i], original[i - 1], original.get(i + group).copied());
        let doubled = group == 2 && original[i + 1] == digit && matches!(digit, '0' | '1');
        let Some(after) = after.filter(|c| c.is_ascii_alphabetic() && (group == 1 || doubled)) else {
            i += group;
            continue;
        };
        let left: String = original[..i].iter().map(char::to_ascii_lowercase).collect();
        let right: String = original[i + group..].iter().map(char::to_ascii_lowercase).collect();
        // Two words glued to a number (`least5times`, `Proses1hari`): four letters or more on both sides.
        let glued = left.len() >= 4 && right.len() >= 4;
        // One-letter units other than `k` read as letters here (`fr0m`, `j0b`); `k` after a word and a digit
        // other than 0 (`earn5k`, not `Faceb00k`).
        let unit =
            UNITS.contains(&right.as_str()) && (right.len() >= 2 || (right == "k" && left.len() >= 3 && digit != '0'));
        let amount = unit || CURRENCIES.iter().any(|c| left.ends_with(c));
        let dimensions = after == 'x' && original.get(i + group + 1).is_some_and(char::is_ascii_digit); // `4x6`
        if glued || amount || dimensions {
            i += group;
            continue;
        }
        // 3, 4, 5 and 7 also stand for themselves in names (`log4j`, `Pixel7a`, `mp3player`, `gpt4all`): read only
        // with two letters or more after them and letters before them that could begin a word, in words of at most
        // six letters (`e4rn`, `w4tch`, `t4sk`) and, for 3 and 4, in longer words not in capitals (`tr4ining`,
        // `t3legram`, `inv3stment`).
        let fits = right.len() >= 2 && could_begin_word(&run[..i]);
        let short = fits && letters.len() >= if upper { 5 } else { 3 } && letters.len() <= 6;
        let long = fits && !upper && letters.len() > 6;
        let read = match digit {
            '0' => Some('o'),
            // Capitals: codes (`ST5K`, `D1EU`) use every digit; shouted spam swaps O for 0 (`BL0CKED`), and in
            // longer words E and A for 3 and 4 (`T3L3GRAM`).
            '1' if upper => None,
            '1' if one_is_l(before, after) => Some('l'),
            '1' => Some('i'),
            '3' if short || long => Some('e'),
            '4' if short || long => Some('a'),
            '5' if !upper && short => Some('s'),
            '7' if !upper && short => Some('t'),
            _ => None,
        };
        if let Some(read) = read {
            run[i..i + group].fill(if upper { read.to_ascii_uppercase() } else { read });
        }
        i += group;
    }
    // A word has a vowel; a run that still has none was an abbreviation or an amount (`Rp7rb`), not a disguise.
    if !run.iter().any(|&c| is_vowel(c)) {
        run.copy_from_slice(&original);
    }
}

/// Names whose digit is no disguise, at the start of a word: the W3C's (`w3schools`), web3's (`web3jobs`) and
/// log4j's (`log4net`, `log4shell`).
const NAMES_WITH_DIGITS: [&str; 3] = ["w3school", "web3", "log4"];

/// Whether `letters`, the letters (and digits read as letters) before a 3, 4, 5 or 7, could begin a word: they have a
/// vowel (`inv3stment`), or are one consonant (`t3legram`) or a cluster that begins words (`tr4ining`, `wh4tsapp`,
/// `str4tegy`, `kh4ch`), not `mp` or `gpt` (`mp3player`, `gpt4all`).
fn could_begin_word(letters: &[char]) -> bool {
    let letters: String = letters.iter().map(char::to_ascii_lowercase).collect();
    letters.chars().any(is_vowel) || letters.len() == 1 || ONSETS.contains(&letters.as_str())
}

/// The clusters of two and three consonants that begin English words, and Vietnamese ones written without their
/// marks (`kh4ch` for `khách`, `nh4nh`, `ngh3`).
const ONSETS: [&str; 43] = [
    "bl", "br", "ch", "cl", "cr", "dr", "fl", "fr", "gl", "gr", "kl", "kn", "kr", "ph", "pl", "pr", "sc", "sh", "sk",
    "sl", "sm", "sn", "sp", "st", "sw", "th", "tr", "tw", "wh", "wr", "chr", "sch", "scr", "shr", "spl", "spr", "str",
    "thr", "gh", "kh", "ng", "nh", "ngh",
];

/// Whether a `1` between the letters `before` and `after` stands for `l` rather than `i`, from how often English
/// writes each between those two letters. Counted over the inner i's and l's of the words of the pool's training
/// texts, this guess is right for 94.7% of them (94.4% of those in lures), where "`l` after a vowel or before `y`"
/// was right for 84.0% (83.1%).
///
/// `l` before `y`, `i` and `u`, which rarely follow `i` (`app1y`, `c1ick`, `p1us`, `mi11ion`). After any other vowel
/// `l` too (`he1p`, `te1egram`, `sa1ary`, `we1come`), except before `n` and `r` (`tra1ning`, `jo1n`, `the1r`) and in
/// [`I_AFTER_VOWEL`]. After a consonant `i` (`L1ke`, `fr1end`, `commiss1on`, `ent1tled`, `onl1ne`), except in
/// [`L_AFTER_CONSONANT`]. Between a vowel and `l` both are common and `l` is right more often (`a1l`, `ca1l`,
/// `fo1low`), which reads `da1ly` as `dally` and `ema1l` as `emall`.
fn one_is_l(before: char, after: char) -> bool {
    let pair = (before.to_ascii_lowercase(), after.to_ascii_lowercase());
    if matches!(pair.1, 'y' | 'i' | 'u') {
        true
    } else if is_vowel(pair.0) {
        !matches!(pair.1, 'n' | 'r') && !I_AFTER_VOWEL.contains(&pair)
    } else {
        L_AFTER_CONSONANT.contains(&pair)
    }
}

/// A vowel and a consonant that English writes with `i` between them far more often than with `l`: `pa1d`,
/// `campa1gn`, `cla1m`, `fore1gn`, `rece1ve`, `vo1ce`, `qu1ck`, `equ1pment`, `equ1valent`.
const I_AFTER_VOWEL: [(char, char); 9] =
    [('a', 'd'), ('a', 'g'), ('a', 'm'), ('e', 'g'), ('e', 'v'), ('o', 'c'), ('u', 'c'), ('u', 'p'), ('u', 'v')];

/// A consonant and a vowel that English writes with `l` between them far more often than with `i` (in the clusters
/// `bl`, `cl`, `fl`, `gl`, `kl`, `pl` and `wl`): `ab1e`, `goog1e`, `p1ease`, `know1edge`, `b1og`, `c1ose`, `f1ow`,
/// `g1obal`, `work1oad`, `p1an`, `f1at`. Not `c` before `a` or `e` (`soc1al`, `sc1ence`), `f` before `e` (`f1eld`,
/// `certif1ed`) or `g` before `a` (`Georg1a`), which are more often `i`.
const L_AFTER_CONSONANT: [(char, char); 12] = [
    ('b', 'e'),
    ('g', 'e'),
    ('p', 'e'),
    ('w', 'e'),
    ('b', 'o'),
    ('c', 'o'),
    ('f', 'o'),
    ('g', 'o'),
    ('k', 'o'),
    ('p', 'o'),
    ('f', 'a'),
    ('p', 'a'),
];

/// A vowel, counting `y`.
pub(super) fn is_vowel(c: char) -> bool {
    matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// The most digits a disguised word has (`c0ntact`, `t4sk`, `w0rk1ng`); more, and it is an id or a code.
const MAX_DIGITS: usize = 2;
/// The longest run of letters and digits read as a disguised word; longer ones are ids and hashes.
const MAX_RUN: usize = 16;

#[cfg(test)]
mod tests {
    use crate::deobfuscate::deobfuscate;
    use std::borrow::Cow;

    fn d(text: &str) -> String {
        deobfuscate(text).into_owned()
    }

    #[test]
    fn reads_digits_as_the_letters_they_stand_for() {
        assert_eq!(d("W0rk fr0m h0me, L1ke v1deos, dai1y 1ncome"), "Work from home, Like videos, daily income");
        assert_eq!(d("he1p a fr1end, we1come, cl1ent, soc1al med1a"), "help a friend, welcome, client, social media");
        assert_eq!(d("g00d Faceb00k, fo11ow, mi11ion"), "good Facebook, follow, million");
        assert_eq!(d("W0RK, T3L3GR4M, 𝐖𝐨𝐫𝐤 𝐟𝐫𝐨𝐦 𝐡𝐨𝐦𝐞, Ｗｏｒｋ ５００"), "WORK, T3L3GR4M, Work from home, Work 500");
        assert_eq!(d("add te1egram, app1y now, w0rk1ng"), "add telegram, apply now, working");
        assert_eq!(d("J0B for y0u, c0ntact HR, BL0CKED"), "JOB for you, contact HR, BLOCKED");
        assert_eq!(d("w4tch and e4rn, t4sk, w3ek, w3bsite, kh4ch"), "watch and earn, task, week, website, khach");
        assert_eq!(
            d("tr4ining, T3legram, inv3stment, wh4tsapp, m4rketing, c4shback, str4tegy, k3yboard"),
            "training, Telegram, investment, whatsapp, marketing, cashback, strategy, keyboard"
        );
    }

    /// Common words of job ads, lures and chat with one `i` or `l` written as `1`: which `1` is a guess from the
    /// letters on either side ([`one_is_l`](super::one_is_l)), and most are read right.
    #[test]
    fn reads_1_as_i_or_l_from_its_neighbours() {
        for (written, read) in [
            ("tra1ning", "training"),
            ("commiss1on", "commission"),
            ("ent1tled", "entitled"),
            ("onl1ne", "online"),
            ("on1ine", "online"),
            ("c1ick", "click"),
            ("cl1ck", "click"),
            ("L1ke", "Like"),
            ("s1mple", "simple"),
            ("simp1e", "simple"),
            ("sa1ary", "salary"),
            ("lik1ng", "liking"),
            ("mob1le", "mobile"),
            ("mobi1e", "mobile"),
            ("te1egram", "telegram"),
            ("app1y", "apply"),
            ("leg1t", "legit"),
            ("b1ll", "bill"),
            ("bi1l", "bill"),
            ("he1p", "help"),
            ("dai1y", "daily"),
            ("emai1s", "emails"),
            ("pa1d", "paid"),
            ("we1come", "welcome"),
            ("p1ease", "please"),
            ("peop1e", "people"),
            ("goog1e", "google"),
            ("g1obal", "global"),
            ("c1ose", "close"),
            ("f1ow", "flow"),
            ("p1atform", "platform"),
            ("bus1ness", "business"),
            ("pos1tion", "position"),
            ("soc1al", "social"),
            ("med1a", "media"),
            ("jo1n", "join"),
            ("the1r", "their"),
            ("rece1ve", "receive"),
            ("vo1ce", "voice"),
            ("qu1ck", "quick"),
            ("cl1ent", "client"),
            ("c1ient", "client"),
            ("fr1end", "friend"),
            ("ski1ls", "skills"),
            ("mil1ion", "million"),
            ("fo11ow", "follow"),
            ("inv1te", "invite"),
            ("w1thdraw", "withdraw"),
            ("prof1t", "profit"),
            ("f1nance", "finance"),
            ("reg1ster", "register"),
            ("week1y", "weekly"),
            ("rea1ly", "really"),
            ("1nvest", "invest"),
            ("1ncome", "income"),
        ] {
            assert_eq!(d(written), read, "{written}");
        }
        // Read wrong: between these letters the other of `i` and `l` is the more common.
        for (written, read) in [
            ("da1ly", "dally"),
            ("ema1l", "emall"),
            ("ava1lable", "avallable"),
            ("deta1l", "detall"),
            ("bu1ld", "bulld"),
            ("f1exible", "fiexible"),
            ("c1ass", "ciass"),
            ("wor1d", "worid"),
            ("hel1o", "helio"),
            // Four letters or more on both sides: read as two words glued to a number (`least5times`).
            ("comm1ssion", "comm1ssion"),
        ] {
            assert_eq!(d(written), read, "{written}");
        }
    }

    #[test]
    fn reads_letters_as_digits_in_numbers() {
        assert_eq!(d("earn $3OO a day, 5OO-1OOO daily"), "earn $300 a day, 500-1000 daily");
        assert_eq!(d("Rp 5OO.OOO, 5,OOO, 3OOk, 1O0tr"), "Rp 500.000, 5,000, 300k, 100tr");
        assert_eq!(d("O2 and Oasis"), "O2 and Oasis");
        assert_eq!(d("WhatsApp +63 9l7 123 4567, 08l2 345 6789"), "WhatsApp +63 917 123 4567, 0812 345 6789");
        assert_eq!(d("2l water, 10lbs, 85I24L, 35l3pEN"), "2l water, 10lbs, 85I24L, 35l3pEN");
    }

    #[test]
    fn leaves_ordinary_alphanumerics_alone() {
        for text in [
            "4th floor, 1st shift, 3rd party, 2nd round",
            "mp3 B2B G4S COVID19 Win10 24h 5G A4 i7 x86 P2P HTML5, Trace3 nama1 3mins 4info ST5K TV7K YT4P",
            "usd3k rm4k Rp5juta gaji3jt earn5k only5usd php3k at7pm June1st log4j gpt4o Pixel7a w3schools",
            "Rp7rb D1EU QJE1AGKEYH Proses1hari least5times photo4x6 line5c.me club4mobiles.com MySQLΓνώση",
            "CSS3Experience H9CMNjtZ1r6 PReCTjZ0mJK TB-Ky1T01 W1J6HL M7H7R47 c0mm1ss10n",
            "w3schools web3jobs log4shell log4net mp3player mp4videos gpt4all ps4games TR4INING T3LEGRAM pixel7pro",
            "bit.ly/3qAVUke #URL_0fa3f7c5e23a16de# #EMAIL_c9b5d8a60f3d# http://x.co/?a=b0b wa.me/6281234",
            "call 0812345678 or +66 81 234 5678 before 5pm, ref AB12CD",
            "Rp 50.000/hari, 1.000.000 VND, 10:30, 2024-05-01",
            "U.S. e.g. a.m. p.m. i.e. co-op self-employed well-known",
        ] {
            assert_eq!(d(text), text);
        }
        assert!(matches!(deobfuscate("plain words only"), Cow::Borrowed(_)));
        assert!(matches!(deobfuscate("4th floor, 9am"), Cow::Borrowed(_)));
    }
}
