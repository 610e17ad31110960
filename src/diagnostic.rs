//! Problems found in an input file, and how they are shown: as compiler-style text with
//! the source line and a caret, or as JSON records for CI systems.

use std::ops::Range;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use crate::lang::{Lang, Text};
use crate::source::SourceFile;

/// How bad a problem is: an error makes the file unusable, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A marked place in the file and what to say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Range<usize>,
    pub text: Text,
}

/// One problem: a stable code (`duplicate-code`), a sentence for people in both languages,
/// where it is, and a way to fix it where one is obvious.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    pub message: Text,
    pub primary: Option<Label>,
    pub context: Vec<Label>,
    pub help: Option<Text>,
    /// Which row it is about, in a few words ("so-noi-vu 1.2.2"), for a line that lists
    /// many problems of one kind.
    pub brief: Option<Text>,
}

impl Diagnostic {
    pub fn error(code: &'static str, message: impl Into<Text>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: shown(message.into()),
            primary: None,
            context: Vec::new(),
            help: None,
            brief: None,
        }
    }

    pub fn warning(code: &'static str, message: impl Into<Text>) -> Self {
        Self { severity: Severity::Warning, ..Self::error(code, message) }
    }

    /// Marks the place the problem is at.
    #[must_use]
    pub fn at(mut self, span: Range<usize>, text: impl Into<Text>) -> Self {
        self.primary = Some(Label { span, text: shown(text.into()) });
        self
    }

    /// Marks a second place that explains the first ("first defined here").
    #[must_use]
    pub fn with_context(mut self, span: Range<usize>, text: impl Into<Text>) -> Self {
        self.context.push(Label { span, text: shown(text.into()) });
        self
    }

    #[must_use]
    pub fn help(mut self, text: impl Into<Text>) -> Self {
        self.help = Some(shown(text.into()));
        self
    }

    /// Says which row it is about in a few words, for a list of many alike.
    #[must_use]
    pub fn brief(mut self, text: impl Into<Text>) -> Self {
        self.brief = Some(shown(text.into()));
        self
    }

    fn start(&self) -> usize {
        self.primary.as_ref().map_or(0, |l| l.span.start)
    }
}

/// A message's text with its control characters made visible (see
/// [`crate::text::printable`]): a name quoted from a file must not drive the terminal.
fn shown(text: Text) -> Text {
    text.map(|text| match crate::text::printable(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(safe) => safe,
    })
}

/// How messages are shown: coloured (on a terminal) or not, and in which language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Voice {
    pub color: bool,
    pub lang: Lang,
}

impl Voice {
    /// Plain English, as tests and logs read it.
    pub const PLAIN: Voice = Voice { color: false, lang: Lang::En };

    /// Writes `text` as a one-line error about the command as a whole ("error: …").
    pub fn error(self, err: &mut dyn std::io::Write, text: &Text) -> std::io::Result<()> {
        writeln!(err, "{}: {}", severity_name(Severity::Error, self.lang), text.get(self.lang))
    }

    /// Writes `text` as a note ("note: …"): something true of this run the user should
    /// not miss, such as a draft standing in for a round's file.
    pub fn note(self, err: &mut dyn std::io::Write, text: &Text) -> std::io::Result<()> {
        let word = match self.lang {
            Lang::En => "note",
            Lang::Vi => "lưu ý",
        };
        writeln!(err, "{word}: {}", text.get(self.lang))
    }

    /// Writes `text` as a line of its own.
    pub fn say(self, out: &mut dyn std::io::Write, text: &Text) -> std::io::Result<()> {
        writeln!(out, "{}", text.get(self.lang))
    }
}

