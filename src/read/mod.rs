//! Reading inputs: TOML tables with their places, tabular files as people save them, and
//! the files of a scoring round. Readers check and report; they never format output.

pub mod agencies;
pub mod assessment;
pub mod columns;
pub mod criteria;
pub mod encoding;
pub mod fast;
pub mod fields;
pub mod file;
pub mod inputs;
pub mod number;
pub mod round_file;
pub mod table;
pub mod value;
pub mod xlsx;
