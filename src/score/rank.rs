//! Ranks inside a group: highest index first, equal indexes share a rank (1, 2, 2, 4),
//! ties listed by agency name in Vietnamese order (a ă â … d đ …), then id.

use std::cmp::Ordering;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};

/// Vietnamese alphabetical order.
pub struct Vietnamese(CollatorBorrowed<'static>);

impl Vietnamese {
    pub fn new() -> Self {
        let collator =
            Collator::try_new(icu_locale_core::locale!("vi").into(), CollatorOptions::default())
                .expect("the Vietnamese collation is compiled into icu_collator");
        Vietnamese(collator)
    }

    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.0.compare(a, b)
    }
}

impl Default for Vietnamese {
    fn default() -> Self {
        Self::new()
    }
}

/// One agency to place: the key that ranks it (`None`: unranked), its name and id.
pub struct Entry<'a, K> {
    pub key: Option<K>,
    pub name: &'a str,
    pub id: &'a str,
}

/// The order to list the entries in, and each entry's rank (by position in `entries`).
/// Entries without a key come last, unranked.
pub fn rank<K: Ord>(
    entries: &[Entry<'_, K>],
    collation: &Vietnamese,
) -> (Vec<usize>, Vec<Option<usize>>) {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&entries[a], &entries[b]);
        // Higher keys first; no key after any key.
        let by_key = match (&x.key, &y.key) {
            (Some(p), Some(q)) => q.cmp(p),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_key.then_with(|| collation.compare(x.name, y.name)).then_with(|| x.id.cmp(y.id))
    });
    let mut ranks = vec![None; entries.len()];
    let mut previous: Option<(&K, usize)> = None;
    for (position, &i) in order.iter().enumerate() {
        let Some(key) = &entries[i].key else { continue };
        let rank = match previous {
            Some((p, r)) if p == key => r,
            _ => position + 1,
        };
        ranks[i] = Some(rank);
        previous = Some((key, rank));
    }
    (order, ranks)
}

/// Each key's rank by the rule of [`rank`] — higher first, equal keys share a rank (1, 2,
/// 2, 4), no key no rank — where only the ranks are wanted: a rank is one more than the
/// number of keys above it, whatever order ties are listed in.
pub fn shared_ranks<K: Ord>(keys: &[Option<K>]) -> Vec<Option<usize>> {
    let mut order: Vec<(usize, &K)> =
        keys.iter().enumerate().filter_map(|(i, k)| k.as_ref().map(|k| (i, k))).collect();
    order.sort_by(|a, b| b.1.cmp(a.1));
    let mut ranks = vec![None; keys.len()];
    let mut previous: Option<(&K, usize)> = None;
    for (position, &(i, key)) in order.iter().enumerate() {
        let rank = match previous {
            Some((p, r)) if p == key => r,
            _ => position + 1,
        };
        ranks[i] = Some(rank);
        previous = Some((key, rank));
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_letters_sort_in_alphabet_order() {
        let v = Vietnamese::new();
        let mut names =
            vec!["Đội", "Dân", "Ấp", "Ăn", "An", "Ô", "Ơ", "O", "Sở Y tế", "Sở Xây dựng"];
        names.sort_by(|a, b| v.compare(a, b));
        assert_eq!(
            names,
            ["An", "Ăn", "Ấp", "Dân", "Đội", "O", "Ô", "Ơ", "Sở Xây dựng", "Sở Y tế"]
        );
    }

    #[test]
    fn equal_keys_share_a_rank_and_list_by_name() {
        let v = Vietnamese::new();
        let entries = [
            Entry { key: Some(80), name: "Sở Y tế", id: "syt" },
            Entry { key: Some(90), name: "Sở Nội vụ", id: "snv" },
            Entry { key: None, name: "Ban Dân tộc", id: "bdt" },
            Entry { key: Some(80), name: "Sở Đồng", id: "sd" },
            Entry { key: Some(70), name: "Sở Tư pháp", id: "stp" },
        ];
        let (order, ranks) = rank(&entries, &v);
        let ids: Vec<&str> = order.iter().map(|&i| entries[i].id).collect();
        assert_eq!(ids, ["snv", "sd", "syt", "stp", "bdt"]);
        assert_eq!(ranks, [Some(2), Some(1), None, Some(2), Some(4)]);
        // The ranks alone are the same.
        let keys: Vec<Option<i32>> = entries.iter().map(|e| e.key).collect();
        assert_eq!(shared_ranks(&keys), ranks);
    }

    #[test]
    fn shared_ranks_skip_the_places_of_ties_and_leave_no_key_unranked() {
        let keys = [Some(3), None, Some(5), Some(3), Some(3), Some(1), None];
        assert_eq!(shared_ranks(&keys), [Some(2), None, Some(1), Some(2), Some(2), Some(5), None]);
        assert_eq!(shared_ranks::<i32>(&[]), []);
        assert_eq!(shared_ranks::<i32>(&[None, None]), [None, None]);
    }
}