/// Everything found in one file, in the order it appears in the file.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as the user wrote it.
    pub path: String,
    /// The text, where the file could be read.
    pub source: Option<SourceFile>,
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    pub fn new(path: String, source: Option<SourceFile>, mut diagnostics: Vec<Diagnostic>) -> Self {
        diagnostics.sort_by_key(|d| (d.start(), d.severity));
        Self { path, source, diagnostics }
    }

    /// Adds problems found later (by scoring), keeping file order.
    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(more);
        self.diagnostics.sort_by_key(|d| (d.start(), d.severity));
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    /// Renders every diagnostic as text, each followed by a blank line.
    pub fn render(&self, voice: Voice) -> String {
        let Voice { color, lang } = voice;
        let renderer = if color { Renderer::styled() } else { Renderer::plain() }
            .decor_style(DecorStyle::Ascii);
        let mut out = String::new();
        for diagnostic in &self.diagnostics {
            out.push_str(&render_one(
                diagnostic,
                &self.path,
                self.source.as_ref(),
                &renderer,
                lang,
            ));
            out.push_str("\n\n");
        }
        out
    }

    /// Renders one diagnostic, of this file or made for it, as [`FileReport::render`]
    /// renders each.
    pub fn render_one(&self, diagnostic: &Diagnostic, voice: Voice) -> String {
        let Voice { color, lang } = voice;
        let renderer = if color { Renderer::styled() } else { Renderer::plain() }
            .decor_style(DecorStyle::Ascii);
        let mut out = render_one(diagnostic, &self.path, self.source.as_ref(), &renderer, lang);
        out.push_str("\n\n");
        out
    }

    /// The line (1-based) a diagnostic marks, where it marks one.
    pub fn line_of(&self, diagnostic: &Diagnostic) -> Option<usize> {
        let (source, label) = self.source.as_ref().zip(diagnostic.primary.as_ref())?;
        Some(source.line_col(label.span.start.min(source.text.len())).0)
    }

    /// One JSON record per diagnostic, its sentences in `lang`; see [`JsonDiagnostic`].
    pub fn json(&self, lang: Lang) -> Vec<JsonDiagnostic> {
        self.diagnostics
            .iter()
            .map(|d| {
                let place = |offset| self.source.as_ref().map(|s| s.line_col(offset));
                let (start, end) = match &d.primary {
                    Some(label) => (place(label.span.start), place(label.span.end)),
                    None => (None, None),
                };
                JsonDiagnostic {
                    file: self.path.clone(),
                    line: start.map(|p| p.0),
                    column: start.map(|p| p.1),
                    end_line: end.map(|p| p.0),
                    end_column: end.map(|p| p.1),
                    severity: d.severity,
                    code: d.code,
                    message: d.message.get(lang).to_string(),
                    help: d.help.as_ref().map(|help| help.get(lang).to_string()),
                }
            })
            .collect()
    }
}

/// The JSON form of a diagnostic (`parindex check --format json`). Lines and columns are
/// 1-based, columns count characters, `end_*` is just past the marked text.
#[derive(Debug, Clone, Serialize)]
pub struct JsonDiagnostic {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
}

/// A place on a line longer than this (a row of 16,000 columns, a 10 MB cell) is shown
/// as an excerpt around it: the renderer walks every character it is given.
const LONG_LINES: usize = 2_000;

/// Labels more lines apart than this are shown in snippets of their own, rather than in
/// one snippet of every line between them.
const APART_LINES: usize = 50;

/// Characters of context shown on each side of the marked place in an excerpt, and the
/// most of the marked text itself.
const EXCERPT_CHARS: usize = 40;

/// `at`, moved back to the start of the character it falls in, and into the text.
fn floor_char(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The place of `primary` as an excerpt of its line, cut with "…" on either side, and
/// the line that names its file, line and column, as the renderer would.
fn excerpt<'a>(
    group: Group<'a>,
    source: &'a SourceFile,
    primary: &'a Label,
    path: &str,
    lang: Lang,
) -> (Group<'a>, String) {
    let text = &source.text;
    let at = floor_char(text, primary.span.start);
    let line = source.line_span(at);
    let (number, column) = source.line_col(at);
    // A place on the line break itself (the '\n' of a "\r\n") is shown at the line's end.
    let at = at.clamp(line.start, line.end);
    let back = |from: usize, n: usize| {
        text[line.start..from]
            .char_indices()
            .rev()
            .nth(n.saturating_sub(1))
            .map_or(line.start, |(i, _)| line.start + i)
    };
    let ahead = |from: usize, n: usize| {
        text[from..line.end].char_indices().nth(n).map_or(line.end, |(i, _)| from + i)
    };
    let start = back(at, EXCERPT_CHARS);
    let marked_end = ahead(at, EXCERPT_CHARS).min(floor_char(text, primary.span.end).max(at));
    let end = ahead(marked_end, EXCERPT_CHARS);
    let (before, after) =
        (if start > line.start { "…" } else { "" }, if end < line.end { "…" } else { "" });
    let shown = format!("{before}{}{after}", &text[start..end]);
    let mark = before.len() + at - start..before.len() + marked_end - start;
    let mark = mark.start..mark.end.max(mark.start);
    let origin = format!("{}--> {path}:{number}:{column}", " ".repeat(number.to_string().len()));
    let group = group.element(
        Snippet::source(shown)
            .line_start(number)
            .annotation(AnnotationKind::Primary.span(mark).label(primary.text.get(lang))),
    );
    (group, origin)
}

