//! HTML left in scraped text. A scraper that takes a post's HTML rather than its text hands over `Salary 40000
//! baht.<br>Free housing.<br>Contact t&#46;me/hr`: the tags and character references are no words of the post, and the
//! models, the indicator patterns and the contact scanner, written for the text a reader sees, missed the lure in
//! them (one such lure scored 0.56 as text and 0.07 to 0.23 in four HTML spellings). [`Markup`] reads such a text as
//! a browser shows it: a tag that breaks a line (`<br>`, `<p>`, `<div>`, `<li>`, …) as a line break, a cell of a table
//! or a link as a space, any other known tag (`<b>`, `<span>`) and comments as nothing, the content of `<script>`
//! and `<style>` as nothing, and a character reference (`&amp;`, `&#46;`, `&#x2E;`, `&nbsp;`) as its character; it
//! keeps the way back to where each character was written.
//!
//! Only what is surely markup is read so: a `<` that starts no known tag (`<3`, `a<b`, `<hr_team>`) and an `&` that
//! starts no known reference (`Q&A`, `&co`) are text.
//!
//! ```
//! use lurescan::markup::Markup;
//!
//! let written = "Salary 40&#44;000 baht.<br>Free <b>housing</b> &amp; food";
//! let text = Markup::new(written);
//! assert_eq!(text.as_read(), "Salary 40,000 baht.\nFree housing & food");
//! let found = text.as_read().find("housing & food").unwrap();
//! assert_eq!(&written[text.span_as_written(found..found + "housing & food".len())], "housing</b> &amp; food");
//! ```

use std::borrow::Cow;
use std::ops::Range;

/// A text with its markup read away, and the way back to the text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markup<'a> {
    text: Cow<'a, str>,
    runs: Runs,
}

impl<'a> Markup<'a> {
    /// `written` as a browser would show it (see the module's documentation); borrowed when it has no markup.
    pub fn new(written: &'a str) -> Self {
        if !written.contains(['<', '&']) {
            return Markup { text: Cow::Borrowed(written), runs: Runs::default() };
        }
        let mut text = String::with_capacity(written.len());
        let mut runs = Runs::default();
        let mut copied = 0;
        let mut at = 0;
        while let Some(offset) = written[at..].find(['<', '&']) {
            let start = at + offset;
            let found =
                if written.as_bytes()[start] == b'<' { tag_at(written, start) } else { reference_at(written, start) };
            let Some((end, read)) = found else {
                at = start + 1;
                continue;
            };
            text.push_str(&written[copied..start]);
            let from = text.len();
            text.push_str(&read.as_str());
            runs.push(from..text.len(), start..end);
            (copied, at) = (end, end);
        }
        if runs.0.is_empty() {
            return Markup { text: Cow::Borrowed(written), runs };
        }
        text.push_str(&written[copied..]);
        Markup { text: Cow::Owned(text), runs }
    }

    /// `written` taken as it is, markup and all: for a text whose markup was read away before.
    pub(crate) fn as_written(written: &'a str) -> Self {
        Markup { text: Cow::Borrowed(written), runs: Runs::default() }
    }

    /// The text as read.
    pub fn as_read(&self) -> &str {
        &self.text
    }

    /// The text as read, owned or borrowed as it was made.
    pub fn into_read(self) -> Cow<'a, str> {
        self.text
    }

    /// Whether some markup was read away.
    pub fn is_changed(&self) -> bool {
        !self.runs.0.is_empty()
    }

    /// The written range of `span` (a range of [`Markup::as_read`] on character boundaries): a tag or reference that
    /// the span starts or ends in is taken whole.
    pub fn span_as_written(&self, span: Range<usize>) -> Range<usize> {
        self.runs.span_as_written(span)
    }
}

/// `text` with its markup read away ([`Markup`]).
pub fn strip(text: &str) -> Cow<'_, str> {
    Markup::new(text).into_read()
}

/// What a piece of markup reads as.
enum Read {
    Nothing,
    Space,
    LineBreak,
    Char(char),
}

impl Read {
    fn as_str(&self) -> Cow<'static, str> {
        match self {
            Read::Nothing => Cow::Borrowed(""),
            Read::Space => Cow::Borrowed(" "),
            Read::LineBreak => Cow::Borrowed("\n"),
            Read::Char(c) => Cow::Owned(c.to_string()),
        }
    }
}

