//! Text as parindex compares it: NFC everywhere, and the forgiving form used to match
//! what people type against what a criteria set names.

use std::borrow::Cow;

use crate::lang::Text;
use crate::tr;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// The NFC form of `s`: Vietnamese typed on macOS or copied from a PDF often arrives in
/// NFD (a base letter followed by combining marks), which must compare equal to NFC.
pub(crate) fn nfc(s: &str) -> String {
    s.nfc().collect()
}

/// Whether `s` is certainly NFC already, by the standard's quick check. An ASCII
/// character is a starter that is always NFC, so the check starts over after each one:
/// only the runs of other characters between them are looked at, which skips most of a
/// data file's bytes.
pub(crate) fn is_nfc(s: &str) -> bool {
    let bytes = s.as_bytes();
    let mut at = 0;
    while let Some(start) = bytes[at..].iter().position(|b| !b.is_ascii()) {
        let start = at + start;
        let end = bytes[start..].iter().position(u8::is_ascii).map_or(bytes.len(), |n| start + n);
        // ASCII bytes never fall inside a character, so both ends are boundaries.
        let run = &s[start..end];
        if !run.chars().all(composed_latin) && is_nfc_quick(run.chars()) != IsNormalized::Yes {
            return false;
        }
        at = end;
    }
    true
}

/// Whether `c` is one of the composed Latin letters Vietnamese is written in (Latin-1,
/// Latin Extended-A and -B, Latin Extended Additional): each is a starter that NFC keeps
/// as it is, as a test confirms for every one, so a run of them needs no table lookups.
fn composed_latin(c: char) -> bool {
    matches!(c, '\u{A0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}')
}

/// The form in which two spellings of a choice count as the same: NFC, lower case, inner
/// runs of white space folded to one space, and no white space at either end.
pub(crate) fn fold(s: &str) -> String {
    single_spaced(&nfc(s).to_lowercase())
}

/// A name as it is kept and compared (a group's display name): every run of white space
/// made one space, none at either end.
pub(crate) fn single_spaced(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A column header reduced to plain lower-case ASCII words joined by `_`, so that
/// "Mã tiêu chí", "`ma_tieu_chi`" and "MA TIEU CHI" are the same column.
pub(crate) fn ascii_key(s: &str) -> String {
    let plain: String = s
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    plain
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// The most characters a quoted text keeps in a message; the rest is cut off and counted.
const QUOTED_CHARS: usize = 60;

/// Text a user typed, in double quotes, as messages show it: characters that cannot be
/// seen (a byte-order mark, a zero-width space, a control character) written as
/// `\u{feff}`, and a long text cut short with its length, so that a 10 MB cell gives a
/// one-line message.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(4 * QUOTED_CHARS) + 2);
    out.push('"');
    let mut chars = s.chars();
    for c in chars.by_ref().take(QUOTED_CHARS) {
        if is_invisible(c) || c.is_control() {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
    }
    if chars.next().is_some() {
        out.push_str("…\" (");
        out.push_str(&s.chars().count().to_string());
        out.push_str(" characters)");
    } else {
        out.push('"');
    }
    out
}

/// [`quote`] as a value to format: worked out only when a message is written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Quoted<'a>(pub &'a str);

impl std::fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&quote(self.0))
    }
}

/// Whether a character takes no room when shown, and is no white space either: controls
/// other than tabs and line breaks, byte-order marks, zero-width spaces and joiners, soft
/// hyphens, direction marks.
pub(crate) fn is_invisible(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(
            c,
            '\u{ad}'
                | '\u{200b}'..='\u{200f}'
                | '\u{2028}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{feff}'
        )
}

/// Text as a terminal may be given it: control characters (other than line breaks and
/// tabs) shown as their symbols (`␛` for ESC) and direction overrides written out
/// (`\u{202e}`), so that a name in a file can neither retitle the window, clear the
/// screen nor turn text around.
pub(crate) fn printable(s: &str) -> Cow<'_, str> {
    let unsafe_char = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.contains(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            _ if !unsafe_char(c) => out.push(c),
            // The Control Pictures block has a symbol for each C0 control and DEL.
            '\0'..='\u{1f}' => out.push(char::from_u32(0x2400 + u32::from(c)).unwrap_or('?')),
            '\u{7f}' => out.push('\u{2421}'),
            _ => out.push_str(&c.escape_unicode().to_string()),
        }
    }
    Cow::Owned(out)
}