fn render_one(
    d: &Diagnostic,
    path: &str,
    source: Option<&SourceFile>,
    r: &Renderer,
    lang: Lang,
) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let level = match lang {
        Lang::En => level,
        Lang::Vi => level.with_name(severity_name(d.severity, lang)),
    };
    let mut group = Group::with_title(level.primary_title(d.message.get(lang)).id(d.code));
    if let (Some(source), Some(primary)) = (source, &d.primary) {
        // Only the lines the labels stand on are handed over: the renderer walks all the
        // text it is given, and a file with thousands of warnings must not be walked once
        // per warning. Labels far apart (a duplicate a million lines below the first) are
        // each shown in a snippet of their own lines.
        let len = source.text.len();
        let mut labels: Vec<(&Label, bool)> =
            std::iter::once((primary, true)).chain(d.context.iter().map(|l| (l, false))).collect();
        labels.sort_by_key(|(l, _)| l.span.start.min(len));
        let mut clusters: Vec<Vec<(&Label, bool)>> = Vec::new();
        for (label, primary) in labels {
            let line = |l: &Label| source.line_col(l.span.start.min(len)).0;
            let last = clusters.last().and_then(|c| c.iter().map(|(l, _)| line(l)).max());
            match (clusters.last_mut(), last) {
                (Some(cluster), Some(last)) if line(label) <= last + APART_LINES => {
                    cluster.push((label, primary));
                }
                _ => clusters.push(vec![(label, primary)]),
            }
        }
        // The primary label's snippet first: its place is the one named under the title.
        if let Some(at) = clusters.iter().position(|c| c.iter().any(|(_, primary)| *primary)) {
            clusters[..=at].rotate_right(1);
        }
        let mut snippets = Vec::new();
        for cluster in &clusters {
            let lo = cluster.iter().map(|(l, _)| l.span.start.min(len)).min().unwrap_or(0);
            let hi = cluster.iter().map(|(l, _)| l.span.end.min(len)).max().unwrap_or(0).max(lo);
            let (first_line, _) = source.line_col(lo);
            let (mut from, mut to) =
                (source.line(first_line).start.min(lo), source.line_span(hi).end.max(hi));
            if !source.text.is_char_boundary(from) || !source.text.is_char_boundary(to) {
                (from, to) = (0, len);
            }
            if source.text[from..to].split('\n').any(|line| line.len() > LONG_LINES) {
                let (group, origin) = excerpt(group, source, primary, path, lang);
                let text = r.render(&[with_help(group, d, lang)]);
                // The excerpt's own columns are not the file's: the place goes under the title.
                return match text.split_once('\n') {
                    Some((title, rest)) => format!("{title}\n{origin}\n{rest}"),
                    None => text,
                };
            }
            let shift = |span: &Range<usize>| {
                span.start.clamp(from, to) - from..span.end.clamp(from, to) - from
            };
            let mut snippet =
                Snippet::source(&source.text[from..to]).line_start(first_line).path(path);
            for (label, primary) in cluster {
                let kind = if *primary { AnnotationKind::Primary } else { AnnotationKind::Context };
                snippet =
                    snippet.annotation(kind.span(shift(&label.span)).label(label.text.get(lang)));
            }
            snippets.push(snippet);
        }
        for snippet in snippets {
            group = group.element(snippet);
        }
    }
    r.render(&[with_help(group, d, lang)])
}

fn with_help<'a>(group: Group<'a>, d: &'a Diagnostic, lang: Lang) -> Group<'a> {
    let level = match lang {
        Lang::En => Level::HELP,
        Lang::Vi => Level::HELP.with_name("gợi ý"),
    };
    match &d.help {
        Some(help) => group.element(level.message(help.get(lang))),
        None => group,
    }
}

