//! Reading inputs: TOML tables with their places, tabular files as people save them, and
//! the files of a scoring round. Readers check and report; they never format output.

pub mod agencies;
pub mod assessment;
pub(crate) mod blocks;
pub(crate) mod columns;
pub(crate) mod compute;
pub mod criteria;
pub(crate) mod encoding;
pub(crate) mod expr;
pub mod fast;
pub(crate) mod fields;
pub mod file;
pub(crate) mod groups;
pub(crate) mod ids;
pub mod inputs;
pub(crate) mod number;
pub mod round_file;
pub mod table;
pub(crate) mod value;
pub(crate) mod xlsx;
