//! The two languages parindex speaks, and a sentence written in both.
//!
//! Reports are Vietnamese unless `--lang en` is given. Messages (diagnostics, notes,
//! progress) follow `--lang` too and, without it, the locale: Vietnamese when `LC_ALL`,
//! `LC_MESSAGES` or `LANG` (the first of them that is set) starts with `vi`, English
//! otherwise. Every message is made in both languages at once ([`Text`], [`tr!`]) and the
//! language is chosen where it is shown, so that the readers need not know it and a
//! diagnostic can be shown in either.

use serde::{Deserialize, Serialize};

/// The language of a report's headers and notes, or of the messages: `vi` (Vietnamese,
/// with decimal commas) or `en`, as `--lang` takes it and the audit trail records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    /// The language of messages when `--lang` is not given: the locale's, read from the
    /// variables in the order POSIX gives them weight.
    pub fn of_locale(var: impl Fn(&str) -> Option<String>) -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| var(name).filter(|value| !value.is_empty()));
        match locale {
            Some(locale) if locale.to_ascii_lowercase().starts_with("vi") => Lang::Vi,
            _ => Lang::En,
        }
    }
}

/// A sentence for people, in English and in Vietnamese. Made by [`tr!`]; shown by
/// [`Text::get`] in the language the user asked for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub en: String,
    pub vi: String,
}

impl Text {
    /// A sentence from its two wordings.
    pub fn new(en: impl Into<String>, vi: impl Into<String>) -> Self {
        Self { en: en.into(), vi: vi.into() }
    }

    /// Text that reads the same in both languages: a value quoted from a file, a path.
    pub fn same(text: impl Into<String>) -> Self {
        let text = text.into();
        Self { vi: text.clone(), en: text }
    }

    /// The wording in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Vi => &self.vi,
        }
    }

    /// Both wordings changed alike (made printable, cut short).
    #[must_use]
    pub fn map(self, mut f: impl FnMut(String) -> String) -> Self {
        Self { en: f(self.en), vi: f(self.vi) }
    }

    /// Both wordings of `self` followed by both of `more`, joined by `between`.
    #[must_use]
    pub fn join(mut self, between: &str, more: &Text) -> Self {
        for (text, more) in [(&mut self.en, &more.en), (&mut self.vi, &more.vi)] {
            text.push_str(between);
            text.push_str(more);
        }
        self
    }
}

/// A [`Text`] from an English and a Vietnamese format string and the arguments both share,
/// as `format!` takes them: `tr!("row {row}: no value", "dòng {row}: không có giá trị")`.
/// Each wording is formatted from the same arguments, so an argument is evaluated once per
/// language: pass values, not calls with effects.
#[macro_export]
macro_rules! tr {
    ($en:literal, $vi:literal $(,)?) => {
        $crate::lang::Text { en: format!($en), vi: format!($vi) }
    };
    ($en:literal, $vi:literal, $($arg:tt)+) => {
        $crate::lang::Text { en: format!($en, $($arg)+), vi: format!($vi, $($arg)+) }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locale_chooses_vietnamese_by_its_first_set_variable() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
        };
        assert_eq!(Lang::of_locale(env(&[("LANG", "vi_VN.UTF-8")])), Lang::Vi);
        assert_eq!(Lang::of_locale(env(&[("LANG", "en_US.UTF-8")])), Lang::En);
        assert_eq!(Lang::of_locale(env(&[])), Lang::En);
        assert_eq!(Lang::of_locale(env(&[("LC_ALL", "C"), ("LANG", "vi_VN")])), Lang::En);
        assert_eq!(Lang::of_locale(env(&[("LC_ALL", ""), ("LANG", "vi")])), Lang::Vi);
        assert_eq!(Lang::of_locale(env(&[("LC_MESSAGES", "vi_VN"), ("LANG", "C")])), Lang::Vi);
        assert_eq!(Lang::of_locale(env(&[("LANG", "VI_vn")])), Lang::Vi);
    }

    #[test]
    fn both_wordings_take_the_same_arguments() {
        let (row, file) = (12, "self.csv");
        let text = tr!("row {row} of {file}: no value", "dòng {row} của {file}: không có giá trị");
        assert_eq!(text.get(Lang::En), "row 12 of self.csv: no value");
        assert_eq!(text.get(Lang::Vi), "dòng 12 của self.csv: không có giá trị");
        let text = tr!("{} of {}", "{1} của {0}", "a", "b");
        assert_eq!((text.en.as_str(), text.vi.as_str()), ("a of b", "b của a"));
    }
}
