//! Values computed from the round's raw tables (spec §6): the one-stop-shop statistics
//! (one row per agency, an expression over it) and survey responses (one row per
//! respondent). What comes out is a layer like any file's, the system's figures, laid
//! after the self-assessment and before the appraisal rounds; each cell remembers how it
//! came about, for explain. `statistics` reads one row per agency, `responses` one row
//! per respondent.

mod quick;
mod responses;
mod statistics;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;

use crate::diagnostic::{Diagnostic, FileReport};
use crate::lang::Text;
use crate::model::compute::{Compute, How};
use crate::model::criteria::{CriteriaSet, Leaf, Node, NodeId};
use crate::model::layer::{Cell, CellTexts, Derivation, Derived, Layer, LayerKind};
use crate::model::round::{Agency, InputFile, Role};
use crate::model::value::Value;
use crate::read::columns::AGENCY;
use crate::read::file::shown;
use crate::read::ids::Ids;
use crate::read::round_file::TableInput;
use crate::read::table::{Row, Table};
use crate::text::{Quoted, ascii_key, did_you_mean, fold, quote};
use crate::tr;

/// How many problems of one kind are named one by one; the rest are counted.
const SHOWN: usize = 20;

/// What computing the round's tables gave.
pub(crate) struct Computed {
    /// The system's figures: one cell per agency and computed leaf that has one.
    pub(crate) layer: Layer,
    /// The tables read, each with its digest.
    pub(crate) files: Vec<InputFile>,
    /// What was found in each table's file.
    pub(crate) reports: Vec<FileReport>,
    /// Problems that belong to the criteria file: a table the round does not name, a
    /// column the table lacks.
    pub(crate) criteria: Vec<Diagnostic>,
}

impl Computed {
    fn empty() -> Self {
        Computed {
            layer: Layer { kind: LayerKind::Computed, path: String::new(), cells: Vec::new() },
            files: Vec::new(),
            reports: Vec::new(),
            criteria: Vec::new(),
        }
    }

    /// Takes in what one table gave.
    fn add(&mut self, table: Computed) {
        self.layer.cells.extend(table.layer.cells);
        self.files.extend(table.files);
        self.reports.extend(table.reports);
        self.criteria.extend(table.criteria);
    }
}

/// A computed leaf.
struct Target<'s> {
    id: NodeId,
    node: &'s Node,
    leaf: &'s Leaf,
    compute: &'s Compute,
}

/// Whose computed values keep how they were computed (their derivation), for reports
/// that show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Texts {
    None,
    All,
    /// One agency's, for a report on it alone.
    Of(usize),
}

impl Texts {
    fn of(self, agency: usize) -> bool {
        match self {
            Texts::None => false,
            Texts::All => true,
            Texts::Of(a) => a == agency,
        }
    }
}