/// What an invisible character is called, for messages: `U+200D (zero width joiner)`.
pub(crate) fn invisible_name(c: char) -> String {
    let name = match c {
        '\u{ad}' => "soft hyphen",
        '\u{200b}' => "zero width space",
        '\u{200c}' => "zero width non-joiner",
        '\u{200d}' => "zero width joiner",
        '\u{200e}' => "left-to-right mark",
        '\u{200f}' => "right-to-left mark",
        '\u{2060}' => "word joiner",
        '\u{feff}' => "byte-order mark",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\u{202a}'..='\u{202e}' => "text direction mark",
        c if c.is_control() => "control character",
        _ => "invisible character",
    };
    format!("U+{:04X} ({name})", u32::from(c))
}

/// The form in which two ids look the same on screen: invisible characters left out, and
/// each letter of another script that looks like a Latin one (Cyrillic "о", Greek "ο")
/// replaced by the letter it looks like, by Unicode's table of confusables (TR39). ASCII
/// is left as it is, so that `1` and `l`, `0` and `O` stay apart, and so are Vietnamese
/// letters, whose marks are kept.
pub(crate) fn look_alike_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if is_invisible(c) {
            continue;
        }
        // A Latin letter with marks (ộ, ư) and đ stay: two of them never look alike.
        let latin = c.is_ascii()
            || matches!(c, 'đ' | 'Đ')
            || std::iter::once(c).nfd().next().is_some_and(|b| b.is_ascii_alphabetic());
        if latin {
            out.push(c);
        } else {
            out.extend(unicode_security::skeleton(c.encode_utf8(&mut [0; 4])));
        }
    }
    nfc(&out)
}

/// The first character of `s` that makes it look like another text — an invisible
/// character, or a letter of another script than the rest of it — said for a message:
/// `an invisible character, U+200D (zero width joiner)`, `"о" (U+043E), a Cyrillic
/// letter that looks like the Latin "o"`.
pub(crate) fn look_alike_char(s: &str) -> Option<Text> {
    use unicode_script::{Script, UnicodeScript};
    if let Some(c) = s.chars().find(|&c| is_invisible(c)) {
        let name = invisible_name(c);
        return Some(tr!("an invisible character, {name}", "một ký tự vô hình, {name}"));
    }
    let script = |c: char| {
        Some(c.script())
            .filter(|s| !matches!(s, Script::Common | Script::Inherited | Script::Unknown))
    };
    // The script most of its letters are in, Latin on a tie: the odd letter is another's.
    let mut counts: Vec<(Script, usize)> = Vec::new();
    for sc in s.chars().filter_map(script) {
        match counts.iter_mut().find(|(k, _)| *k == sc) {
            Some((_, n)) => *n += 1,
            None => counts.push((sc, 1)),
        }
    }
    let main = counts.iter().max_by_key(|&&(sc, n)| (n, sc == Script::Latin)).map(|&(sc, _)| sc)?;
    let odd = s.chars().find(|&c| script(c).is_some_and(|sc| sc != main))?;
    let (odd_script, odd_script_vi) = script_names(odd.script());
    let like: String = unicode_security::skeleton(odd.encode_utf8(&mut [0; 4])).collect();
    let code = format!("U+{:04X}", u32::from(odd));
    let a = if odd_script.starts_with(['A', 'E', 'I', 'O', 'U']) { "n" } else { "" };
    let shown = Text::new(
        format!("\"{odd}\" ({code}), a{a} {odd_script} letter"),
        format!("\"{odd}\" ({code}), một chữ cái {odd_script_vi}"),
    );
    Some(if like != odd.to_string() && like.chars().all(|c| script(c) == Some(main)) {
        let (main, main_vi) = script_names(main);
        Text::new(
            format!("{} that looks like the {main} \"{like}\"", shown.en),
            format!("{} trông giống chữ {main_vi} \"{like}\"", shown.vi),
        )
    } else {
        shown
    })
}

