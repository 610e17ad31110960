//! What a round is made of, as data: the criteria set and its rules and grades, the
//! agencies, the values of every stage. No parsing, no I/O, no arithmetic of the index.

pub mod compute;
pub mod criteria;
pub mod decision;
pub mod expr;
pub mod grade;
pub mod layer;
pub mod output;
pub mod round;
pub mod rule;
pub mod stack;
pub mod value;
