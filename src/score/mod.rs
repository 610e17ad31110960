//! The index: rules applied to values, points summed up the tree exactly (on decimals
//! first, where the filter finds that gives the same figures), every agency scored at
//! both stages, ranked and graded; and how steady the ranks are.

pub mod apportion;
pub mod exact;
pub mod figure;
pub mod filter;
pub(crate) mod points;
pub mod rank;
pub mod results;
pub mod sensitivity;
pub mod tree;
