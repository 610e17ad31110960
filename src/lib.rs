//! parindex computes Vietnam's administrative reform index (Chỉ số CCHC, PAR INDEX) for a
//! province's agencies from a criteria set and the agencies' assessments.
//!
//! Layers point one way: `source` reads files, `criteria` and `rule` model the set,
//! `diagnostic` reports problems, `cmd` runs the subcommands that `cli` parses.

pub mod audit;
pub mod cli;
pub mod cmd;
pub mod criteria;
pub mod diagnostic;
pub mod exact;
pub mod exit;
pub mod generate;
pub mod grade;
pub mod index;
pub mod number;
pub mod output;
pub mod progress;
pub mod rank;
pub mod read;
pub mod report;
pub mod results;
pub mod round;
pub mod rule;
pub mod sensitivity;
pub mod source;
pub mod stack;
pub mod text;
pub mod value;
