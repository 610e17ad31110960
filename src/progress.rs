//! Progress on standard error for runs long enough to wait for: a spinner while files
//! are read, a bar while agencies are scored. Hidden when standard error is not a
//! terminal, with `--quiet`, and for rounds small enough to finish at once.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::lang::{Lang, Text};

/// Inputs smaller than this finish in well under a second: no progress is shown.
pub const WORTH_SHOWING_BYTES: u64 = 16 * 1024 * 1024;

/// A progress display, or nothing, and the language of its words: the bar is drawn from
/// its own thread, so it is told the language when it is made.
pub struct Progress {
    bar: Option<ProgressBar>,
    lang: Lang,
}

impl Progress {
    /// Shown only when `wanted` and standard error is a terminal (indicatif's own check),
    /// its words in `lang`.
    pub fn new(wanted: bool, lang: Lang) -> Self {
        if !wanted {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        Progress { bar: Some(bar), lang }
    }

    /// A display that is never shown, for work done where no one watches.
    pub fn hidden() -> Self {
        // No words are ever shown, so the language is never read.
        Progress { bar: None, lang: Lang::En }
    }

    /// Starts drawing, once the work is known to be large enough to wait for.
    pub fn show(&self) {
        if let Some(bar) = &self.bar {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
        }
    }

    /// A spinner with a message, for work of unknown length.
    pub fn step(&self, message: &Text) {
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(message.get(self.lang).to_string());
        }
    }

    /// A bar of `len` steps.
    pub fn count(&self, message: &Text, len: usize) {
        if let Some(bar) = &self.bar {
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_length(len as u64);
            bar.set_position(0);
            bar.set_message(message.get(self.lang).to_string());
        }
    }

    /// One step of a bar done (safe from any thread).
    pub fn tick(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// `n` steps of a bar done.
    pub fn advance(&self, n: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
    }

    /// Removes the display, leaving standard error as it was.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
