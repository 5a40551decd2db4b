//! UTF-16 text read as UTF-8: what Excel's "Unicode Text" export and many Windows tools write. Every reader of
//! [`super`] reads UTF-8; a file in UTF-16 is put through [`Utf16Reader`] first.

use std::io::{self, Read};

/// The byte order of UTF-16 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteOrder {
    Little,
    Big,
}

/// The byte order of an input whose first bytes are UTF-16 text, or `None`: a byte order mark says it, else which
/// byte of each of the first pairs is NUL (ASCII letters without a mark, as [`super::looks_like_utf16`] finds them).
/// UTF-32 (a four-byte mark) is not UTF-16.
pub fn byte_order(head: &[u8]) -> Option<ByteOrder> {
    if head.starts_with(b"\xFF\xFE\x00\x00") || head.starts_with(b"\x00\x00\xFE\xFF") {
        return None;
    }
    if head.starts_with(b"\xFF\xFE") {
        return Some(ByteOrder::Little);
    }
    if head.starts_with(b"\xFE\xFF") {
        return Some(ByteOrder::Big);
    }
    let head = &head[..head.len().min(64) & !1];
    if head.len() < 4 {
        return None;
    }
    let nul_at = |parity: usize| head.iter().skip(parity).step_by(2).all(|&b| b == 0);
    let some_at = |parity: usize| head.iter().skip(parity).step_by(2).any(|&b| b != 0);
    match (nul_at(1) && some_at(0), nul_at(0) && some_at(1)) {
        (true, _) => Some(ByteOrder::Little),
        (_, true) => Some(ByteOrder::Big),
        _ => None,
    }
}

/// Reads UTF-16 text of one byte order as UTF-8, a block at a time. A byte order mark at the start is dropped; an
/// unpaired surrogate, or an odd byte at the end, becomes U+FFFD (the text goes on).
pub struct Utf16Reader<R> {
    inner: R,
    order: ByteOrder,
    /// Decoded text not yet read, from `at`.
    out: Vec<u8>,
    at: usize,
    /// Bytes read but not decoded: an odd byte, or the two of a high surrogate whose low half is not read yet.
    carry: Vec<u8>,
    started: bool,
    done: bool,
}

impl<R: Read> Utf16Reader<R> {
    pub fn new(inner: R, order: ByteOrder) -> Self {
        Utf16Reader { inner, order, out: Vec::new(), at: 0, carry: Vec::new(), started: false, done: false }
    }

    /// Reads and decodes the next block into `out`; at the end of the input, decodes what was carried.
    fn fill(&mut self) -> io::Result<()> {
        let mut raw = std::mem::take(&mut self.carry);
        let had = raw.len();
        raw.resize(had + (64 << 10), 0);
        let n = loop {
            match self.inner.read(&mut raw[had..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        raw.truncate(had + n);
        let end = n == 0;
        let mut units: Vec<u16> = raw
            .chunks_exact(2)
            .map(|pair| match self.order {
                ByteOrder::Little => u16::from_le_bytes([pair[0], pair[1]]),
                ByteOrder::Big => u16::from_be_bytes([pair[0], pair[1]]),
            })
            .collect();
        let odd = raw.len() % 2 == 1;
        if !end {
            if odd {
                self.carry.push(raw[raw.len() - 1]);
            }
            // A high surrogate last waits for its low half in the next block.
            if units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
                let unit = units.pop().expect("a last unit");
                let bytes = match self.order {
                    ByteOrder::Little => unit.to_le_bytes(),
                    ByteOrder::Big => unit.to_be_bytes(),
                };
                self.carry.splice(0..0, bytes);
            }
        }
        if !self.started && !units.is_empty() {
            self.started = true;
            if units[0] == 0xFEFF {
                units.remove(0);
            }
        }
        self.out.clear();
        self.at = 0;
        let text: String = char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
        self.out.extend_from_slice(text.as_bytes());
        if end {
            if odd {
                self.out.extend_from_slice(char::REPLACEMENT_CHARACTER.to_string().as_bytes());
            }
            self.done = true;
        }
        Ok(())
    }
}

impl<R: Read> Read for Utf16Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.out.len() {
            if self.done {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str, order: ByteOrder, mark: bool) -> Vec<u8> {
        let units = mark.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
        units
            .flat_map(|u| match order {
                ByteOrder::Little => u.to_le_bytes(),
                ByteOrder::Big => u.to_be_bytes(),
            })
            .collect()
    }

    /// Reads everything through a reader that hands out at most `step` bytes a call, so that blocks end anywhere.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn decode(bytes: &[u8], order: ByteOrder, step: usize) -> String {
        let mut text = String::new();
        Utf16Reader::new(Trickle(bytes, step), order).read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn utf16_of_either_order_reads_as_the_text_whatever_the_blocks() {
        // Without a mark, the order is found from the first 32 characters: a header row of ASCII.
        let text = "id\ttext\tlocation\tsalary_range\r\n1\tงานออนไลน์ 💰 ទំនាក់ទំនង\t\t\r\n2\t高薪招聘 café\t\t\r\n";
        for order in [ByteOrder::Little, ByteOrder::Big] {
            for mark in [true, false] {
                let bytes = encode(text, order, mark);
                assert_eq!(byte_order(&bytes), Some(order), "{order:?} mark {mark}");
                for step in [1, 2, 3, 5, 64 << 10] {
                    assert_eq!(decode(&bytes, order, step), text, "{order:?} mark {mark} step {step}");
                }
            }
        }
    }

    #[test]
    fn a_broken_surrogate_or_an_odd_last_byte_is_a_replacement_character() {
        let mut bytes = encode("ab", ByteOrder::Little, true);
        bytes.extend_from_slice(&0xD83Du16.to_le_bytes()); // a high surrogate with no low half
        bytes.extend_from_slice(&encode("c", ByteOrder::Little, false));
        bytes.push(b'd');
        assert_eq!(decode(&bytes, ByteOrder::Little, 3), "ab\u{FFFD}c\u{FFFD}");
    }

    #[test]
    fn utf8_and_utf32_are_not_utf16() {
        assert_eq!(byte_order("id,text\n1,hello\n".as_bytes()), None);
        assert_eq!(byte_order("\u{FEFF}id,text".as_bytes()), None);
        assert_eq!(byte_order(b"\xFF\xFE\x00\x00i\x00\x00\x00"), None);
    }
}
