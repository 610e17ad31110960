//! The agencies' ids, looked up by every row of a round's files: kept side by side in one
//! block of text, so that a round whose rows are not grouped by agency (each row naming
//! another agency than the last) reads its lookups from a few hot megabytes rather than
//! from a hundred thousand strings strewn over the heap.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

use crate::model::round::Agency;

/// Agency id → its index in the agencies file.
pub(crate) struct Ids {
    /// Every id, one after the other.
    text: String,
    /// Where each id ends in `text`, by index.
    ends: Vec<u32>,
    table: HashTable<u32>,
}

impl Ids {
    pub(crate) fn new(agencies: &[Agency]) -> Self {
        let mut text = String::with_capacity(agencies.iter().map(|a| a.id.len()).sum());
        let mut ends = Vec::with_capacity(agencies.len());
        let mut table = HashTable::with_capacity(agencies.len());
        for (i, agency) in agencies.iter().enumerate() {
            text.push_str(&agency.id);
            ends.push(u32::try_from(text.len()).expect("ids of less than 4 GB"));
            let i = u32::try_from(i).expect("fewer than 2³² agencies");
            // The agencies file has no id twice: its reader refuses one.
            let hash = FxBuildHasher.hash_one(agency.id.as_bytes());
            table.insert_unique(hash, i, |&j| FxBuildHasher.hash_one(Self::at(&text, &ends, j)));
        }
        Ids { text, ends, table }
    }

    fn at<'t>(text: &'t str, ends: &[u32], i: u32) -> &'t [u8] {
        let end = ends[i as usize] as usize;
        let start = if i == 0 { 0 } else { ends[i as usize - 1] as usize };
        &text.as_bytes()[start..end]
    }

    /// The id of agency `i`.
    pub(crate) fn id(&self, i: u32) -> &[u8] {
        Self::at(&self.text, &self.ends, i)
    }

    /// The index of the agency whose id is `id`, exactly as written.
    pub(crate) fn get(&self, id: &[u8]) -> Option<u32> {
        let hash = FxBuildHasher.hash_one(id);
        self.table.find(hash, |&j| self.id(j) == id).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_and_only_they_are_found() {
        let agencies: Vec<Agency> = ["so-noi-vu", "so-tu-phap", "ubnd-xa-a", "so", "so-noi-vu-2"]
            .map(|id| Agency { id: id.into(), name: id.into(), group: "g".into() })
            .to_vec();
        let ids = Ids::new(&agencies);
        for (i, a) in agencies.iter().enumerate() {
            assert_eq!(ids.get(a.id.as_bytes()), Some(u32::try_from(i).unwrap()));
            assert_eq!(ids.id(u32::try_from(i).unwrap()), a.id.as_bytes());
        }
        for other in ["", "so-noi", "so-noi-vu ", "Sở Nội vụ", "so-tu-phapx"] {
            assert_eq!(ids.get(other.as_bytes()), None, "{other}");
        }
    }
}
