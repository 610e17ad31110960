//! Arbitrary bytes as a whole round, scored and rendered: see `parindex_fuzz::round`.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| parindex_fuzz::round(bytes));
