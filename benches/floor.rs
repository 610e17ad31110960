//! The floor for `scripts/bench`: the least any scorer of a round's CSV files can do on two
//! cores. parindex must hash every input file for its audit trail (SHA-256 of its bytes) and
//! parse every field of it, so this does both and nothing else: one thread reads and hashes
//! every file, the other reads and parses every file with the csv crate, touching every
//! field. Both read from the page cache. `parindex score` cannot be faster than this.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{BufReader, Read};

use sha2::{Digest, Sha256};

/// Reads and parses every file, touching every field: how many fields and bytes they hold.
fn parse(paths: &[String]) -> (u64, u64) {
    let (mut fields, mut bytes) = (0u64, 0u64);
    for path in paths {
        let file = File::open(path).expect("a readable file");
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(BufReader::with_capacity(1 << 16, file));
        let mut record = csv::ByteRecord::new();
        while reader.read_byte_record(&mut record).expect("a CSV file") {
            fields += record.len() as u64;
            bytes += record.as_slice().len() as u64;
        }
    }
    (fields, bytes)
}

/// Reads every file and writes its SHA-256 in hex, as parindex records it.
fn hash(paths: &[String]) -> Vec<String> {
    let mut buffer = vec![0u8; 1 << 16];
    paths
        .iter()
        .map(|path| {
            let mut file = File::open(path).expect("a readable file");
            let mut hasher = Sha256::new();
            loop {
                let n = file.read(&mut buffer).expect("a readable file");
                if n == 0 {
                    break;
                }
                hasher.update(&buffer[..n]);
            }
            hasher.finalize().iter().fold(String::with_capacity(64), |mut hex, b| {
                let _ = write!(hex, "{b:02x}");
                hex
            })
        })
        .collect()
}

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let (digests, (fields, bytes)) = std::thread::scope(|s| {
        let hashing = s.spawn(|| hash(&paths));
        let parsed = parse(&paths);
        (hashing.join().expect("the hashing thread"), parsed)
    });
    // Printed so that the work cannot be optimised away.
    let last = digests.last().map_or("-", String::as_str);
    println!("{fields} fields, {bytes} bytes, {} digests (last {last})", digests.len());
}
