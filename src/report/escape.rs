//! The one escaper of text that came from files (names, notes, evidence, titles) for each
//! place a report shows it: Markdown, the terminal, and spreadsheet cells. HTML is
//! escaped by the template engine, JSON by its writer.

use std::borrow::Cow;

/// Text as plain words in Markdown, inside a table cell or a heading: every character
/// Markdown or HTML would give a meaning (`<img …>`, `[x](javascript:…)`, `![](…)`,
/// `*`, `|`, entities) is escaped with a backslash, line breaks become spaces, and
/// control characters are shown as [`terminal`] shows them.
pub(crate) fn markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in crate::text::printable(text).chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            // What opens HTML, a link, an image, emphasis, code, a cell or an entity; `>`
            // and `#` mean something only at a line's start, where a cell never is.
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '!' | '|' | '~' | '&' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text for the terminal: see [`crate::text::printable`].
pub(crate) fn terminal(text: &str) -> Cow<'_, str> {
    crate::text::printable(text)
}

/// Text for a Word document's paragraph: XML 1.0 holds no control character but tabs
/// and line breaks, so a control pasted into a name (which would leave a document Word
/// and LibreOffice refuse to open) is shown as [`terminal`] shows it, as is a direction
/// override; a carriage return, alone or before a line feed, is a line break, and the
/// two characters XML never holds (U+FFFE, U+FFFF) are shown as U+FFFD.
pub(crate) fn document(text: &str) -> Cow<'_, str> {
    let odd = |c: char| matches!(c, '\r' | '\u{fffe}' | '\u{ffff}');
    let text: Cow<'_, str> = if text.contains(odd) {
        Cow::Owned(
            text.replace("\r\n", "\n")
                .replace('\r', "\n")
                .replace(['\u{fffe}', '\u{ffff}'], "\u{fffd}"),
        )
    } else {
        Cow::Borrowed(text)
    };
    match crate::text::printable(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(shown) => Cow::Owned(shown),
    }
}

/// Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or
/// carriage return first) gets a leading apostrophe, so it stays text when the file is
/// opened or converted.
pub(crate) fn formula(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The most characters an Excel cell holds.
pub(crate) const CELL_CHARS: usize = 32_767;

/// Text for a workbook cell: kept as text (see [`formula`]) and cut to what a cell holds
/// (evidence and notes joined can run past it), with the cut said in the cell itself.
pub(crate) fn cell(text: &str) -> Cow<'_, str> {
    let text = formula(text);
    let count = text.chars().count();
    if count <= CELL_CHARS {
        return text;
    }
    let marker = format!(" … [cắt bớt / cut: {count} ký tự / characters]");
    let keep = CELL_CHARS - marker.chars().count();
    let mut out: String = text.chars().take(keep).collect();
    out.push_str(&marker);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_keeps_words_and_disarms_html_links_and_images() {
        assert_eq!(markdown("Sở Nội vụ (2025) 6,00 so-noi-vu"), "Sở Nội vụ (2025) 6,00 so-noi-vu");
        let evil = "<img src=x> [a](javascript:alert(1)) ![i](http://x/p.png) a|b\nc";
        let shown = markdown(evil);
        assert_eq!(
            shown,
            "\\<img src=x> \\[a\\](javascript:alert(1)) \\!\\[i\\](http://x/p.png) a\\|b c"
        );
    }

    #[test]
    fn terminal_text_shows_controls_as_symbols() {
        assert_eq!(terminal("\u{1b}]0;x\u{7}\u{1b}[2J"), "␛]0;x␇␛[2J");
        assert_eq!(terminal("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(terminal("Sở Nội vụ\n"), "Sở Nội vụ\n");
        assert!(matches!(terminal("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn document_text_holds_only_what_xml_does() {
        assert_eq!(document("Sở Tư pháp\u{1}\u{b}"), "Sở Tư pháp\u{2401}\u{240b}");
        assert_eq!(document("a\r\nb\rc\nd\te"), "a\nb\nc\nd\te");
        assert_eq!(document("x\u{ffff}\u{fffe}"), "x\u{fffd}\u{fffd}");
        assert_eq!(document("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(document("<Sở> & \"vụ\" 'x' مرحبا 🎉"), "<Sở> & \"vụ\" 'x' مرحبا 🎉");
        assert!(matches!(document("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_cell_never_holds_more_than_excel_takes() {
        let long = "x".repeat(40_000);
        let shown = cell(&long);
        assert_eq!(shown.chars().count(), CELL_CHARS);
        assert!(shown.ends_with("[cắt bớt / cut: 40000 ký tự / characters]"));
        assert_eq!(cell("=1"), "'=1");
    }

    #[test]
    fn formulas_stay_text() {
        assert_eq!(formula("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(formula("+84 912"), "'+84 912");
        assert_eq!(formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(formula("Sở Nội vụ"), "Sở Nội vụ");
        assert_eq!(formula("1+1"), "1+1");
    }
}