/// A script's name in English ("Cyrillic") and in Vietnamese ("Kirin"), for messages.
fn script_names(script: unicode_script::Script) -> (String, String) {
    use unicode_script::Script;
    let en = script.full_name().replace('_', " ");
    let vi = match script {
        Script::Latin => "Latinh".to_string(),
        Script::Cyrillic => "Kirin".to_string(),
        Script::Greek => "Hy Lạp".to_string(),
        Script::Armenian => "Armenia".to_string(),
        Script::Han => "Hán".to_string(),
        Script::Arabic => "Ả Rập".to_string(),
        Script::Hebrew => "Do Thái".to_string(),
        Script::Thai => "Thái".to_string(),
        Script::Lao => "Lào".to_string(),
        Script::Khmer => "Khmer".to_string(),
        _ => en.clone(),
    };
    (en, vi)
}

/// Whether the letters of `s` are of more than one script (Latin with Cyrillic or
/// Greek), as in an id typed partly on another keyboard. Digits, punctuation and marks
/// belong to every script.
pub(crate) fn mixes_scripts(s: &str) -> bool {
    !unicode_security::MixedScript::is_single_script(s)
}

/// Words that mean "not applicable" in a data file, in their folded form.
pub(crate) const NA_WORDS: [&str; 5] = ["na", "n/a", "không áp dụng", "không phát sinh", "kps"];

/// Whether folded text means "not applicable".
pub(crate) fn is_na_word(folded: &str) -> bool {
    NA_WORDS.contains(&folded)
}

