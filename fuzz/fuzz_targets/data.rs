//! Arbitrary bytes as a round's data file: see `parindex_fuzz::data`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| parindex_fuzz::data(bytes));