/// Tags after which a browser starts a new line.
const LINE_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Tags between cells of a row, and links: a space. (A link ends where its text does: `t.me/hr</a>2. t.me/ops` is a
/// list of two links, not the account `hr2`.)
const SPACE_TAGS: &[&str] = &["a", "td", "th"];

/// Tags inside a line: nothing.
const INLINE_TAGS: &[&str] = &[
    "abbr", "b", "bdi", "bdo", "big", "body", "center", "cite", "code", "del", "em", "font", "head", "html", "i",
    "img", "ins", "kbd", "label", "mark", "meta", "picture", "q", "s", "samp", "small", "source", "span", "strike",
    "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
];

/// Tags whose content is no text: the content goes with them.
const CONTENT_TAGS: &[&str] = &["script", "style"];

/// The longest tag read as one (attributes included): a `<` with no `>` that near is text.
const MAX_TAG_BYTES: usize = 4096;

/// The tag or comment that starts at byte `start` of `text` (a `<`): where it ends and what it reads as.
fn tag_at(text: &str, start: usize) -> Option<(usize, Read)> {
    let rest = &text[start..];
    if let Some(comment) = rest.strip_prefix("<!--") {
        let end = comment.find("-->")? + "<!--".len() + "-->".len();
        return Some((start + end, Read::Nothing));
    }
    let bytes = rest.as_bytes();
    let name_start = if bytes.get(1) == Some(&b'/') { 2 } else { 1 };
    let name_len = bytes[name_start..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
    let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
    if !matches!(bytes.get(name_start + name_len), Some(b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r')) {
        return None;
    }
    let known = |tags: &[&str]| tags.contains(&name.as_str());
    let read = if known(LINE_TAGS) {
        Read::LineBreak
    } else if known(SPACE_TAGS) {
        Read::Space
    } else if known(INLINE_TAGS) || known(CONTENT_TAGS) {
        Read::Nothing
    } else {
        return None;
    };
    let end = start + tag_end(&bytes[..bytes.len().min(MAX_TAG_BYTES)], name_start + name_len)?;
    if known(CONTENT_TAGS) && name_start == 1 {
        // `<script …>…</script>`: the content too, up to the closing tag (or the end of the text).
        let closing = format!("</{name}");
        let content_end = text[end..].to_ascii_lowercase().find(&closing).map_or(text.len(), |at| end + at);
        let closed = text[content_end..].find('>').map_or(text.len(), |at| content_end + at + 1);
        return Some((closed, Read::Nothing));
    }
    Some((end, read))
}

/// The end (past its `>`) of a tag whose attributes start at byte `from` of `tag`; `None` when another `<` or the end
/// of `tag` comes first, or when what comes before the `>` has words but no `=` (`a<b and c>d` is text, not a `<b>`
/// with two attributes). A `>` inside a quoted attribute value does not end it.
fn tag_end(tag: &[u8], from: usize) -> Option<usize> {
    let (mut quote, mut words, mut assigned) = (None, false, false);
    for (i, &b) in tag.iter().enumerate().skip(from) {
        match (quote, b) {
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return (!words || assigned).then_some(i + 1),
            (None, b'<') => return None,
            (None, b'=') => assigned = true,
            (None, b'/') => {}
            (None, b) if !b.is_ascii_whitespace() => words = true,
            _ => {}
        }
    }
    None
}

/// Named character references read here: those scraped text holds (HTML knows some 2,000 more, left as written).
const NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{00A0}'),
    ("ensp", '\u{2002}'),
    ("emsp", '\u{2003}'),
    ("thinsp", '\u{2009}'),
    ("zwnj", '\u{200C}'),
    ("zwj", '\u{200D}'),
    ("shy", '\u{00AD}'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("hellip", '…'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("bull", '•'),
    ("middot", '·'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("euro", '€'),
    ("pound", '£'),
    ("yen", '¥'),
    ("cent", '¢'),
    ("times", '×'),
    ("deg", '°'),
];

/// The character reference that starts at byte `start` of `text` (an `&`): `&name;` of [`NAMED`], `&#NNN;` or
/// `&#xHH;` of a character other than NUL, a surrogate or a control character other than a line break or tab.
fn reference_at(text: &str, start: usize) -> Option<(usize, Read)> {
    let rest = &text[start + 1..];
    let semicolon = rest.bytes().take(10).position(|b| b == b';')?;
    let name = &rest[..semicolon];
    let c = if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.bytes().all(|b| b.is_ascii_hexdigit()) => u32::from_str_radix(hex, 16),
            None if !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()) => number.parse(),
            _ => return None,
        }
        .ok()?;
        char::from_u32(code).filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))?
    } else {
        NAMED.iter().find(|(known, _)| *known == name).map(|&(_, c)| c)?
    };
    Some((start + 1 + semicolon + 1, Read::Char(c)))
}

/// The way back from a text as read to the text as written, for a reading that replaced some runs of the written
/// text (each by a few bytes, or by nothing) and copied the rest byte for byte.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Runs(Vec<(Range<usize>, Range<usize>)>);