/// Computes every computed leaf of `set` for `agencies` from `tables`. Keeps each cell's
/// derivation as `texts` says.
pub(crate) fn compute(
    set: &CriteriaSet,
    agencies: &[Agency],
    tables: &[TableInput],
    texts: Texts,
) -> Computed {
    let path = tables.iter().map(|t| shown(&t.path)).collect::<Vec<_>>().join(", ");
    let mut done = Computed {
        layer: Layer { kind: LayerKind::Computed, path, cells: Vec::new() },
        files: Vec::new(),
        reports: Vec::new(),
        criteria: Vec::new(),
    };
    let targets: Vec<Target<'_>> = set
        .leaves()
        .filter_map(|(id, node, leaf)| {
            leaf.compute.as_ref().map(|compute| Target { id, node, leaf, compute })
        })
        .collect();
    if tables.is_empty() {
        // Scored from files named one by one, with no table: the agencies' own values
        // stand, as in a dry run.
        if let Some(first) = targets.first() {
            let mut names: Vec<&str> = targets.iter().map(|t| t.compute.table.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            let (count, names) = (targets.len(), names.join(", "));
            done.criteria.push(
                Diagnostic::warning(
                    "no-tables",
                    tr!(
                        "{count} sub-criteria are computed from tables ({names}) that this run does not name: they are scored from the self-assessment's values",
                        "{count} tiêu chí thành phần được tính từ các bảng số liệu ({names}) mà lần chạy này không chỉ ra: các tiêu chí này được chấm theo giá trị tự đánh giá"
                    ),
                )
                .at(
                    first.compute.table_span.clone(),
                    tr!("computed from a table", "tính từ bảng số liệu"),
                )
                .help(tr!(
                    "score the round file that names the tables ([tables.NAME] with file = \"…\") to take the system's figures",
                    "hãy chấm điểm theo tệp vòng đánh giá có khai các bảng ([tables.NAME] với file = \"…\") để lấy số liệu của hệ thống"
                )),
            );
        }
        return done;
    }
    for t in &targets {
        if tables.iter().any(|x| x.name == t.compute.table) {
            continue;
        }
        let names: Vec<&str> = tables.iter().map(|x| x.name.as_str()).collect();
        let (code, table) = (&t.node.code, &t.compute.table);
        let mut d = Diagnostic::error(
            "unknown-table",
            tr!(
                "node \"{code}\" is computed from table \"{table}\", which the round does not name",
                "mục \"{code}\" được tính từ bảng \"{table}\", nhưng vòng đánh giá không khai bảng này"
            ),
        )
        .at(
            t.compute.table_span.clone(),
            tr!("no such table in the round", "vòng đánh giá không có bảng này"),
        );
        d.help = Some(if let Some(near) = did_you_mean(&t.compute.table, &names) {
            tr!("did you mean \"{near}\"?", "có phải là \"{near}\"?")
        } else {
            let names = names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
            tr!(
                "the round's tables are {names}; add [tables.{table}] with file = \"…\" to the round file",
                "các bảng của vòng đánh giá là {names}; hãy thêm [tables.{table}] với file = \"…\" vào tệp vòng đánh giá"
            )
        });
        done.criteria.push(d);
    }
    let ids = Ids::new(agencies);
    for (k, input) in tables.iter().enumerate() {
        let users: Vec<&Target<'_>> =
            targets.iter().filter(|t| t.compute.table == input.name).collect();
        // Survey responses that read without a problem are read quickly; what keeps
        // every text, and every other table, is read the thorough way.
        let read = (texts != Texts::All)
            .then(|| quick::table(input, k, &users, agencies, &ids, texts))
            .flatten()
            .unwrap_or_else(|| {
                let survey = users_survey(&targets, &input.name);
                thorough(input, k, &users, survey, agencies, &ids, texts)
            });
        done.add(read);
    }
    done
}

/// Reads table `input`, the `k`th of the round, the thorough way: decoded whole, every
/// problem reported with its place. `survey`: whether its users read it as responses.
fn thorough(
    input: &TableInput,
    k: usize,
    users: &[&Target<'_>],
    survey: bool,
    agencies: &[Agency],
    ids: &Ids,
    texts: Texts,
) -> Computed {
    let mut done = Computed::empty();
    let mut table = match Table::read(&input.path) {
        Err(mut d) => {
            // An empty file's help names an assessment file's columns; a raw table's
            // are the agency and its figures.
            if d.code == "empty-table" {
                d.help = Some(if survey {
                    tr!(
                        "a raw table starts with a header, agency and the columns the set reads, then a row per respondent",
                        "bảng số liệu bắt đầu bằng dòng tiêu đề gồm cột agency và các cột bộ tiêu chí cần đọc, sau đó mỗi người trả lời một dòng"
                    )
                } else {
                    tr!(
                        "a raw table starts with a header, agency and the columns the set reads, then a row per agency",
                        "bảng số liệu bắt đầu bằng dòng tiêu đề gồm cột agency và các cột bộ tiêu chí cần đọc, sau đó mỗi đơn vị một dòng"
                    )
                });
            }
            done.reports.push(FileReport::new(shown(&input.path), None, vec![*d]));
            return done;
        }
        Ok(table) => table,
    };
    done.files.push(InputFile {
        role: Role::Table(k + 1),
        path: table.source.path.clone(),
        sha256: table.source.sha256.clone(),
    });
    let mut out = std::mem::take(&mut table.problems);
    TableReader { input, table: &table, agencies, ids, texts }.read(users, &mut done, &mut out);
    let keep = texts == Texts::All || !out.is_empty();
    // The text moves into the report: a table of a million responses is not copied.
    let path = table.source.path.clone();
    done.reports.push(FileReport::new(path, keep.then_some(table.source), out));
    done
}

/// Whether the leaves that read table `name` read it as survey responses.
fn users_survey(targets: &[Target<'_>], name: &str) -> bool {
    targets.iter().any(|t| t.compute.table == name && matches!(t.compute.how, How::Survey(_)))
}

/// One table and what its rows are checked against.
struct TableReader<'a> {
    input: &'a TableInput,
    table: &'a Table,
    agencies: &'a [Agency],
    ids: &'a Ids,
    texts: Texts,
}

/// What a table's header gives the leaves that read it.
struct Resolved<'u, 's> {
    /// Each leaf with the columns it reads, by the names it gives them.
    leaves: Vec<(&'u Target<'s>, HashMap<String, usize>)>,
    /// The agency column.
    agency: usize,
    /// Whether the rows are survey responses (else one row per agency).
    survey: bool,
}

/// Problems of one kind past the first [`SHOWN`]: counted, and summed up once.
#[derive(Default)]
struct Capped {
    shown: usize,
    more: usize,
}

impl Capped {
    fn push(&mut self, out: &mut Vec<Diagnostic>, d: impl FnOnce() -> Diagnostic) {
        if self.shown < SHOWN {
            self.shown += 1;
            out.push(d());
        } else {
            self.more += 1;
        }
    }
}

impl TableReader<'_> {
    fn path(&self) -> &str {
        &self.table.source.path
    }

    /// Where a row, or a cell of it, is, as its user finds it: `line 3` of a text file,
    /// `sheet "Tháng 12", row 3` (or `cell C3`) of a workbook.
    fn at(&self, row: &Row, column: Option<usize>) -> Text {
        let (path, line) = (self.path(), row.line);
        match (&self.table.sheet, column) {
            (Some(sheet), Some(c)) => {
                let (sheet, letters) = (quote(&sheet.name), crate::read::xlsx::column_letters(c));
                tr!(
                    "{path}, sheet {sheet}, cell {letters}{line}",
                    "ô {letters}{line}, trang tính {sheet} của {path}"
                )
            }
            (Some(sheet), None) => {
                let sheet = quote(&sheet.name);
                tr!(
                    "{path}, sheet {sheet}, row {line}",
                    "dòng {line}, trang tính {sheet} của {path}"
                )
            }
            (None, _) => tr!("{path}, line {line}", "dòng {line} của {path}"),
        }
    }

    /// The warning for a row naming an agency the round does not score: an export of
    /// the whole province has rows for units outside the round; an id written in
    /// another case or with other accents is named.
    fn unknown_agency(&self, row: &Row, column: usize, id: &str, what: &Text) -> Diagnostic {
        let key = ascii_key(id);
        let near = self.agencies.iter().find(|a| ascii_key(&a.id) == key).map(|a| a.id.as_str());
        let at = self.at(row, Some(column));
        let (at_en, at_vi, what_en, what_vi) = (&at.en, &at.vi, &what.en, &what.vi);
        let id = quote(id);
        let d = Diagnostic::warning(
            "unknown-agency",
            tr!(
                "{at_en}: there is no agency {id} in the agencies file; the {what_en} is left out",
                "{at_vi}: không có đơn vị {id} trong tệp danh sách đơn vị; {what_vi} này được bỏ qua"
            ),
        )
        .at(
            self.table.span(row, column),
            tr!("not an agency of the round", "không phải đơn vị của vòng đánh giá"),
        );
        match near {
            Some(near) => {
                let near = quote(near);
                d.help(tr!(
                    "did you mean {near}? Ids are compared as written",
                    "có phải là {near}? Mã đơn vị được so khớp đúng như khi viết"
                ))
            }
            None => d,
        }
    }

    /// The header line, where a problem of the whole table is shown.
    fn header_span(&self) -> Range<usize> {
        self.table.line_span(&self.table.header)
    }

    fn read(&self, users: &[&Target<'_>], done: &mut Computed, out: &mut Vec<Diagnostic>) {
        let Some(resolved) = self.resolve(users, done, out) else { return };
        if resolved.survey {
            self.responses(&resolved.leaves, resolved.agency, done, out);
        } else {
            self.statistics(&resolved.leaves, resolved.agency, done, out);
        }
    }

    /// Finds the columns each leaf reads in the header, and whether the table holds
    /// survey responses or one row per agency; reports what does not fit. `None` when
    /// the rows cannot be read.
    fn resolve<'u, 's>(
        &self,
        users: &[&'u Target<'s>],
        done: &mut Computed,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Resolved<'u, 's>> {
        let keys = self.table.header_keys();
        let before = out.len();
        // The export's own headers, renamed as the round file says: a header is found as
        // written (case and spacing forgiven) before it is found by its ASCII key, so
        // that "Dung han" is not taken for "Đúng hạn".
        let mut renamed: HashMap<String, usize> = HashMap::new();
        let mut taken: HashMap<usize, &str> = HashMap::new();
        let mut unmapped: Vec<String> = Vec::new();
        for (name, header) in &self.input.columns {
            let key = ascii_key(name);
            let Some(i) = self.header_named(name, header, &keys, out) else {
                // Said once, of the map: the leaves that read the name are not told again.
                unmapped.push(key);
                continue;
            };
            if let Some(other) = taken.insert(i, name) {
                let (table, header) = (&self.input.name, quote(header));
                out.push(
                    Diagnostic::error(
                        "duplicate-column",
                        tr!(
                            "the round file maps both `{other}` and `{name}` of table \"{table}\" to the column {header}: one column cannot be two figures",
                            "tệp vòng đánh giá gán cả `{other}` và `{name}` của bảng \"{table}\" vào cùng cột {header}: một cột không thể là hai số liệu"
                        ),
                    )
                    .at(self.table.span(&self.table.header, i), tr!("mapped twice", "bị gán hai lần"))
                    .help(tr!(
                        "map each name to the header of its own column",
                        "hãy gán mỗi tên vào tiêu đề của cột riêng của nó"
                    )),
                );
                unmapped.push(key);
                continue;
            }
            renamed.insert(key, i);
        }
        // Names the sub-criteria use, found in the header: two header cells that read as
        // one name (`Đúng hạn` and `Dừng hạn` are both `dung_han`) cannot be told apart.
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, k) in keys.iter().enumerate() {
            by_key.entry(k.as_str()).or_default().push(i);
        }
        let find = |name: &str, out: &mut Vec<Diagnostic>| -> Option<usize> {
            let key = ascii_key(name);
            if let Some(&i) = renamed.get(&key) {
                return Some(i);
            }
            let found: &[usize] = by_key.get(key.as_str()).map_or(&[], Vec::as_slice);
            if let [first, again, ..] = *found {
                let (path, table) = (self.path(), &self.input.name);
                let (first_header, again_header) =
                    (self.table.header.get(first), self.table.header.get(again));
                let (a, b) = (quote(first_header), quote(again_header));
                out.push(
                    Diagnostic::error(
                        "duplicate-column",
                        tr!(
                            "{path}: the columns {a} and {b} both read as `{key}`; which one is meant cannot be told",
                            "{path}: cột {a} và cột {b} đều được đọc thành `{key}`; không xác định được cột nào mới đúng"
                        ),
                    )
                    .at(self.table.span(&self.table.header, again), tr!("`{key}` again", "lại là `{key}`"))
                    .with_context(self.table.span(&self.table.header, first), Text::same(format!("`{key}`")))
                    .help(
                        // A map finds a header as written, case forgiven: headers that
                        // differ only in case cannot be told apart by one.
                        if fold(first_header) == fold(again_header) {
                            tr!(
                                "rename one of the two columns in the export",
                                "hãy đổi tên một trong hai cột trong tệp xuất"
                            )
                        } else {
                            tr!(
                                "map the right one in the round file: columns = {{ {key} = \"{first_header}\" }} under [tables.{table}], or rename the other in the export",
                                "hãy chỉ định cột đúng trong tệp vòng đánh giá: columns = {{ {key} = \"{first_header}\" }} trong [tables.{table}], hoặc đổi tên cột kia trong tệp xuất"
                            )
                        },
                    ),
                );
            }
            found.first().copied()
        };
        let agency = if let Some(&i) = renamed.get("agency") {
            Some(i)
        } else {
            // An export's row number (`ID`) beside its unit (`Đơn vị`) both look like
            // the agency column: say so rather than read the wrong one.
            self.table.columns_named_once(&[AGENCY], out);
            AGENCY.find(&keys)
        };
        let (path, table) = (self.path(), &self.input.name);
        let Some(agency) = agency else {
            let aliases = AGENCY.aliases[1..].join(", ");
            out.push(
                Diagnostic::error(
                    "missing-column",
                    tr!(
                        "{path} (table \"{table}\") has no agency column",
                        "{path} (bảng \"{table}\") không có cột mã đơn vị"
                    ),
                )
                .at(self.table.span(&self.table.header, 0), tr!("the header", "dòng tiêu đề"))
                .help(tr!(
                    "name the column of agency ids `agency` (or {aliases}), or map the export's own: columns = {{ agency = \"Mã đơn vị\" }} under [tables.{table}]",
                    "hãy đặt tên cột mã đơn vị là `agency` (hoặc {aliases}), hoặc chỉ định cột có sẵn của tệp xuất: columns = {{ agency = \"Mã đơn vị\" }} trong [tables.{table}]"
                )),
            );
            return None;
        };
        if users.is_empty() {
            out.push(
                Diagnostic::warning(
                    "unused-table",
                    tr!(
                        "table \"{table}\" ({path}) is named in the round, but no sub-criterion of the set is computed from it",
                        "bảng \"{table}\" ({path}) có khai trong vòng đánh giá, nhưng không có tiêu chí thành phần nào của bộ tiêu chí được tính từ bảng này"
                    ),
                )
                .at(self.header_span(), tr!("this table", "bảng này"))
                .help(tr!(
                    "check the name against the set's compute = {{ table = \"…\" }}, or remove the table from the round file",
                    "hãy đối chiếu tên bảng với compute = {{ table = \"…\" }} của bộ tiêu chí, hoặc bỏ bảng này khỏi tệp vòng đánh giá"
                )),
            );
            return None;
        }
        // Every column each leaf names must be in the table.
        let mut resolved: Vec<(&Target<'_>, HashMap<String, usize>)> = Vec::new();
        let shown_keys: Vec<&str> =
            keys.iter().map(String::as_str).filter(|k| !k.is_empty()).collect();
        for t in users {
            let mut columns = HashMap::new();
            let mut complete = true;
            for (name, span) in t.compute.columns() {
                if unmapped.contains(&ascii_key(name)) {
                    complete = false;
                } else if let Some(i) = find(name, out) {
                    columns.insert(name.to_string(), i);
                } else {
                    complete = false;
                    done.criteria.push(self.no_column(t, name, span, &shown_keys));
                }
            }
            if complete {
                resolved.push((t, columns));
            }
        }
        // The agency ids are no figure: a leaf reading them (a map onto the agency column,
        // a question named `agency`) is a slip.
        for (t, columns) in &resolved {
            if let Some((name, _)) = columns.iter().find(|(_, i)| **i == agency) {
                let code = &t.node.code;
                done.criteria.push(
                    Diagnostic::error(
                        "unknown-column",
                        tr!(
                            "node \"{code}\" reads `{name}`, which is the agency column of table \"{table}\" ({path}), not a figure",
                            "mục \"{code}\" đọc `{name}`, là cột mã đơn vị của bảng \"{table}\" ({path}), không phải một số liệu"
                        ),
                    )
                    .at(t.compute.table_span.clone(), tr!("this table", "bảng này"))
                    .help(tr!(
                        "read the column of figures meant, or correct the round file's columns map",
                        "hãy đọc đúng cột số liệu cần dùng, hoặc sửa bảng columns trong tệp vòng đánh giá"
                    )),
                );
            }
        }
        if out[before..].iter().any(|d| d.severity == crate::diagnostic::Severity::Error)
            || resolved.iter().any(|(_, columns)| columns.values().any(|&i| i == agency))
        {
            return None;
        }
        let survey = resolved.iter().any(|(t, _)| matches!(t.compute.how, How::Survey(_)));
        let per_agency = resolved.iter().any(|(t, _)| matches!(t.compute.how, How::Value { .. }));
        if survey && per_agency {
            let (t, _) = resolved
                .iter()
                .find(|(t, _)| matches!(t.compute.how, How::Survey(_)))
                .expect("a survey leaf");
            let code = &t.node.code;
            done.criteria.push(
                Diagnostic::error(
                    "mixed-table",
                    tr!(
                        "node \"{code}\" reads table \"{table}\" as survey responses, but other sub-criteria read it as one row per agency",
                        "mục \"{code}\" đọc bảng \"{table}\" như các phiếu khảo sát, nhưng các tiêu chí thành phần khác lại đọc bảng này theo mỗi đơn vị một dòng"
                    ),
                )
                .at(t.compute.table_span.clone(), tr!("survey responses here", "đọc như phiếu khảo sát ở đây"))
                .help(tr!(
                    "a table is either statistics (one row per agency) or responses (one row per respondent): name two tables",
                    "mỗi bảng hoặc là bảng thống kê (mỗi đơn vị một dòng), hoặc là bảng phiếu trả lời (mỗi người trả lời một dòng): hãy khai hai bảng riêng"
                )),
            );
            return None;
        }
        Some(Resolved { leaves: resolved, agency, survey })
    }

    /// The column a `columns` map names by its header: as written (case and spacing
    /// forgiven), else by its ASCII key where that is one column only.
    fn header_named(
        &self,
        name: &str,
        header: &str,
        keys: &[String],
        out: &mut Vec<Diagnostic>,
    ) -> Option<usize> {
        let wanted = fold(header);
        let written: Vec<usize> =
            (0..keys.len()).filter(|&i| fold(self.table.header.get(i)) == wanted).collect();
        if let [i] = written[..] {
            return Some(i);
        }
        let key = ascii_key(header);
        let found: Vec<usize> = if written.is_empty() {
            (0..keys.len()).filter(|&i| keys[i] == key).collect()
        } else {
            written
        };
        match found[..] {
            [] => {
                out.push(self.no_header(name, header, keys));
                None
            }
            [i] => Some(i),
            [first, again, ..] => {
                let path = self.path();
                let (header, a, b) = (
                    quote(header),
                    quote(self.table.header.get(first)),
                    quote(self.table.header.get(again)),
                );
                out.push(
                    Diagnostic::error(
                        "duplicate-column",
                        tr!(
                            "{path}: the round file maps `{name}` to {header}, and both {a} and {b} read as it",
                            "{path}: tệp vòng đánh giá gán `{name}` vào {header}, nhưng cả {a} và {b} đều được đọc là cột đó"
                        ),
                    )
                    .at(self.table.span(&self.table.header, again), tr!("this one", "cột này"))
                    .with_context(
                        self.table.span(&self.table.header, first),
                        tr!("or this one", "hay cột này"),
                    )
                    .help(tr!(
                        "rename one of the two columns in the export, or write the header exactly as it stands",
                        "hãy đổi tên một trong hai cột trong tệp xuất, hoặc viết tiêu đề đúng y như trong tệp"
                    )),
                );
                None
            }
        }
    }

    fn no_header(&self, name: &str, header: &str, keys: &[String]) -> Diagnostic {
        let headers: Vec<&str> =
            (0..keys.len()).map(|i| self.table.header.get(i)).filter(|h| !h.is_empty()).collect();
        let (table, path) = (&self.input.name, self.path());
        let quoted = quote(header);
        let mut d = Diagnostic::error(
            "unknown-column",
            tr!(
                "the round file maps `{name}` of table \"{table}\" to the column {quoted}, which {path} does not have",
                "tệp vòng đánh giá gán `{name}` của bảng \"{table}\" vào cột {quoted}, nhưng {path} không có cột này"
            ),
        )
        .at(self.table.span(&self.table.header, 0), tr!("the header", "dòng tiêu đề"));
        let near = did_you_mean(header, &headers);
        d.help = Some(if let Some(near) = near {
            let near = quote(near);
            tr!("did you mean {near}?", "có phải là {near}?")
        } else {
            let listed = list(&headers);
            let (en, vi) = (&listed.en, &listed.vi);
            tr!("its columns are {en}", "các cột của tệp là {vi}")
        });
        d
    }

    fn no_column(
        &self,
        t: &Target<'_>,
        name: &str,
        span: Range<usize>,
        keys: &[&str],
    ) -> Diagnostic {
        let (code, table, path) = (&t.node.code, &self.input.name, self.path());
        let mut d = Diagnostic::error(
            "unknown-column",
            tr!(
                "node \"{code}\" reads the column `{name}`, which table \"{table}\" ({path}) does not have",
                "mục \"{code}\" đọc cột `{name}`, nhưng bảng \"{table}\" ({path}) không có cột này"
            ),
        )
        .at(span, tr!("not a column of {table}", "không phải cột của {table}"));
        d.help = Some(match did_you_mean(&ascii_key(name), keys) {
            // A header that starts with a digit (`2025`) reads as a number in an
            // expression: it can only be mapped.
            Some(near) if near.starts_with(|c: char| c.is_ascii_digit()) => {
                let quoted = quote(near);
                tr!(
                    "did you mean the column {quoted}? An expression reads it as a number: map it in the round file, columns = {{ {name} = \"{near}\" }} under [tables.{table}]",
                    "có phải là cột {quoted}? Trong biểu thức, tên này được đọc như một con số: hãy chỉ định nó trong tệp vòng đánh giá, columns = {{ {name} = \"{near}\" }} trong [tables.{table}]"
                )
            }
            Some(near) => tr!("did you mean `{near}`?", "có phải là `{near}`?"),
            None => {
                let listed = list(keys);
                let (en, vi) = (&listed.en, &listed.vi);
                tr!(
                    "its columns are {en}; an export's own header can be mapped in the round file: columns = {{ {name} = \"…\" }} under [tables.{table}]",
                    "các cột của bảng là {vi}; tiêu đề có sẵn của tệp xuất có thể được chỉ định trong tệp vòng đánh giá: columns = {{ {name} = \"…\" }} trong [tables.{table}]"
                )
            }
        });
        d
    }

    /// How agency `a`'s value came from `row`, where its texts are kept.
    fn derivation(&self, a: usize, path: &str, shown: &str, row: &Row) -> Option<Derivation> {
        self.texts.of(a).then(|| Derivation {
            table: self.input.name.clone(),
            file: path.to_string(),
            sheet: self.table.sheet.as_ref().map(|s| s.name.clone()),
            how: Derived::Row { shown: shown.to_string(), line: row.line },
        })
    }

    fn cell(
        agency: usize,
        node: NodeId,
        value: Value,
        line: usize,
        raw: String,
        derivation: Option<Derivation>,
    ) -> Cell {
        Cell {
            agency,
            node,
            value: Some(value),
            // The system's own record is the evidence of its figure.
            cited: true,
            line,
            texts: derivation
                .map(|d| Box::new(CellTexts { raw, derivation: Some(d), ..CellTexts::default() })),
        }
    }
}

/// A few names, quoted, then how many more.
fn list(names: &[&str]) -> Text {
    const FEW: usize = 12;
    let shown =
        names.iter().take(FEW).map(|n| format!("{}", Quoted(n))).collect::<Vec<_>>().join(", ");
    let mut listed = Text::same(shown);
    if names.len() > FEW {
        let more = names.len() - FEW;
        let _ = write!(listed.en, " and {more} more");
        let _ = write!(listed.vi, " và {more} tên khác");
    }
    listed
}

/// The one message for problems past the first few: `what` says how many more, and of
/// what (`12 more rows name no agency`), for the number to stand where each language
/// puts it.
fn summary(
    out: &mut Vec<Diagnostic>,
    capped: &Capped,
    path: &str,
    what: impl FnOnce(usize) -> Text,
    error: bool,
) {
    if capped.more == 0 {
        return;
    }
    let what = what(capped.more);
    let (en, vi) = (&what.en, &what.vi);
    let message = tr!("{path}: {en}", "{path}: {vi}");
    out.push(if error {
        Diagnostic::error("more-problems", message)
    } else {
        Diagnostic::warning("more-problems", message)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use rust_decimal::Decimal;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn set(leaf: &str) -> CriteriaSet {
        let text = format!(
            "schema = 1\nid = \"t\"\ntitle = \"t\"\nmax = 2\n[[grade]]\nname = \"a\"\nmin = 0\n\
             [[node]]\ncode = \"1\"\nname = \"a\"\n[[node]]\ncode = \"1.1\"\nname = \"b\"\n\
             max = 2\n{leaf}\n"
        );
        let loaded = crate::read::criteria::load(&SourceFile::new("t.toml", text));
        loaded.set.unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
    }

    pub(super) fn agencies() -> Vec<Agency> {
        ["a", "b", "c"]
            .map(|id| Agency { id: id.into(), name: id.into(), group: "g".into() })
            .to_vec()
    }

    /// The values computed for each agency (in agency order) from one table `t`.
    fn computed(leaf: &str, table: &str) -> (Vec<Option<Value>>, Vec<Diagnostic>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, table).unwrap();
        let input = TableInput { name: "t".into(), path, columns: Vec::new() };
        let done = compute(&set(leaf), &agencies(), &[input], Texts::All);
        let mut values = vec![None; 3];
        for cell in &done.layer.cells {
            values[cell.agency] = cell.value;
        }
        let problems = done.reports.into_iter().flat_map(|r| r.diagnostics).collect();
        (values, problems)
    }

    #[test]
    fn one_agencys_values_keep_how_they_were_computed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let table = "agency,phieu,C1,C2\na,SIPAS,Hài lòng,Hài lòng\nb,SIPAS,Hài lòng,\n\
            c,SIPAS,Rất hài lòng,Hài lòng\nb,SIPAS,Hài lòng,Bình thường\n";
        std::fs::write(&path, table).unwrap();
        let input = TableInput { name: "t".into(), path, columns: Vec::new() };
        let kept = |texts: Texts| -> Vec<(usize, bool)> {
            let done = compute(&set(SIPAS), &agencies(), std::slice::from_ref(&input), texts);
            done.layer.cells.iter().map(|c| (c.agency, c.derivation().is_some())).collect()
        };
        assert_eq!(kept(Texts::All), [(0, true), (1, true), (2, true)]);
        assert_eq!(kept(Texts::Of(1)), [(0, false), (1, true), (2, false)]);
        assert_eq!(kept(Texts::None), [(0, false), (1, false), (2, false)]);
    }

    const SIPAS: &str = "rule = \"ratio\"\ncompute = { table = \"t\", questions = [\"C1\", \"C2\"], \
        where = { phieu = \"SIPAS\" }, min_answers = 3, answers = { \"Rất hài lòng\" = 1, \
        \"Hài lòng\" = 1, \"Bình thường\" = 0.5, \"Không hài lòng\" = 0 } }";

    #[test]
    fn survey_answers_are_summed_over_the_answers_given() {
        let table = "agency,phieu,C1,C2\n\
            a,SIPAS,Rất hài lòng,Bình thường\n\
            a,sipas , HÀI  LÒNG ,\n\
            a,SIPAS,Không hài lòng,Hài lòng\n\
            a,DDCI,Không hài lòng,Không hài lòng\n\
            b,SIPAS,Hài lòng,Hài lòng\n\
            c,SIPAS,,\n";
        let (values, problems) = computed(SIPAS, table);
        // a: 1 + 0.5 + 1 + 0 + 1 over 5 answers (one blank, the DDCI form left out);
        // b: 2 answers, fewer than 3; c: only blanks.
        assert_eq!(values[0], Some(Value::Fraction(dec("3.5"), dec("5"))));
        assert_eq!(values[1], Some(Value::NotSurveyed));
        assert_eq!(values[2], Some(Value::NotSurveyed));
        let codes: Vec<&str> = problems.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["not-surveyed"]);
        assert!(
            problems[0].message.en.contains("\"b (2)\", \"c (0)\""),
            "{}",
            problems[0].message.en
        );
    }

    #[test]
    fn an_answer_the_set_does_not_know_is_named_by_line_and_question() {
        let (_, problems) = computed(SIPAS, "agency,phieu,C1,C2\na,SIPAS,Hài lòng,Tốt\n");
        let d = problems.iter().find(|d| d.code == "unknown-answer").unwrap();
        assert!(
            d.message.en.ends_with(
                "t.csv, line 2: agency \"a\", question \"C2\": \"Tốt\" is not an answer node \"1.1\" knows"
            ),
            "{}",
            d.message.en
        );
        assert!(
            d.message.vi.contains("t.csv: đơn vị \"a\", câu hỏi \"C2\": \"Tốt\""),
            "{}",
            d.message.vi
        );
    }

    #[test]
    fn a_rate_is_rounded_half_away_from_zero_where_the_set_says() {
        let leaf = "rule = \"bands\"\nbands = [[93.25, 2], [0, 0]]\n\
            compute = { table = \"t\", value = \"x / y\", rate_decimals = 4 }";
        // 0.93245 → 0.9325, which meets 93.25%; 0.93244 → 0.9324, which does not.
        let (values, _) = computed(leaf, "agency,x,y\na,93245,100000\nb,93244,100000\nc,1,3\n");
        assert_eq!(values[0], Some(Value::Fraction(dec("9325"), dec("10000"))));
        assert_eq!(values[1], Some(Value::Fraction(dec("9324"), dec("10000"))));
        assert_eq!(values[2], Some(Value::Fraction(dec("3333"), dec("10000"))));
    }

    #[test]
    fn a_zero_denominator_gives_what_the_set_says() {
        let table = "agency,x,y\na,0,0\nb,4,0\nc,3,4\n";
        for (zero, expected) in [("zero", Value::Nothing), ("full", Value::Full), ("na", Value::Na)]
        {
            let leaf = format!(
                "rule = \"ratio\"\ncompute = {{ table = \"t\", value = \"x / y\", zero = \"{zero}\" }}"
            );
            let (values, problems) = computed(&leaf, table);
            assert_eq!(values[0], Some(expected), "{zero}");
            // 4 of nothing is no rate, whatever zero says.
            assert_eq!(values[1], None);
            assert!(
                problems
                    .iter()
                    .any(|d| d.code == "computed-value" && d.message.en.contains("4 / 0"))
            );
            assert_eq!(values[2], Some(Value::Fraction(dec("3"), dec("4"))));
        }
        // Without `zero`, the leaf's NA rule decides, as for a typed 0/0.
        let (values, _) = computed(
            "rule = \"ratio\"\nna = true\ncompute = { table = \"t\", value = \"x / y\" }",
            table,
        );
        assert_eq!(values[0], Some(Value::Na));
        let (values, problems) =
            computed("rule = \"ratio\"\ncompute = { table = \"t\", value = \"x / y\" }", table);
        assert_eq!(values[0], None);
        assert!(problems.iter().any(|d| d.message.en.contains("gives 0/0")));
    }

    #[test]
    fn expressions_are_exact_on_counts_of_any_size() {
        let leaf = "rule = \"ratio\"\ncompute = { table = \"t\", value = \"(x - z) / (y * 2)\" }";
        let table = "agency,x,y,z\na,4000000000000000000001,2244992500000000000000,1\nb,1,3,0.5\n";
        let (values, problems) = computed(leaf, table);
        assert_eq!(
            values[0],
            Some(Value::Fraction(dec("4000000000000000000000"), dec("4489985000000000000000")))
        );
        // A part that is no decimal: the rate as one fraction of whole numbers.
        assert_eq!(values[1], Some(Value::Fraction(dec("0.5"), dec("6"))));
        assert!(problems.iter().any(|d| d.code == "no-row"), "{problems:?}");
    }
}
