//! parindex computes Vietnam's administrative reform index (Chỉ số CCHC, PAR INDEX) for a
//! province's agencies from a criteria set and the agencies' assessments.
//!
//! Layers point one way (see `docs/architecture.md`): `cli` → `cmd` → `report` (with
//! `audit` and `generate` beside it) → `score` → `read` → `model`, over the base files
//! (`diagnostic`, `lang`, `source`, `text`, `output`, `progress`, `exit`) that any layer may use.

//!
//! The library's surface is small: the command line as a function ([`run`], [`main`]),
//! and the layers a program or a test may build on — the model, the readers, scoring,
//! the reports and the audit trail. Everything else is `pub(crate)`, and the
//! `unreachable_pub` lint keeps it so.

#![warn(unreachable_pub)]

pub mod audit;
mod cli;
mod cmd;
pub mod diagnostic;
mod exit;
pub mod generate;
mod import;
pub mod lang;
pub mod model;
mod output;
mod pdf;
pub mod progress;
pub mod read;
pub mod report;
pub mod score;
pub mod source;
mod text;

pub use cli::{main, run_args as run};
pub use exit::Exit;