/// What a problem of `severity` is called in `lang`: the word before its code.
pub fn severity_name(severity: Severity, lang: Lang) -> &'static str {
    match (severity, lang) {
        (Severity::Error, Lang::En) => "error",
        (Severity::Warning, Lang::En) => "warning",
        (Severity::Error, Lang::Vi) => "lỗi",
        (Severity::Warning, Lang::Vi) => "cảnh báo",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_points_at_file_line_and_column() {
        let source = SourceFile::new("sets/x.toml", "schema = 1\nmax = \"13\"\n");
        let d = Diagnostic::error("wrong-type", Text::same("`max` must be a number"))
            .at(17..21, Text::same("text, not a number"))
            .help(Text::same("remove the quotes"));
        let report = FileReport::new("sets/x.toml".into(), Some(source), vec![d]);
        let text = report.render(Voice::PLAIN);
        assert!(text.starts_with("error[wrong-type]: `max` must be a number\n"), "{text}");
        assert!(text.contains("--> sets/x.toml:2:7"), "{text}");
        assert!(text.contains("help: remove the quotes"), "{text}");
        let json = report.json(Lang::En);
        assert_eq!(
            (json[0].line, json[0].column, json[0].end_column),
            (Some(2), Some(7), Some(11))
        );
    }

    #[test]
    fn only_the_labelled_lines_are_shown_with_their_own_numbers() {
        let mut text = (1..=500).map(|i| format!("row-{i},ok\n")).collect::<Vec<_>>().concat();
        text.push_str("last,bad");
        let at = |needle: &str| {
            let start = text.find(needle).unwrap();
            start..start + needle.len()
        };
        let d = Diagnostic::error("dup", Text::same("twice"))
            .at(at("row-300,"), Text::same("again here"))
            .with_context(at("row-12,"), Text::same("first here"));
        let tail =
            Diagnostic::warning("end", Text::same("at the end")).at(at("bad"), Text::same("this"));
        let report =
            FileReport::new("d.csv".into(), Some(SourceFile::new("d.csv", text)), vec![d, tail]);
        let out = report.render(Voice::PLAIN);
        assert!(out.contains("--> d.csv:300:1"), "{out}");
        assert!(out.contains("300 | row-300,ok"), "{out}");
        assert!(out.contains(" 12 | row-12,ok"), "{out}");
        assert!(!out.contains("row-150,"), "{out}");
        assert!(out.contains("--> d.csv:501:6"), "{out}");
        assert!(out.contains("501 | last,bad"), "{out}");
    }

    // A row of 100,000 columns or a 10 MB cell is shown as an excerpt, at its true place.
    #[test]
    fn a_place_on_a_huge_line_is_shown_as_an_excerpt() {
        let mut text = "agency,code,value\n".to_string();
        let cell = "x".repeat(1_000_000);
        text = format!("{text}so-noi-vu,{cell},có,{cell}\n");
        let start = text.find(",có,").unwrap() + 1;
        let d = Diagnostic::error("bad", Text::same("a bad value"))
            .at(start..start + 3, Text::same("here"))
            .help(Text::same("fix it"));
        let report = FileReport::new("d.csv".into(), Some(SourceFile::new("d.csv", text)), vec![d]);
        let out = report.render(Voice::PLAIN);
        assert!(out.len() < 1_000, "{out}");
        assert!(out.contains(" --> d.csv:2:1000012\n"), "{out}");
        assert!(out.contains("2 | …xxxx"), "{out}");
        assert!(out.contains("= help: fix it"), "{out}");
        assert!(out.starts_with("error[bad]: a bad value\n --> d.csv:2:"), "{out}");
    }

    #[test]
    fn problems_are_listed_in_file_order() {
        let source = SourceFile::new("x", "a = 1\nb = 2\n");
        let late = Diagnostic::error("b", Text::same("b")).at(6..7, Text::same(""));
        let early = Diagnostic::warning("a", Text::same("a")).at(0..1, Text::same(""));
        let report = FileReport::new("x".into(), Some(source), vec![late, early]);
        let codes: Vec<_> = report.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["a", "b"]);
    }

    #[test]
    fn a_diagnostic_is_shown_in_the_language_asked_for() {
        let source = SourceFile::new("self.csv", "agency,code,value\nso-noi-vu,1.1,-1\n");
        let d = Diagnostic::error(
            "unreadable-value",
            crate::tr!("line 2: \"-1\" is below 0", "dòng 2: \"-1\" nhỏ hơn 0"),
        )
        .at(32..34, crate::tr!("below 0", "nhỏ hơn 0"))
        .help(crate::tr!("write 0 or more", "hãy ghi số từ 0 trở lên"));
        let report = FileReport::new("self.csv".into(), Some(source), vec![d]);
        let vi = report.render(Voice { color: false, lang: Lang::Vi });
        assert!(vi.starts_with("lỗi[unreadable-value]: dòng 2: \"-1\" nhỏ hơn 0\n"), "{vi}");
        assert!(
            vi.contains("^^ nhỏ hơn 0") && vi.contains("= gợi ý: hãy ghi số từ 0 trở lên"),
            "{vi}"
        );
        let en = report.render(Voice::PLAIN);
        assert!(en.starts_with("error[unreadable-value]: line 2: \"-1\" is below 0\n"), "{en}");
        assert!(en.contains("^^ below 0") && en.contains("= help: write 0 or more"), "{en}");
        let json = report.json(Lang::Vi);
        assert_eq!(json[0].message, "dòng 2: \"-1\" nhỏ hơn 0");
        assert_eq!(json[0].code, "unreadable-value");
    }
}
