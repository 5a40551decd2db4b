//! The characters that stand for Latin letters and digits: fullwidth and styled ones, Cyrillic and Greek
//! look-alikes.

/// The ASCII letter or digit a fullwidth one (`Ｗｏｒｋ`, `５００`, common in Chinese chat) or a mathematical
/// alphanumeric one (`𝐖𝐨𝐫𝐤`, `𝟓𝟎𝟎`: bold, italic, script, double-struck, monospace and the rest) stands for.
/// Fullwidth punctuation is left as it is (Chinese text is written with it).
pub(super) fn plain_ascii(c: char) -> Option<char> {
    let code = c as u32;
    let ascii = match code {
        0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => code - 0xFEE0,
        // 13 styles of 52 letters, A–Z then a–z.
        0x1D400..=0x1D6A3 => match (code - 0x1D400) % 52 {
            i @ 0..=25 => 'A' as u32 + i,
            i => 'a' as u32 + i - 26,
        },
        // 5 styles of 10 digits.
        0x1D7CE..=0x1D7FF => '0' as u32 + (code - 0x1D7CE) % 10,
        _ => return None,
    };
    char::from_u32(ascii)
}

/// The Latin letter a Cyrillic or Greek letter is drawn like, if any.
pub(super) fn latin_look_alike(c: char) -> Option<char> {
    Some(match c {
        'а' | 'α' => 'a',
        'е' | 'ε' => 'e',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'ԁ' => 'd',
        'һ' => 'h',
        'ν' => 'v',
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'Е' | 'Ε' => 'E',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Н' | 'Η' => 'H',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'С' => 'C',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'І' | 'Ι' => 'I',
        'Ј' => 'J',
        'Ѕ' => 'S',
        'Ζ' => 'Z',
        'Ν' => 'N',
        'Υ' => 'Y',
        _ => return None,
    })
}
