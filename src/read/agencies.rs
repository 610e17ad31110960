//! `agencies.csv`: who is scored, in which group they are ranked, and the names the
//! groups are shown by.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::lang::Text;
use crate::model::round::Agency;
use crate::read::columns::{AGENCY, AGENCY_NAME, GROUP, GROUP_NAME, misspelt_of};
use crate::read::encoding::{SAVE_AS, SAVE_AS_VI};
use crate::read::table::Table;
use crate::text::{ascii_key, look_alike_char, look_alike_key, lost_letters, quote};
use crate::tr;

/// How many agency ids listed twice are shown one by one before the rest are counted.
const SHOWN_DUPLICATES: usize = 20;

/// An agencies file as read.
#[derive(Debug, Clone, Default)]
pub struct Agencies {
    pub list: Vec<Agency>,
    /// Group id → the display name its `group_name` cells give it, where one does.
    pub group_names: BTreeMap<String, GroupName>,
}

/// A group's display name and the cell that first gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupName {
    pub name: String,
    pub line: usize,
    pub span: Range<usize>,
}

/// Reads the agencies, reporting missing columns, empty cells, repeated ids and a group
/// given two names.
pub fn read(table: &Table, out: &mut Vec<Diagnostic>) -> Agencies {
    out.extend(table.problems.iter().cloned());
    let keys = table.header_keys();
    let path = &table.source.path;
    let header_line = table.source.line_span(table.header.start);
    table.columns_named_once(&[AGENCY, AGENCY_NAME, GROUP, GROUP_NAME], out);
    // Optional: the name each group is shown by.
    let group_name_col = GROUP_NAME.find(&keys);
    if let Some((i, column)) = misspelt_of(&keys, &[GROUP_NAME]) {
        let (q, name) = (quote(table.header.get(i)), column.name);
        let (or_en, or_vi) = (column.aliases.join(" or "), column.aliases.join(" hoặc "));
        out.push(
            Diagnostic::warning(
                "unknown-column",
                tr!(
                    "{path}: the column {q} is not one parindex reads, and the file has no `{name}` column: the groups are shown by their ids",
                    "{path}: parindex không đọc cột {q}, và tệp không có cột `{name}`: các nhóm được hiển thị bằng mã của chúng"
                ),
            )
            .at(table.span(&table.header, i), tr!("not `{name}`", "không phải `{name}`"))
            .help(Text::new(
                format!("did you mean `{name}`? Name the column {or_en}"),
                format!("có phải là `{name}`? Hãy đặt tên cột là {or_vi}"),
            )),
        );
    }
    let mut group_names: BTreeMap<String, GroupName> = BTreeMap::new();
    let mut columns = Vec::new();
    for column in [AGENCY, AGENCY_NAME, GROUP] {
        if let Some(i) = column.find(&keys) {
            columns.push(i);
        } else {
            let name = column.name;
            out.push(
                Diagnostic::error(
                    "missing-column",
                    tr!("{path} has no `{name}` column", "{path} không có cột `{name}`"),
                )
                .at(header_line.clone(), tr!("the header", "dòng tiêu đề"))
                .help(tr!(
                    "the agencies file has the columns id,name,group (or ma_don_vi,ten_don_vi,nhom), and may name each group with group_name (ten_nhom)",
                    "tệp danh sách đơn vị có các cột id,name,group (hoặc ma_don_vi,ten_don_vi,nhom), và có thể đặt tên cho mỗi nhóm bằng cột group_name (ten_nhom)"
                )),
            );
        }
    }
    let [id_col, name_col, group_col] = columns[..] else { return Agencies::default() };
    let mut agencies: Vec<Agency> = Vec::new();
    let mut seen: HashMap<String, crate::read::table::Place> = HashMap::new();
    // Each group by its letters without case, accents or punctuation: the first spelling
    // and where it was, to warn of another spelling of what is likely the same group.
    let mut groups: HashMap<String, (String, crate::read::table::Place)> = HashMap::new();
    // Every spelling met: a group's key is worked out once, not on each of its rows.
    let mut spellings: std::collections::HashSet<String> = std::collections::HashSet::new();
    // Names with a '?' where a letter was: their line and the cell.
    let mut lost: Vec<(usize, String, std::ops::Range<usize>)> = Vec::new();
    // An agencies file pasted twice lists every agency again: the first few are shown,
    // the rest counted, so that the messages stay as short as the mistake is simple.
    let mut duplicates = 0usize;
    let mut last_duplicate: Option<(usize, String, crate::read::table::Place, usize)> = None;
    table.each_row(|row| {
        if !table.check_row(row, out) {
            return;
        }
        let mut complete = true;
        let line = row.line;
        for (col, en, vi) in [(id_col, "id", "mã"), (name_col, "name", "tên"), (group_col, "group", "nhóm")]
        {
            if row.get(col).is_empty() {
                complete = false;
                out.push(
                    Diagnostic::error(
                        "empty-cell",
                        Text::new(
                            format!("{path}, line {line}: the agency's {en} is empty"),
                            format!("dòng {line} của {path}: {vi} của đơn vị để trống"),
                        ),
                    )
                    .at(
                        table.span(row, col),
                        Text::new(format!("no {en}"), format!("không có {vi}")),
                    ),
                );
            }
        }
        if !complete {
            return;
        }
        let id = row.get(id_col).to_string();
        // An id that looks like another on screen but is not it: every file that names the
        // agency would have to hold the same invisible character or foreign letter.
        let odd = if id.chars().any(crate::text::is_invisible) {
            Some(("invisible-character", tr!("an invisible character", "một ký tự vô hình")))
        } else if !id.is_ascii() && crate::text::mixes_scripts(&id) {
            Some(("mixed-scripts", tr!("letters of two scripts", "chữ cái của hai hệ chữ viết")))
        } else {
            None
        };
        if let Some((code, what)) = odd {
            let which = crate::text::look_alike_char(&id).unwrap_or_else(|| what.clone());
            let (q, looks_like) = (quote(&id), quote(&crate::text::look_alike_key(&id)));
            out.push(
                Diagnostic::error(
                    code,
                    Text::new(
                        format!("{path}, line {line}: the agency id {q} holds {}", which.en),
                        format!("dòng {line} của {path}: mã đơn vị {q} chứa {}", which.vi),
                    ),
                )
                .at(table.span(row, id_col), what)
                .help(tr!(
                    "retype the id with the Latin letters of a Vietnamese keyboard: it looks like {looks_like} but is another id, which no other file would match",
                    "hãy gõ lại mã bằng chữ cái Latinh của bàn phím tiếng Việt: mã này trông giống {looks_like} nhưng là một mã khác, không tệp nào khác khớp với nó"
                )),
            );
            return;
        }
        if let Some(&first) = seen.get(&id) {
            duplicates += 1;
            if duplicates > SHOWN_DUPLICATES {
                let first_line = table.source.line_col(table.span_at(first).start).0;
                last_duplicate = Some((row.line, id, row.place(id_col), first_line));
                return;
            }
            let q = quote(&id);
            out.push(
                Diagnostic::error(
                    "duplicate-agency",
                    tr!(
                        "{path}, line {line}: the agency id {q} is listed twice",
                        "dòng {line} của {path}: mã đơn vị {q} được liệt kê hai lần"
                    ),
                )
                .at(table.span(row, id_col), tr!("listed again here", "liệt kê lại ở đây"))
                .with_context(table.span_at(first), tr!("first listed here", "liệt kê lần đầu ở đây"))
                .help(tr!(
                    "list each agency once; ids are compared in Unicode NFC, so one typed on a Mac and one typed on Windows are the same id",
                    "hãy liệt kê mỗi đơn vị một lần; mã được so sánh theo Unicode NFC, nên mã gõ trên máy Mac và mã gõ trên Windows là cùng một mã"
                )),
            );
            return;
        }
        seen.insert(id.clone(), row.place(id_col));
        if lost_letters(row.get(name_col)) {
            lost.push((row.line, row.get(name_col).to_string(), table.span(row, name_col)));
        }
        let group = row.get(group_col);
        if !spellings.contains(group) {
            spellings.insert(group.to_string());
            // Look-alike letters and invisible characters are folded too: "so-ngаnh" with
            // a Cyrillic а is the group "so-nganh" to anyone reading the table.
            let (first, at) = groups
                .entry(ascii_key(&look_alike_key(group)))
                .or_insert_with(|| (group.to_string(), row.place(group_col)));
            if first != group {
                let but = look_alike_char(group).or_else(|| look_alike_char(first)).unwrap_or_else(
                    || tr!("case, accents or punctuation", "chữ hoa, chữ thường, dấu thanh hoặc dấu câu"),
                );
                let (q, q_first) = (quote(group), quote(first));
                out.push(
                    Diagnostic::warning(
                        "similar-groups",
                        Text::new(
                            format!(
                                "{path}, line {line}: the group {q} is spelt like {q_first} but for {}: they are ranked apart",
                                but.en
                            ),
                            format!(
                                "dòng {line} của {path}: nhóm {q} được viết giống {q_first}, chỉ khác ở {}: hai nhóm được xếp hạng riêng",
                                but.vi
                            ),
                        ),
                    )
                    .at(table.span(row, group_col), tr!("this spelling", "cách viết này"))
                    .with_context(table.span_at(*at), tr!("the first spelling", "cách viết đầu tiên"))
                    .help(tr!(
                        "write every agency of one group with the same group name, letter for letter",
                        "hãy ghi mọi đơn vị của một nhóm với cùng một tên nhóm, giống hệt từng chữ"
                    )),
                );
            }
        }
        if let Some(col) = group_name_col.filter(|&c| !row.get(c).is_empty()) {
            let name = crate::text::single_spaced(row.get(col));
            match group_names.get(group) {
                None => {
                    let span = table.span(row, col);
                    group_names.insert(group.to_string(), GroupName { name, line: row.line, span });
                }
                Some(first) if first.name != name => {
                    let (q, q_name, q_first, first_line) =
                        (quote(group), quote(&name), quote(&first.name), first.line);
                    out.push(
                        Diagnostic::error(
                            "group-name-conflict",
                            tr!(
                                "{path}, line {line}: the group {q} is named {q_name} here but {q_first} on line {first_line}",
                                "dòng {line} của {path}: nhóm {q} ở đây có tên {q_name} nhưng ở dòng {first_line} có tên {q_first}"
                            ),
                        )
                        .at(table.span(row, col), tr!("another name", "một tên khác"))
                        .with_context(
                            first.span.clone(),
                            tr!("the name first given", "tên được đặt lần đầu"),
                        )
                        .help(tr!(
                            "a group has one name: write it the same on every row of the group, or on one row and leave the others empty",
                            "mỗi nhóm có một tên: hãy ghi giống nhau trên mọi dòng của nhóm, hoặc ghi trên một dòng và để trống các dòng khác"
                        )),
                    );
                }
                Some(_) => {}
            }
        }
        agencies.push(Agency {
            id,
            name: row.get(name_col).to_string(),
            group: row.get(group_col).to_string(),
        });
    });
    if let Some((line, id, at, first)) = last_duplicate {
        let more = duplicates - SHOWN_DUPLICATES;
        let q = quote(&id);
        out.push(
            Diagnostic::error(
                "duplicate-agency",
                tr!(
                    "{path}: {more} more agency ids are listed twice; the last is {q} on line {line} (first listed on line {first})",
                    "{path}: thêm {more} mã đơn vị nữa được liệt kê hai lần; mã cuối là {q} ở dòng {line} (liệt kê lần đầu ở dòng {first})"
                ),
            )
            .at(table.span_at(at), tr!("the last listed again", "mã cuối cùng bị liệt kê lại"))
            .help(tr!(
                "was the list, or part of it, pasted twice? List each agency once",
                "danh sách, hoặc một phần của nó, có bị dán hai lần không? Hãy liệt kê mỗi đơn vị một lần"
            )),
        );
    }
    if let Some((_, _, first)) = lost.first() {
        let shown = |line_word: &str| {
            lost.iter()
                .take(3)
                .map(|(line, name, _)| format!("{line_word} {line}: {}", quote(name)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (count, rest) = (lost.len(), lost.len().saturating_sub(3));
        let (more_en, more_vi) = if rest > 0 {
            (format!(" and {rest} more"), format!(" và {rest} tên nữa"))
        } else {
            (String::new(), String::new())
        };
        out.push(
            Diagnostic::error(
                "lost-letters",
                Text::new(
                    format!(
                        "{path}: {count} agency names hold '?' where a letter should be ({}{more_en}): the file was saved by a program that could not write Vietnamese letters",
                        shown("line")
                    ),
                    format!(
                        "{path}: {count} tên đơn vị chứa '?' ở chỗ lẽ ra là chữ cái ({}{more_vi}): tệp đã được lưu bởi một chương trình không ghi được chữ tiếng Việt",
                        shown("dòng")
                    ),
                ),
            )
            .at(first.clone(), tr!("'?' for a letter", "'?' thay cho chữ cái"))
            .help(tr!(
                "the letters are lost from this file: {SAVE_AS} again (Excel's plain \"CSV\" on a Windows without Vietnamese writes '?' for ở, ộ, ụ, ư, đ …)",
                "các chữ cái đã mất khỏi tệp này: hãy {SAVE_AS_VI} (định dạng \"CSV\" thường của Excel trên một máy Windows không có tiếng Việt ghi '?' thay cho ở, ộ, ụ, ư, đ …)"
            )),
        );
    }
    if agencies.is_empty() && out.is_empty() {
        out.push(
            Diagnostic::error(
                "no-agencies",
                tr!("{path} lists no agencies", "{path} không liệt kê đơn vị nào"),
            )
            .at(header_line, tr!("only a header", "chỉ có dòng tiêu đề")),
        );
    }
    Agencies { list: agencies, group_names }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::source::SourceFile;

    fn read_text(text: &str) -> (Agencies, Vec<Diagnostic>) {
        let table = Table::parse(SourceFile::new("agencies.csv", text)).unwrap();
        let mut out = Vec::new();
        let agencies = read(&table, &mut out);
        (agencies, out)
    }

    #[test]
    fn a_group_is_named_once_and_the_other_rows_may_leave_it_empty() {
        let (agencies, out) = read_text(
            "Mã đơn vị,Tên đơn vị,Nhóm,Tên nhóm\n\
             so-noi-vu,Sở Nội vụ,so-nganh,\n\
             so-tu-phap,Sở Tư pháp,so-nganh,\"Sở,  ban, ngành \"\n\
             so-y-te,Sở Y tế,so-nganh,\"Sở, ban, ngành\"\n\
             phuong-a,Phường A,xa-phuong,\n",
        );
        assert!(out.is_empty(), "{out:?}");
        assert_eq!(agencies.list.len(), 4);
        assert_eq!(agencies.group_names.len(), 1);
        let named = &agencies.group_names["so-nganh"];
        assert_eq!((named.name.as_str(), named.line), ("Sở, ban, ngành", 3));
    }

    #[test]
    fn a_group_given_two_names_is_an_error_on_each_row_that_differs() {
        let (agencies, out) = read_text(
            "id,name,group,group_name\n\
             so-noi-vu,Sở Nội vụ,so-nganh,\"Sở, ban, ngành\"\n\
             so-tu-phap,Sở Tư pháp,so-nganh,Khối sở\n\
             so-y-te,Sở Y tế,so-nganh,\"sở, ban, ngành\"\n\
             phuong-a,Phường A,xa-phuong,\"Xã, phường\"\n",
        );
        let codes: Vec<&str> = out.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["group-name-conflict", "group-name-conflict"]);
        assert_eq!(
            out[0].message.en,
            "agencies.csv, line 3: the group \"so-nganh\" is named \"Khối sở\" here but \"Sở, ban, ngành\" on line 2"
        );
        assert_eq!(
            out[0].message.vi,
            "dòng 3 của agencies.csv: nhóm \"so-nganh\" ở đây có tên \"Khối sở\" nhưng ở dòng 2 có tên \"Sở, ban, ngành\""
        );
        assert!(out[1].message.en.starts_with("agencies.csv, line 4:"), "{:?}", out[1].message);
        assert_eq!(out[0].context.len(), 1, "the first name is marked");
        assert_eq!(agencies.group_names["xa-phuong"].name, "Xã, phường");
    }

    #[test]
    fn a_misspelt_group_name_column_is_a_warning() {
        let (agencies, out) =
            read_text("id,name,group,Tên nhómm\nso-noi-vu,Sở Nội vụ,so-nganh,\"Sở, ban, ngành\"\n");
        assert_eq!(agencies.list.len(), 1);
        assert!(agencies.group_names.is_empty());
        assert_eq!(out.len(), 1, "{out:?}");
        assert_eq!((out[0].code, out[0].severity), ("unknown-column", Severity::Warning));
        assert_eq!(
            out[0].message.en,
            "agencies.csv: the column \"Tên nhómm\" is not one parindex reads, and the file has no `group_name` column: the groups are shown by their ids"
        );
        // Other columns are read past, as ever.
        let (_, out) = read_text("id,name,group,Ghi chú,STT\nso-noi-vu,Sở Nội vụ,so-nganh,x,1\n");
        assert!(out.is_empty(), "{out:?}");
    }

    #[test]
    fn without_the_column_no_group_has_a_name() {
        let (agencies, out) = read_text("id,name,group\nso-noi-vu,Sở Nội vụ,so-nganh\n");
        assert!(out.is_empty());
        assert!(agencies.group_names.is_empty());
    }
}