impl Runs {
    /// A replaced run, after those pushed before: where it is in the text as read and where it was written.
    pub(crate) fn push(&mut self, read: Range<usize>, written: Range<usize>) {
        self.0.push((read, written));
    }

    /// The written range of `span` (a range of the text as read on character boundaries): from where its first
    /// character was written to where its last one ends.
    pub(crate) fn span_as_written(&self, span: Range<usize>) -> Range<usize> {
        if self.0.is_empty() || span.is_empty() {
            return span;
        }
        self.byte_as_written(span.start).start..self.byte_as_written(span.end - 1).end
    }

    /// Where byte `at` of the text as read was written: its replaced run, or the byte it was copied from.
    fn byte_as_written(&self, at: usize) -> Range<usize> {
        // The last run that starts at or before `at`; a dropped run at `at` itself comes before the byte copied there.
        let before = self.0.partition_point(|(read, _)| read.start <= at);
        match before.checked_sub(1).map(|i| &self.0[i]) {
            Some((read, written)) if read.contains(&at) => written.clone(),
            Some((read, written)) => {
                let from = written.end + (at - read.end);
                from..from + 1
            }
            None => at..at + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> String {
        strip(text).into_owned()
    }

    #[test]
    fn tags_read_as_a_browser_shows_them() {
        assert_eq!(read("Myawaddy.<br>Salary<BR/>Free<br />housing"), "Myawaddy.\nSalary\nFree\nhousing");
        assert_eq!(read("<p>one</p><p>two</p>"), "\none\n\ntwo\n");
        assert_eq!(
            read("<div dir=\"auto\">Call <a href=\"https://t.me/hr?a=1>2\" target=_blank>t.me/hr</a></div>"),
            "\nCall  t.me/hr \n"
        );
        assert_eq!(read("<b>Salary</b>: <span style='color:red'>high</span>"), "Salary: high");
        assert_eq!(read("<td>Pay</td><td>40000</td>"), " Pay  40000 ");
        // A link ends where its text does: a list of two links is not one account `hr2`.
        assert_eq!(
            read("1.<a href=\"https://t.me/hr\">t.me/hr</a>2.<a href=\"x\">t.me/ops</a>"),
            "1. t.me/hr 2. t.me/ops "
        );
        assert_eq!(read("a<!-- hidden -->b"), "ab");
        assert_eq!(read("x<script>var a = '<p>';</script>y<style>p{}</STYLE>z"), "xyz");
    }

    #[test]
    fn references_read_as_their_characters() {
        assert_eq!(read("t&#46;me&#x2F;hr &amp; food&nbsp;&hellip;"), "t.me/hr & food\u{00A0}…");
        // Read once: `&amp;#46;` is the text `&#46;`.
        assert_eq!(read("&amp;#46;"), "&#46;");
        assert_eq!(read("&#0; &#xD800; &#7;"), "&#0; &#xD800; &#7;");
        assert_eq!(read("งาน&amp;ที่พัก&nbsp;ฟรี"), "งาน&ที่พัก\u{00A0}ฟรี");
    }

    #[test]
    fn what_is_not_surely_markup_is_text_and_plain_text_is_borrowed() {
        let texts =
            ["I <3 this job", "a<b and c>d", "DM <hr_team> now", "Q&A, R&D &co; & more", "<p", "x < y > z", "<b"];
        for text in texts {
            assert_eq!(read(text), text);
            assert!(matches!(strip(text), Cow::Borrowed(_)), "{text}");
        }
    }

    #[test]
    fn spans_map_back_to_the_text_as_written() {
        let written = "Free&nbsp;<b>housing</b>.<br>Contact t&#46;me/hr_mw";
        let markup = Markup::new(written);
        assert_eq!(markup.as_read(), "Free\u{00A0}housing.\nContact t.me/hr_mw");
        let at = |s: &str| markup.as_read().find(s).unwrap();
        let span = |s: &str| &written[markup.span_as_written(at(s)..at(s) + s.len())];
        assert_eq!(span("t.me/hr_mw"), "t&#46;me/hr_mw");
        assert_eq!(span("housing."), "housing</b>.");
        assert_eq!(span("Contact"), "Contact");
        assert_eq!(span("Free"), "Free");
        // Every character read maps to where it was written.
        for (i, c) in markup.as_read().char_indices() {
            let written_span = markup.span_as_written(i..i + c.len_utf8());
            assert!(written.is_char_boundary(written_span.start) && written.is_char_boundary(written_span.end));
            if c.is_alphanumeric() {
                assert_eq!(written[written_span].chars().next(), Some(c));
            }
        }
    }
}
