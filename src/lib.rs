//! parindex computes Vietnam's administrative reform index (Chỉ số CCHC, PAR INDEX) for a
//! province's agencies from a criteria set and the agencies' assessments.
//!
//! Layers point one way (see `docs/architecture.md`): `cli` → `cmd` → `report` (with
//! `audit` and `generate` beside it) → `score` → `read` → `model`, over the base files
//! (`diagnostic`, `source`, `text`, `output`, `progress`, `exit`) that any layer may use.

pub mod audit;
pub mod cli;
pub mod cmd;
pub mod diagnostic;
pub mod exit;
pub mod generate;
pub mod model;
pub mod output;
pub mod progress;
pub mod read;
pub mod report;
pub mod score;
pub mod source;
pub mod text;

pub use cli::{main, run_args as run};
pub use exit::Exit;
