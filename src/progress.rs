//! Progress on standard error for runs long enough to wait for: a spinner while files
//! are read, a bar while agencies are scored. Hidden when standard error is not a
//! terminal, with `--quiet`, and for rounds small enough to finish at once.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Inputs smaller than this finish in well under a second: no progress is shown.
pub const WORTH_SHOWING_BYTES: u64 = 16 * 1024 * 1024;

/// A progress display, or nothing.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// Shown only when `wanted` and standard error is a terminal (indicatif's own check).
    pub fn new(wanted: bool) -> Self {
        if !wanted {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        Progress(Some(bar))
    }

    /// Starts drawing, once the work is known to be large enough to wait for.
    pub fn show(&self) {
        if let Some(bar) = &self.0 {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
        }
    }

    /// A spinner with a message, for work of unknown length.
    pub fn step(&self, message: &str) {
        if let Some(bar) = &self.0 {
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(message.to_string());
        }
    }

    /// A bar of `len` steps.
    pub fn count(&self, message: &str, len: usize) {
        if let Some(bar) = &self.0 {
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_length(len as u64);
            bar.set_position(0);
            bar.set_message(message.to_string());
        }
    }

    /// One step of a bar done (safe from any thread).
    pub fn tick(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    /// `n` steps of a bar done.
    pub fn advance(&self, n: usize) {
        if let Some(bar) = &self.0 {
            bar.inc(n as u64);
        }
    }

    /// Removes the display, leaving standard error as it was.
    pub fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
