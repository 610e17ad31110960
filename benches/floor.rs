//! The floor for `scripts/bench`: read and parse CSV files with the csv crate, touching
//! every field, and nothing else. parindex's `score` cannot be faster than this.

use std::io::BufReader;

fn main() {
    let mut fields: u64 = 0;
    let mut bytes: u64 = 0;
    for path in std::env::args().skip(1) {
        let file = std::fs::File::open(&path).expect("a readable file");
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(BufReader::with_capacity(1 << 16, file));
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).expect("a CSV file") {
            fields += record.len() as u64;
            bytes += record.as_slice().len() as u64;
        }
    }
    // Printed so that the work cannot be optimised away.
    println!("{fields} fields, {bytes} bytes");
}
