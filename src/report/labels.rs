//! The words of reports, in Vietnamese (the default) and English.

use crate::model::output::Lang;

/// Every word a report prints.
pub struct Words {
    pub rank: &'static str,
    pub id: &'static str,
    pub agency: &'static str,
    pub bonus: &'static str,
    pub deduction: &'static str,
    pub points: &'static str,
    pub max: &'static str,
    pub index: &'static str,
    pub grade: &'static str,
    pub group: &'static str,
    pub fields: &'static str,
    pub field: &'static str,
    /// The table, or sheet, of each agency's rank in each field.
    pub field_ranks: &'static str,
    pub sub_index: &'static str,
    pub points_unit: &'static str,
    pub unranked: &'static str,
    pub nothing_applies: &'static str,
    pub self_stage: &'static str,
    /// The footnote of a set with `round_fields = "sum"`.
    pub fields_apportioned: &'static str,
    /// The footnote of a set with `round_leaves = true`.
    pub leaves_rounded: &'static str,
    /// What a workbook's sheet of a group holds.
    pub ranking: &'static str,
    /// What a workbook's sheet of a field holds.
    pub by_leaf: &'static str,
    /// A printed page's footer: `&P` is the page, `&N` the number of pages.
    pub page: &'static str,
    /// Before the year in a title that lacks it.
    pub year: &'static str,
}

const VI: Words = Words {
    rank: "Hạng",
    id: "Mã",
    agency: "Cơ quan, đơn vị",
    bonus: "Thưởng",
    deduction: "Trừ",
    points: "Tổng điểm",
    max: "Tối đa",
    index: "Chỉ số (%)",
    grade: "Xếp loại",
    group: "Nhóm",
    fields: "Lĩnh vực",
    field: "Lĩnh vực",
    field_ranks: "Xếp hạng theo lĩnh vực",
    sub_index: "Chỉ số thành phần (%)",
    points_unit: "điểm",
    unranked: "Không xếp hạng",
    nothing_applies: "không có tiêu chí nào được áp dụng",
    self_stage: "tự đánh giá, chưa thẩm định",
    fields_apportioned: "Điểm từng lĩnh vực được làm tròn sao cho cộng lại đúng bằng tổng điểm đã làm tròn (phương pháp phần dư lớn nhất): một lĩnh vực có thể chênh một đơn vị ở chữ số cuối so với điểm làm tròn của riêng nó.",
    leaves_rounded: "Điểm của từng tiêu chí thành phần được làm tròn trước khi cộng, như đơn vị công bố chỉ số tính.",
    ranking: "Kết quả xếp hạng",
    by_leaf: "điểm từng tiêu chí thành phần",
    page: "Trang &P/&N",
    year: "năm ",
};

const EN: Words = Words {
    rank: "Rank",
    id: "Id",
    agency: "Agency",
    bonus: "Bonus",
    deduction: "Deduction",
    points: "Points",
    max: "Max",
    index: "Index (%)",
    grade: "Grade",
    group: "Group",
    fields: "Fields",
    field: "Field",
    field_ranks: "Rank in each field",
    sub_index: "Sub-index (%)",
    points_unit: "points",
    unranked: "Not ranked",
    nothing_applies: "no criterion applies",
    self_stage: "self-assessment, not appraised",
    fields_apportioned: "Field points are apportioned (largest remainder) so that each row adds up to its rounded total: a field may differ by one unit in the last place from its own rounding.",
    leaves_rounded: "Each sub-criterion\'s points are rounded before they are added up, as the index\'s publisher computes it.",
    ranking: "Ranking",
    by_leaf: "points on each sub-criterion",
    page: "Page &P of &N",
    year: "",
};

impl Lang {
    pub fn words(self) -> &'static Words {
        match self {
            Lang::Vi => &VI,
            Lang::En => &EN,
        }
    }
}
