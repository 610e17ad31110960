//! Arbitrary bytes as a criteria file: see `parindex_fuzz::criteria`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| parindex_fuzz::criteria(bytes));