/// The closest of `candidates` to `word`, when it is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let len = word.chars().count();
    candidates
        .iter()
        // Two texts are at least as far apart as their lengths are; a word far longer
        // than every candidate (a 10 MB cell) is not compared letter by letter.
        .filter(|c| len.abs_diff(c.chars().count()) <= 2.max(c.len() / 4))
        .map(|c| (strsim::damerau_levenshtein(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 4) && *d < c.len())
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Whether a text holds a '?' right after a letter: "S? N?i v?" for "Sở Nội vụ", as a
/// program writes it that cannot encode the letter. No agency's name asks a question,
/// and no value a rule reads has one.
pub(crate) fn lost_letters(name: &str) -> bool {
    name.chars().zip(name.chars().skip(1)).any(|(a, b)| a.is_alphabetic() && b == '?')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composed_latin_letters_are_starters_nfc_keeps() {
        use unicode_normalization::char::canonical_combining_class;
        let letters = ('\u{0}'..='\u{FFFF}').filter(|&c| composed_latin(c));
        let mut n = 0;
        for c in letters {
            n += 1;
            assert_eq!(canonical_combining_class(c), 0, "U+{:04X}", u32::from(c));
            assert_eq!(
                is_nfc_quick(std::iter::once(c)),
                IsNormalized::Yes,
                "U+{:04X}",
                u32::from(c)
            );
            let alone = c.to_string();
            assert_eq!(nfc(&alone), alone, "U+{:04X}", u32::from(c));
        }
        // Every letter of the Vietnamese alphabet, and both ranges whole.
        assert_eq!(n, (0x24F - 0xA0 + 1) + (0x1EFF - 0x1E00 + 1));
        assert!(
            "ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
                .chars()
                .flat_map(|c| [c, c.to_uppercase().next().unwrap()])
                .all(composed_latin)
        );
        // A letter followed by a combining mark is still looked at.
        assert!(!is_nfc("Hoa\u{300} lo\u{300}ng"));
        assert!(!is_nfc("Ho\u{1A1}\u{301}"));
        assert!(is_nfc("Hài lòng, Rất hài lòng"));
    }

    #[test]
    fn the_quick_check_agrees_on_whole_text_and_on_runs() {
        for text in [
            "",
            "abc,1;2",
            "Sở Nội vụ,Ủy ban nhân dân",
            "Sở Nội vụ,Ủy ban nha\u{302}n da\u{302}n",
            "e\u{301}",
            "a\u{323}\u{302}x",
            "a\u{302}\u{323}x",
            "\u{301}lead",
            "tail\u{301}",
        ] {
            let whole = is_nfc_quick(text.chars()) == IsNormalized::Yes;
            assert_eq!(is_nfc(text), whole, "{text:?}");
            // "Certainly NFC" must never be said of text that normalising would change.
            if is_nfc(text) {
                assert_eq!(nfc(text), text);
            }
        }
        assert!(is_nfc("Sở Nội vụ"));
        assert!(!is_nfc("Sơ\u{309} Nội vụ"));
    }

    #[test]
    fn nfd_and_nfc_fold_to_the_same_text() {
        let nfd = "Ban hành đúng thời hạn".nfd().collect::<String>();
        assert_ne!(nfd, "Ban hành đúng thời hạn");
        assert_eq!(fold(&nfd), fold("ban  hành ĐÚNG thời hạn "));
    }

    #[test]
    fn headers_fold_to_ascii_keys() {
        assert_eq!(ascii_key("Mã tiêu chí"), "ma_tieu_chi");
        assert_eq!(ascii_key(" ĐƠN VỊ "), "don_vi");
        assert_eq!(ascii_key("tai-lieu kiem chung"), "tai_lieu_kiem_chung");
    }

    #[test]
    fn question_marks_for_letters_are_told() {
        assert!(lost_letters("S? N?i v?"));
        assert!(lost_letters("Ph??ng Ba ?\u{ec}nh"));
        assert!(!lost_letters("Sở Nội vụ"));
        assert!(!lost_letters("Ban Quản lý (?)"));
    }

    #[test]
    fn quoted_text_shows_the_invisible_and_stays_short() {
        assert_eq!(quote("có"), "\"có\"");
        assert_eq!(quote("\u{feff}so-noi-vu"), "\"\\u{feff}so-noi-vu\"");
        let long = "x".repeat(10 * 1024 * 1024);
        let shown = quote(&long);
        assert!(shown.len() < 100, "{shown}");
        assert!(shown.ends_with("…\" (10485760 characters)"), "{shown}");
    }

    #[test]
    fn a_huge_word_is_no_typo_and_costs_nothing() {
        let huge = "x".repeat(10 * 1024 * 1024);
        assert_eq!(did_you_mean(&huge, &["weight", "max"]), None);
    }

    #[test]
    fn look_alikes_fold_to_the_letters_they_look_like() {
        // Cyrillic о, Greek ο, a zero width joiner, a soft hyphen.
        for twin in ["so-n\u{43e}i-vu", "so-n\u{3bf}i-vu", "so-\u{200d}noi-vu", "so-noi\u{ad}-vu"] {
            assert_eq!(look_alike_key(twin), "so-noi-vu", "{twin:?}");
            assert!(look_alike_char(twin).is_some(), "{twin:?}");
        }
        // ASCII and Vietnamese letters are left as they are.
        for id in ["so-1", "so-l", "SO-0", "phường-ba-đình", "Sở Nội vụ"] {
            assert_eq!(look_alike_key(id), id);
            assert_eq!(look_alike_char(id), None, "{id}");
            assert!(!mixes_scripts(id), "{id}");
        }
        let cyrillic = look_alike_char("so-n\u{43e}i-vu").unwrap();
        assert_eq!(
            cyrillic.en,
            "\"\u{43e}\" (U+043E), a Cyrillic letter that looks like the Latin \"o\""
        );
        assert_eq!(
            cyrillic.vi,
            "\"\u{43e}\" (U+043E), một chữ cái Kirin trông giống chữ Latinh \"o\""
        );
        assert_eq!(
            look_alike_char("so-\u{200d}noi-vu").unwrap().en,
            "an invisible character, U+200D (zero width joiner)"
        );
        assert!(mixes_scripts("so-n\u{43e}i-vu"));
        assert!(!mixes_scripts("\u{441}\u{43e}"));
    }

    #[test]
    fn typos_find_their_key() {
        let keys = ["weight", "max", "name", "note"];
        assert_eq!(did_you_mean("wieght", &keys), Some("weight"));
        assert_eq!(did_you_mean("Max", &keys), Some("max"));
        assert_eq!(did_you_mean("colour", &keys), None);
    }
}
