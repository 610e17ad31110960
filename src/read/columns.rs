//! The columns parindex reads, with the Vietnamese names people give them. Headers are
//! compared as ASCII keys (`Table::header_keys`): "Mã tiêu chí" is `ma_tieu_chi`.

/// A column and the names it goes by.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
}

pub(crate) const AGENCY: Column = Column {
    name: "agency",
    aliases: &["agency", "don_vi", "ma_don_vi", "co_quan", "ma_co_quan", "id", "ma"],
};
pub(crate) const AGENCY_NAME: Column =
    Column { name: "name", aliases: &["name", "ten", "ten_don_vi", "ten_co_quan"] };
pub(crate) const GROUP: Column = Column { name: "group", aliases: &["group", "nhom", "khoi"] };
/// The display name of an agency's group ("Sở, ban, ngành"): optional.
pub(crate) const GROUP_NAME: Column =
    Column { name: "group_name", aliases: &["group_name", "ten_nhom", "ten_khoi"] };
pub(crate) const CODE: Column =
    Column { name: "code", aliases: &["code", "ma_tieu_chi", "tieu_chi"] };
pub(crate) const VALUE: Column = Column {
    name: "value",
    // The template's workbook heads the column with what to do: "Giá trị (điền vào đây)".
    aliases: &["value", "gia_tri", "ket_qua", "gia_tri_dien_vao_day", "value_fill_in_here"],
};
pub(crate) const EVIDENCE: Column =
    Column { name: "evidence", aliases: &["evidence", "tai_lieu_kiem_chung", "tlkc"] };
pub(crate) const NOTE: Column = Column { name: "note", aliases: &["note", "ghi_chu"] };
pub(crate) const EXPLANATION: Column =
    Column { name: "explanation", aliases: &["explanation", "giai_trinh"] };

impl Column {
    pub fn matches(self, key: &str) -> bool {
        self.aliases.contains(&key)
    }

    /// Where this column is in a table's header.
    pub fn find(self, keys: &[String]) -> Option<usize> {
        keys.iter().position(|k| self.matches(k))
    }
}

/// The first header cell (index, and the column it seems meant for) that reads as a
/// misspelling of an optional column the header lacks: `evidance` beside
/// agency,code,value. Such a column would be passed over, and the evidence with it. Other
/// columns of a long-form file (a criterion's name, its rubric) are read past as usual.
pub(crate) fn misspelt(keys: &[String]) -> Option<(usize, Column)> {
    misspelt_of(keys, &[EVIDENCE, NOTE, EXPLANATION])
}

/// [`misspelt`], for the optional columns `optional` of a file.
pub(crate) fn misspelt_of(keys: &[String], optional: &[Column]) -> Option<(usize, Column)> {
    let known = [AGENCY, AGENCY_NAME, GROUP, GROUP_NAME, CODE, VALUE, EVIDENCE, NOTE, EXPLANATION];
    let absent: Vec<Column> = optional.iter().copied().filter(|c| c.find(keys).is_none()).collect();
    keys.iter().enumerate().find_map(|(i, key)| {
        if key.is_empty() || known.iter().any(|c| c.matches(key)) {
            return None;
        }
        absent
            .iter()
            .copied()
            .find(|c| crate::text::did_you_mean(key, c.aliases).is_some())
            .map(|c| (i, c))
    })
}

/// Every column of `columns` that two header cells name (`value` and `gia_tri`): the
/// column, and the first cell and the other. Only one of them could be read, and the
/// other would be passed over without a word.
pub(crate) fn named_twice(keys: &[String], columns: &[Column]) -> Vec<(Column, usize, usize)> {
    columns
        .iter()
        .filter_map(|&c| {
            let mut at = keys.iter().enumerate().filter(|(_, k)| c.matches(k)).map(|(i, _)| i);
            Some((c, at.next()?, at.next()?))
        })
        .collect()
}

/// The columns an assessment file is read by.
pub(crate) const ASSESSMENT: [Column; 6] = [AGENCY, CODE, VALUE, EVIDENCE, NOTE, EXPLANATION];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_named_twice_is_found_by_any_of_its_names() {
        let keys: Vec<String> =
            ["agency", "code", "value", "evidence", "gia_tri"].map(String::from).into();
        let twice = named_twice(&keys, &ASSESSMENT);
        assert_eq!(twice.len(), 1);
        assert_eq!((twice[0].0.name, twice[0].1, twice[0].2), ("value", 2, 4));
        let keys: Vec<String> = ["agency", "code", "value"].map(String::from).into();
        assert!(named_twice(&keys, &ASSESSMENT).is_empty());
    }
}
