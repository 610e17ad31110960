//! A file's text as parindex read it, and the line and column of a place in it.

use std::ops::Range;

/// The text of one input file and the name the user knows it by.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as the user wrote it, used in every message.
    pub path: String,
    /// The text, without a byte-order mark.
    pub text: String,
    /// SHA-256 of the file's bytes as read, in hex: what reports cite to trace a figure
    /// to its inputs. Empty for text made in memory.
    pub sha256: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let line_starts =
            std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Self { path: path.into(), text, sha256: String::new(), line_starts }
    }

    /// The same text, citing the digest of the bytes it was decoded from.
    #[must_use]
    pub fn read_from(mut self, bytes: &[u8]) -> Self {
        self.sha256 = sha256(bytes);
        self
    }

    /// The 1-based line and column (counted in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// How many lines the text has.
    pub fn lines(&self) -> usize {
        self.line_starts.len()
    }

    /// The 1-based line of a byte offset, searching on from line `hint` (1-based):
    /// amortised constant time for offsets read in order.
    pub fn line_after(&self, hint: usize, offset: usize) -> usize {
        let mut line = hint.max(1) - 1;
        if self.line_starts.get(line).is_none_or(|&s| s > offset) {
            return self.line_col(offset).0;
        }
        while self.line_starts.get(line + 1).is_some_and(|&s| s <= offset) {
            line += 1;
        }
        line + 1
    }

    /// The byte range of 1-based line `line`, without its line break.
    pub fn line(&self, line: usize) -> Range<usize> {
        let start =
            self.line_starts.get(line.saturating_sub(1)).copied().unwrap_or(self.text.len());
        self.line_span(start)
    }

    /// The byte range of the line that holds `offset`, without its line break.
    pub fn line_span(&self, offset: usize) -> Range<usize> {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let end = self.text[start..].find(['\r', '\n']).map_or(self.text.len(), |i| start + i);
        start..end
    }
}

/// The SHA-256 of `bytes`, in lower-case hex.
pub fn sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    hex(&Sha256::digest(bytes))
}

/// A digest in lower-case hex, as reports cite it.
pub fn hex(digest: &[u8]) -> String {
    use std::fmt::Write as _;
    digest.iter().fold(String::with_capacity(2 * digest.len()), |mut hex, b| {
        let _ = write!(hex, "{b:02x}");
        hex
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let file = SourceFile::new("x", "a = 1\nname = \"Sở Nội vụ\" x\n");
        let offset = file.text.find(" x").unwrap() + 1;
        assert_eq!(file.line_col(offset), (2, 20));
        assert_eq!(file.line_col(0), (1, 1));
        assert_eq!(&file.text[file.line_span(offset)], "name = \"Sở Nội vụ\" x");
    }

    #[test]
    fn lines_found_in_order_match_lines_found_anew() {
        let file = SourceFile::new("x", "a\nbb\n\nccc\nd");
        let mut hint = 1;
        for offset in 0..file.text.len() {
            let line = file.line_after(hint, offset);
            assert_eq!(line, file.line_col(offset).0, "offset {offset}");
            hint = line;
        }
        assert_eq!(file.line_after(5, 0), 1, "a hint past the offset still finds it");
    }
}
