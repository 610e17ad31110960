//! The columns parindex reads, with the Vietnamese names people give them. Headers are
//! compared as ASCII keys (`Table::header_keys`): "Mã tiêu chí" is `ma_tieu_chi`.

/// A column and the names it goes by.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
}

pub const AGENCY: Column = Column {
    name: "agency",
    aliases: &["agency", "don_vi", "ma_don_vi", "co_quan", "ma_co_quan", "id", "ma"],
};
pub const AGENCY_NAME: Column =
    Column { name: "name", aliases: &["name", "ten", "ten_don_vi", "ten_co_quan"] };
pub const GROUP: Column = Column { name: "group", aliases: &["group", "nhom", "khoi"] };
pub const CODE: Column = Column { name: "code", aliases: &["code", "ma_tieu_chi", "tieu_chi"] };
pub const VALUE: Column = Column { name: "value", aliases: &["value", "gia_tri", "ket_qua"] };
pub const EVIDENCE: Column =
    Column { name: "evidence", aliases: &["evidence", "tai_lieu_kiem_chung", "tlkc"] };
pub const NOTE: Column = Column { name: "note", aliases: &["note", "ghi_chu"] };
pub const EXPLANATION: Column =
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
pub fn misspelt(keys: &[String]) -> Option<(usize, Column)> {
    let known = [AGENCY, AGENCY_NAME, GROUP, CODE, VALUE, EVIDENCE, NOTE, EXPLANATION];
    let absent: Vec<Column> =
        [EVIDENCE, NOTE, EXPLANATION].into_iter().filter(|c| c.find(keys).is_none()).collect();
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
