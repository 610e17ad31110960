//! The help in Vietnamese, and the parse that chooses it.
//!
//! clap writes its help from the texts the command carries and has no translations of
//! its own, so the language is decided before parsing (from `--lang`, else the locale)
//! and, for Vietnamese, every text of [`Cli::command`] is replaced: each command's about
//! and examples, each argument's help, and clap's own words. The headings clap writes
//! ("Usage", "Options", "Arguments", "Commands") come from a help template and help
//! headings of our own; "[default: …]" and "[possible values: …]" are hidden and said
//! in the argument's help instead. English keeps the command exactly as derived.
//!
//! Every Vietnamese text is here, looked up by command and argument id; a unit test
//! requires one for every argument and command, so none can be added without it.

use std::ffi::OsString;
use std::fmt::Write as _;

use clap::builder::PossibleValue;
use clap::{Arg, Command, CommandFactory, FromArgMatches};

use super::Cli;
use super::help;
use crate::exit::Exit;
use crate::lang::Lang;

/// Parses a whole command line (the program's name first), with the help in the language
/// `--lang` asks for, else in the locale's (read by `var`).
pub(super) fn parse<I, T>(args: I, var: impl Fn(&str) -> Option<String>) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let lang = asked(&args).unwrap_or_else(|| Lang::of_locale(var));
    let mut command = command(lang);
    let mut matches = command.try_get_matches_from_mut(&args)?;
    // As clap's own `Parser::try_parse_from` does: an error in turning the matches into
    // `Cli` is formatted with the command, for its usage line.
    Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut command))
}

/// The language the command line asks for with `--lang vi`, `--lang=vi` or `en`: the last
/// one given, as clap takes it, and nothing after `--`. Another value is left for clap to
/// refuse. The scan comes before parsing because `--help` is answered while parsing.
fn asked(args: &[OsString]) -> Option<Lang> {
    let mut asked = None;
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        let value = match arg.to_str() {
            Some("--") => break,
            Some("--lang") => args.next().and_then(|value| value.to_str()),
            Some(arg) => arg.strip_prefix("--lang="),
            None => None,
        };
        match value {
            Some("vi") => asked = Some(Lang::Vi),
            Some("en") => asked = Some(Lang::En),
            _ => {}
        }
    }
    asked
}

/// The command line parser, with its help in `lang`.
pub(super) fn command(lang: Lang) -> Command {
    let mut command = Cli::command();
    match lang {
        Lang::En => command,
        Lang::Vi => {
            // Built first, so that clap has added what it adds itself (-h, -V, the help
            // subcommand, the global options in every subcommand) and they can be
            // translated too; clap does not build a command twice.
            command.build();
            vietnamese(command)
        }
    }
}

/// `command` and its subcommands with every text in Vietnamese.
fn vietnamese(command: Command) -> Command {
    let name = command.get_name().to_owned();
    let usage = *command.get_styles().get_usage();
    let mut command = command
        .mut_args(|arg| vietnamese_arg(&name, arg))
        .mut_subcommands(vietnamese)
        .about(about(&name))
        .long_about(None)
        .subcommand_help_heading(COMMANDS)
        // clap's default template, with the usage heading in Vietnamese and styled as clap
        // styles its own.
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{usage}{USAGE}:{usage:#} {{usage}}\n\n{{all-args}}{{after-help}}"
        ));
    if command.get_after_help().is_some() {
        command = command.after_help(after_help(&name));
    }
    command
}

/// `arg` of `command` with its help in Vietnamese, under a Vietnamese heading.
fn vietnamese_arg(command: &str, arg: Arg) -> Arg {
    let heading = if arg.is_positional() { ARGUMENTS } else { OPTIONS };
    let arg = arg.help_heading(heading);
    match arg.get_id().as_str() {
        "help" if arg.get_long_help().is_some() => arg.help(HELP_SHORT).long_help(HELP_LONG),
        "help" => arg.help(HELP),
        "version" => arg.help(VERSION),
        id => {
            let text = arg_help(command, id);
            let (short, long) = with_values(text, &arg);
            arg.hide_default_value(true).hide_possible_values(true).help(short).long_help(long)
        }
    }
}

/// `text` followed by the default value and the possible values clap would have listed,
/// as `-h` (on one line) and `--help` (each on its own line) show them; in `--help` the
/// values that have a help of their own are listed one per line with it.
fn with_values(text: &str, arg: &Arg) -> (String, String) {
    let mut specs = Vec::new();
    let takes_values = arg.get_num_args().is_some_and(|n| n.takes_values());
    if takes_values && !arg.is_hide_default_value_set() && !arg.get_default_values().is_empty() {
        let values: Vec<_> = arg.get_default_values().iter().map(|v| v.to_string_lossy()).collect();
        specs.push(format!("[mặc định: {}]", values.join(" ")));
    }
    let values: Vec<PossibleValue> = if arg.is_hide_possible_values_set() {
        Vec::new()
    } else {
        arg.get_possible_values().into_iter().filter(|v| !v.is_hide_set()).collect()
    };
    let names: Vec<&str> = values.iter().map(PossibleValue::get_name).collect();
    let short_values = (!values.is_empty()).then(|| format!("[giá trị: {}]", names.join(", ")));
    let short =
        [text.to_owned()].into_iter().chain(specs.iter().cloned()).chain(short_values.clone());
    let short = short.collect::<Vec<_>>().join(" ");

    let mut long = text.to_owned();
    let listed = values.iter().any(|v| v.get_help().is_some());
    let long_specs: Vec<String> =
        specs.into_iter().chain(short_values.filter(|_| !listed)).collect();
    if !long_specs.is_empty() {
        long.push_str("\n\n");
        long.push_str(&long_specs.join("\n"));
    }
    if listed {
        let width = values.iter().filter(|v| v.get_help().is_some()).map(|v| v.get_name().len());
        let width = width.max().unwrap_or(0);
        long.push_str("\n\nCác giá trị:");
        for value in &values {
            let name = value.get_name();
            let _ = match value.get_help() {
                Some(_) => {
                    let help = value_help(name);
                    write!(long, "\n- {name}:{:pad$} {help}", "", pad = width - name.len())
                }
                None => write!(long, "\n- {name}"),
            };
        }
    }
    (short, long)
}

const USAGE: &str = "Cách dùng";
const OPTIONS: &str = "Tùy chọn";
const ARGUMENTS: &str = "Tham số";
const COMMANDS: &str = "Lệnh";
const HELP: &str = "In trợ giúp";
const HELP_SHORT: &str = "In trợ giúp (xem đầy đủ bằng '--help')";
const HELP_LONG: &str = "In trợ giúp (xem bản tóm tắt bằng '-h')";
const VERSION: &str = "In số phiên bản";

/// The about of each command, by its name (`parindex` for the program itself; the copies
/// of the commands under `help` go by the same names).
fn about(command: &str) -> &'static str {
    ABOUT.iter().find(|(name, _)| *name == command).map_or_else(
        || panic!("the command `{command}` has no Vietnamese about in cli::help_vi::ABOUT"),
        |&(_, text)| text,
    )
}

const ABOUT: &[(&str, &str)] = &[
    (
        "parindex",
        "Tính Chỉ số cải cách hành chính (Chỉ số CCHC, PAR INDEX) của các đơn vị trong tỉnh, \
         và kiểm tra các bộ tiêu chí dùng để tính chỉ số",
    ),
    (
        "check",
        "Kiểm tra bộ tiêu chí và các tệp dữ liệu của một vòng đánh giá, tìm lỗi trước khi dùng",
    ),
    (
        "score",
        "Chấm điểm một vòng đánh giá: điểm từng lĩnh vực, tổng điểm, chỉ số, hạng và xếp loại \
         của mọi đơn vị",
    ),
    (
        "explain",
        "Giải thích kết quả của một đơn vị: bị mất điểm ở đâu, và từng mục ở bước tự đánh giá \
         và bước cuối cùng, với giá trị, tài liệu kiểm chứng và giải trình",
    ),
    (
        "compare",
        "So sánh tự đánh giá với thẩm định trong một vòng đánh giá, hoặc một vòng (một năm) với \
         vòng khác",
    ),
    (
        "sensitivity",
        "Hạng của mỗi đơn vị vững đến đâu: làm xê dịch điểm các lĩnh vực hoặc tiêu chí qua nhiều \
         lần chạy và xem hạng, xếp loại của từng đơn vị thay đổi bao xa",
    ),
    (
        "verify",
        "Xác nhận một kết quả đã công bố vẫn khớp với đầu vào: mã SHA-256 của từng tệp đầu vào \
         như kết quả đã ghi, và chấm lại vẫn ra đúng từng byte",
    ),
    (
        "status",
        "Trước khi chấm: đơn vị nào đã nộp tự đánh giá, đã trả lời được bao nhiêu, các nội dung \
         kê khai chưa có tài liệu kiểm chứng, và các bảng của vòng đánh giá cho mỗi đơn vị \
         những gì",
    ),
    (
        "pdf",
        "Chuyển một báo cáo sang PDF: báo cáo HTML (bằng Chromium), tài liệu Word hoặc tệp Excel \
         (bằng LibreOffice)",
    ),
    ("template", "Ghi mẫu tự đánh giá để trống cho đơn vị điền, dạng CSV hoặc tệp Excel"),
    (
        "import",
        "Chuyển bảng tiêu chí lưu trong Excel thành tệp bộ tiêu chí, đọc cách chấm của từng mục \
         từ phần hướng dẫn chấm khi có ghi rõ",
    ),
    (
        "generate",
        "Tạo một vòng đánh giá giả lập (số liệu giả định) cho một bộ tiêu chí, với quy mô bất kỳ",
    ),
    ("completions", "In đoạn mã tự hoàn thành lệnh của parindex cho một shell"),
    ("help", "In trợ giúp này, hoặc trợ giúp của (các) lệnh đã nêu"),
];

/// The help of the argument `id` of `command`: its own, else the one every command that
/// takes it shares (`*`).
fn arg_help(command: &str, id: &str) -> &'static str {
    find_arg(command, id)
        .unwrap_or_else(|| panic!("`{command} {id}` has no Vietnamese help in cli::help_vi::ARGS"))
}

fn find_arg(command: &str, id: &str) -> Option<&'static str> {
    let find = |command: &str| {
        ARGS.iter().find(|(c, i, _)| *c == command && *i == id).map(|&(_, _, text)| text)
    };
    find(command).or_else(|| find("*"))
}

/// Every argument's help, by command and argument id; `*` for the options every command
/// that takes them shares (the global ones, and those of one group flattened into several
/// commands: the round's inputs, --stage, --missing, -o).
const ARGS: &[(&str, &str, &str)] = &[
    (
        "*",
        "color",
        "Khi nào tô màu kết quả: auto tô màu khi in ra cửa sổ dòng lệnh (terminal), trừ khi có \
         biến môi trường NO_COLOR",
    ),
    (
        "*",
        "quiet",
        "Không hiện tiến độ khi xử lý vòng đánh giá lớn (tiến độ vốn chỉ hiện trên cửa sổ dòng \
         lệnh)",
    ),
    (
        "*",
        "lang",
        "Ngôn ngữ của thông báo, và của tiêu đề, ghi chú, hướng dẫn chấm trong báo cáo: vi (tiếng \
         Việt, dấu phẩy thập phân) hoặc en (tiếng Anh). Khi không có tùy chọn này, báo cáo viết \
         bằng tiếng Việt, còn thông báo theo locale (LC_ALL, LC_MESSAGES hoặc LANG bắt đầu bằng \
         vi), nếu không thì bằng tiếng Anh. Tệp CSV chỉ có tiêu đề tiếng Việt, dấu phẩy thập phân \
         và dấu chấm phẩy khi có tùy chọn này",
    ),
    (
        "*",
        "round",
        "Tệp vòng đánh giá (round.toml) ghi mọi đầu vào của vòng; đường dẫn trong đó tính từ chỗ \
         của tệp. --self, --appraisal và --survey đi kèm sẽ thay cho các tệp của chính vòng đó \
         (để thử một bản nháp): đường dẫn của chúng tính từ thư mục bạn đang đứng",
    ),
    ("*", "criteria", "Bộ tiêu chí, một tệp .toml"),
    ("*", "agencies", "Tệp danh sách đơn vị: id,name,group (`ma_don_vi,ten_don_vi,nhom`)"),
    (
        "*",
        "self_assessment",
        "Tự đánh giá của các đơn vị, dạng dọc (long) hoặc ngang (wide). Khi có tệp vòng đánh giá: \
         được chấm thay cho tự đánh giá của vòng, chẳng hạn một bản nháp trước khi gửi",
    ),
    (
        "*",
        "appraisal",
        "Kết quả điều chỉnh của một vòng thẩm định, chỉ các ô đã đổi hoặc tất cả. Lặp lại cho \
         từng vòng, theo thứ tự: vòng sau cùng có giá trị được dùng. Khi có tệp vòng đánh giá: \
         các tệp này thay cho mọi vòng thẩm định của vòng đánh giá",
    ),
    (
        "*",
        "survey",
        "Kết quả khảo sát cho các tiêu chí thành phần chấm theo khảo sát. Khi có tệp vòng đánh \
         giá: được chấm thay cho kết quả khảo sát của vòng",
    ),
    (
        "*",
        "stage",
        "Chấm ở bước nào: final (tự đánh giá đã được mọi vòng thẩm định điều chỉnh) hoặc self \
         (chỉ tự đánh giá: đơn vị chấm thử trước khi nộp)",
    ),
    (
        "*",
        "missing",
        "Xử lý tiêu chí thành phần chưa có giá trị thế nào: error (dừng lại và liệt kê) hoặc zero \
         (tính 0 điểm và liệt kê)",
    ),
    (
        "*",
        "output",
        "Ghi vào tệp này thay vì ra màn hình: ghi trọn vẹn hoặc không ghi gì, không bao giờ ghi \
         đè lên một tệp đầu vào (- là màn hình, đầu ra chuẩn). Khi không có --format, phần mở \
         rộng của tệp quyết định định dạng",
    ),
    (
        "check",
        "files",
        "Các tệp bộ tiêu chí (.toml) cần kiểm tra, hoặc tệp vòng đánh giá (round.toml) để kiểm \
         tra cùng toàn bộ dữ liệu. Một thư mục nghĩa là mọi tệp .toml trong đó",
    ),
    (
        "check",
        "data",
        "Các tệp đánh giá (CSV, dạng dọc hoặc ngang) cần đối chiếu với bộ tiêu chí: đơn vị và mã \
         không có trong danh sách, giá trị không đọc được, dòng trùng, giá trị còn thiếu",
    ),
    ("check", "agencies", "Tệp danh sách đơn vị (id,name,group) dùng để đối chiếu các tệp dữ liệu"),
    (
        "check",
        "format",
        "Định dạng của danh sách lỗi: text (cho người đọc) hoặc json (cho hệ thống CI: mỗi lỗi một \
         bản ghi, gồm tệp, dòng, cột, mức độ, mã và nội dung)",
    ),
    (
        "check",
        "deny_warnings",
        "Báo thất bại (mã thoát 1) cả khi chỉ có cảnh báo, không chỉ khi có lỗi",
    ),
    (
        "check",
        "verbose",
        "Hiện riêng từng cảnh báo. Nếu không, một tệp có hơn 3 cảnh báo cùng loại (chẳng hạn nội \
         dung kê khai thiếu tài liệu kiểm chứng) được báo gộp một lần: bao nhiêu cảnh báo, và \
         những chỗ đầu tiên. JSON luôn có mỗi lỗi một bản ghi",
    ),
    (
        "score",
        "group",
        "Chỉ hiện nhóm đơn vị này (hạng luôn xếp trong từng nhóm): mã nhóm như trong tệp danh sách \
         đơn vị (so-nganh), hoặc tên nhóm (\"Sở, ban, ngành\")",
    ),
    (
        "score",
        "field_ranks",
        "Thêm vào bảng của mỗi nhóm một bảng thứ hai: hạng của từng đơn vị trong nhóm theo từng \
         lĩnh vực (ai dẫn đầu lĩnh vực 3). Dùng cho table và md; csv, json, xlsx và html luôn có \
         các hạng này, còn phụ lục quyết định (docx, pdf) thì không",
    ),
    (
        "score",
        "format",
        "Định dạng đầu ra: table (bảng trên màn hình), csv (mỗi đơn vị một dòng), json (đầy đủ, \
         cả giá trị chính xác và đã làm tròn), md (Markdown), xlsx (tệp Excel: mỗi nhóm và mỗi \
         lĩnh vực một trang tính), html (báo cáo để công bố và in: bảng, biểu đồ, mỗi đơn vị một \
         thẻ), docx (phụ lục của quyết định công bố kết quả: tài liệu Word, khổ A4 ngang, mỗi \
         nhóm một bảng) hoặc pdf (phụ lục đó dạng PDF, do LibreOffice tạo). xlsx, docx và pdf \
         cần -o, trừ khi đầu ra được chuyển hướng. [mặc định: định dạng mà phần mở rộng của tệp \
         -o chỉ ra (.csv, .json, .md, .xlsx, .html, .docx, .pdf), nếu không thì table]",
    ),
    (
        "pdf",
        "input",
        "Báo cáo cần in: báo cáo HTML (.html), tài liệu Word (.docx) hoặc tệp Excel (.xlsx)",
    ),
    (
        "pdf",
        "output",
        "Tệp PDF cần ghi (- là màn hình, đầu ra chuẩn) [mặc định: FILE với phần mở rộng .pdf, đặt \
         cạnh nó]",
    ),
    (
        "verify",
        "result",
        "Một kết quả do `parindex score` ghi: CSV (có tệp .audit.json đi kèm bên cạnh), JSON, tệp \
         Excel hoặc báo cáo HTML",
    ),
    (
        "sensitivity",
        "group",
        "Chỉ nhóm này trong tệp danh sách đơn vị, theo mã hoặc tên nhóm: chỉ hạng trong nhóm này \
         được làm xê dịch và hiển thị",
    ),
    ("sensitivity", "runs", "Số lần làm xê dịch điểm rồi xếp hạng lại"),
    (
        "sensitivity",
        "spread",
        "Điểm được xê dịch tối đa bao nhiêu phần trăm về mỗi phía: 25 rút mỗi hệ số ngẫu nhiên, \
         đều nhau, trong khoảng từ 0,75 đến 1,25",
    ),
    ("sensitivity", "level", "Làm xê dịch cả từng lĩnh vực (field), hay từng tiêu chí (criterion)"),
    (
        "sensitivity",
        "seed",
        "Hạt giống (seed) của các hệ số ngẫu nhiên: cùng seed cho cùng một kết quả",
    ),
    (
        "sensitivity",
        "fields",
        "Chỉ in bảng theo lĩnh vực, không in bảng các đơn vị (tệp CSV hoặc tệp Excel chỉ chứa \
         một bảng)",
    ),
    (
        "sensitivity",
        "format",
        "Định dạng đầu ra: table (bảng trên màn hình), csv, json, md (Markdown), xlsx (tệp Excel) \
         hoặc html (trang web có biểu đồ khoảng hạng của từng đơn vị). xlsx cần -o, trừ khi đầu \
         ra được chuyển hướng. [mặc định: định dạng mà phần mở rộng của tệp -o chỉ ra (.csv, \
         .json, .md, .xlsx, .html), nếu không thì table]",
    ),
    (
        "explain",
        "agency",
        "Đơn vị: mã như trong tệp danh sách đơn vị (so-noi-vu), hoặc tên (\"Sở Nội vụ\"); có thể \
         bỏ dấu, chữ hoa và khoảng trắng (so noi vu)",
    ),
    (
        "explain",
        "each",
        "Mọi đơn vị, mỗi đơn vị một tệp, vào thư mục do -o chỉ ra (tên tệp là mã đơn vị): các \
         phiếu kết quả Sở gửi đi (docx, trừ khi --format chọn khác)",
    ),
    (
        "explain",
        "format",
        "Định dạng đầu ra: table (bảng trên màn hình), md (Markdown), json, xlsx (tệp Excel), docx \
         (phiếu kết quả gửi đơn vị: tài liệu Word) hoặc pdf (phiếu đó dạng PDF, do LibreOffice \
         tạo). xlsx, docx và pdf cần -o, trừ khi đầu ra được chuyển hướng. [mặc định: định dạng \
         mà phần mở rộng của tệp -o chỉ ra (.md, .json, .xlsx, .docx, .pdf), nếu không thì table; \
         docx khi có --each]",
    ),
    (
        "compare",
        "rounds",
        "Một tệp vòng đánh giá: so tự đánh giá với thẩm định. Hai tệp: vòng trước, rồi vòng sau",
    ),
    ("compare", "format", TABLES_FORMAT),
    ("status", "format", TABLES_FORMAT),
    ("template", "criteria", "Bộ tiêu chí có các tiêu chí thành phần mà mẫu liệt kê"),
    ("template", "agencies", "Điền sẵn cột đơn vị: mỗi đơn vị trong tệp này một khối dòng"),
    (
        "template",
        "agency",
        "Mẫu của một đơn vị: mã đơn vị (ví dụ so-noi-vu) ở mọi dòng. Khi có --agencies: một đơn \
         vị trong tệp đó, theo mã hoặc tên (\"Sở Nội vụ\", \"so noi vu\")",
    ),
    (
        "template",
        "each",
        "Mỗi đơn vị trong --agencies một mẫu, mỗi mẫu một tệp, vào thư mục do -o chỉ ra (tên tệp \
         là mã đơn vị); ghi tất cả hoặc không ghi tệp nào. [định dạng mặc định: xlsx]",
    ),
    (
        "template",
        "format",
        "Định dạng đầu ra: csv (mở được bằng Excel) hoặc xlsx (tệp Excel có danh sách chọn, đánh \
         dấu các ô cần điền). xlsx cần -o, trừ khi đầu ra được chuyển hướng. [mặc định: định dạng \
         mà phần mở rộng của tệp -o chỉ ra (.csv, .xlsx), nếu không thì csv]",
    ),
    (
        "import",
        "input",
        "Bảng tiêu chí, một tệp Excel (.xlsx): trang tính hiện đầu tiên, có dòng tiêu đề ghi STT, \
         Nội dung và Điểm tối đa, và cột Cách chấm nếu có",
    ),
    (
        "import",
        "output",
        "Tệp bộ tiêu chí cần ghi (.toml): ghi trọn vẹn hoặc không ghi gì, không bao giờ ghi đè \
         lên bảng (- là màn hình, đầu ra chuẩn)",
    ),
    ("generate", "criteria", "Bộ tiêu chí cần tạo giá trị"),
    ("generate", "agencies", "Tạo cho các đơn vị này (id,name,group)"),
    (
        "generate",
        "count",
        "Tạo cho chừng này đơn vị được đánh số (don-vi-000001 …), tối đa 1000000",
    ),
    (
        "generate",
        "groups",
        "Khi có --count: chia các đơn vị vào bao nhiêu nhóm để xếp hạng, nhiều nhất mỗi đơn vị \
         một nhóm",
    ),
    ("generate", "seed", "Hạt giống (seed) của các giá trị ngẫu nhiên: cùng seed cho cùng các tệp"),
    (
        "generate",
        "appraisals",
        "Số vòng thẩm định cần ghi (appraisal-1.csv, appraisal-2.csv …), tối đa 20",
    ),
    (
        "generate",
        "respondents",
        "Ở những chỗ bộ tiêu chí tính giá trị từ phiếu khảo sát: bao nhiêu người trả lời mỗi loại \
         phiếu cho mỗi đơn vị (mỗi người một dòng; bộ tiêu chí dùng hai loại phiếu, chẳng hạn \
         SIPAS và DDCI, thì mỗi loại có chừng ấy người), từ 0 đến 100000. Khoảng một trong hai \
         mươi đơn vị có quá ít phiếu trả lời để được khảo sát",
    ),
    ("generate", "title", "Tên của vòng đánh giá, ghi trong round.toml"),
    (
        "generate",
        "output",
        "Thư mục để ghi vòng đánh giá vào: một thư mục mới hoặc trống (tự tạo nếu chưa có), hoặc \
         thư mục do một lần generate trước đã ghi",
    ),
    (
        "generate",
        "force",
        "Vẫn ghi vào thư mục có chứa các tệp khác, thay các tệp mang tên của một vòng đánh giá \
         (round.toml, agencies.csv, self.csv, appraisal-N.csv, survey.csv, và NAME.csv của một \
         bảng) bằng số liệu giả định",
    ),
    ("completions", "shell", "Shell cần ghi mã tự hoàn thành"),
    ("help", "subcommand", "In trợ giúp của (các) lệnh"),
];

/// `--format` of compare and status, which write the same formats.
const TABLES_FORMAT: &str = "Định dạng đầu ra: table (bảng trên màn hình), csv, json, md \
     (Markdown), xlsx (tệp Excel) hoặc html (trang để in). xlsx cần -o, trừ khi đầu ra được \
     chuyển hướng. [mặc định: định dạng mà phần mở rộng của tệp -o chỉ ra (.csv, .json, .md, \
     .xlsx, .html), nếu không thì table]";

/// The help of a possible value that has one, by the value's name.
fn value_help(value: &str) -> &'static str {
    VALUES.iter().find(|(name, _)| *name == value).map_or_else(
        || panic!("the value `{value}` has no Vietnamese help in cli::help_vi::VALUES"),
        |&(_, text)| text,
    )
}

const VALUES: &[(&str, &str)] = &[
    ("docx", "Tài liệu Word: phụ lục quyết định, hoặc phiếu kết quả của một đơn vị"),
    ("pdf", "Tài liệu Word dạng PDF, do LibreOffice tạo"),
];

/// What each exit code means, the same for every command (as [`Exit::meaning`]).
fn exit_meaning(exit: Exit) -> &'static str {
    match exit {
        Exit::Done => "xong: mọi đầu vào đều đúng",
        Exit::BadInput => "đầu vào có lỗi: mọi lỗi đều được liệt kê",
        Exit::Usage => "dòng lệnh sai",
    }
}

/// `text`, then the exit codes, as the English help lists them.
fn with_exit_codes(text: &str, own: &[(Exit, &str)]) -> String {
    help::exit_codes(text, "Mã thoát", own, exit_meaning)
}

/// Exit code 1 of the commands that score a round.
const SCORING_FAILED: &str = "đầu vào có lỗi (mọi lỗi đều được liệt kê) hoặc còn thiếu giá trị";

/// The help after the options of `command`: its examples, with the commands as they are
/// typed and what they do said in Vietnamese.
fn after_help(command: &str) -> String {
    match command {
        "parindex" => with_exit_codes(
            "\
Ví dụ:
  parindex check criteria/so-ban-nganh-2025.toml
  parindex check --help",
            &[],
        ),
        "check" => with_exit_codes(
            "\
Ví dụ:
  Kiểm tra một bộ tiêu chí:
    parindex check criteria/so-ban-nganh-2025.toml
  Kiểm tra mọi bộ tiêu chí trong một thư mục, như một tác vụ CI:
    parindex check criteria/
  Danh sách lỗi dạng JSON, để hệ thống CI ghi chú:
    parindex check criteria/ --format json
  Đối chiếu dữ liệu của một vòng đánh giá với bộ tiêu chí:
    parindex check criteria/so-ban-nganh-2025.toml --agencies agencies.csv --data self.csv
  Kiểm tra cả một vòng đánh giá (bộ tiêu chí, đơn vị và mọi bước):
    parindex check examples/so-ban-nganh-2025/round.toml
  Như trên, hiện riêng từng cảnh báo:
    parindex check examples/so-ban-nganh-2025/round.toml --verbose",
            &[
                (
                    Exit::Done,
                    "mọi bộ tiêu chí đều đúng (cảnh báo được in ra nhưng không làm thất bại, trừ \
                     khi có --deny-warnings)",
                ),
                (
                    Exit::BadInput,
                    "ít nhất một bộ tiêu chí có lỗi: mọi lỗi trong mọi tệp đều được liệt kê",
                ),
            ],
        ),
        "score" => with_exit_codes(
            "\
Ví dụ:
  Chấm một vòng đánh giá theo tệp vòng đánh giá của nó:
    parindex score examples/so-ban-nganh-2025/round.toml
  Như trên, chỉ ra từng tệp:
    parindex score --criteria criteria/so-ban-nganh-2025.toml --agencies agencies.csv \\
      --self self.csv --appraisal appraisal-1.csv --appraisal appraisal-2.csv --survey survey.csv
  Đơn vị chấm thử tự đánh giá của mình:
    parindex score round.toml --stage self --group so-nganh
  Chấm bản nháp tự đánh giá cùng phần còn lại của vòng, thay cho self.csv:
    parindex score round.toml --self nhap.csv
  Một nhóm, theo tên, kèm đơn vị dẫn đầu từng lĩnh vực:
    parindex score round.toml --group \"Sở, ban, ngành\" --field-ranks
  Công bố dạng CSV (mở được bằng Excel) hoặc JSON, ghi trọn vẹn hoặc không ghi gì:
    parindex score round.toml --format csv -o ket-qua.csv",
            &[(Exit::Done, "đã chấm xong"), (Exit::BadInput, SCORING_FAILED)],
        ),
        "explain" => "\
Ví dụ:
  Kết quả của một đơn vị, chỗ bị mất điểm nhiều nhất trước:
    parindex explain so-noi-vu examples/so-ban-nganh-2025/round.toml
  Đơn vị chấm thử trước khi nộp:
    parindex explain so-noi-vu round.toml --stage self
  Theo tên đơn vị, có thể bỏ dấu:
    parindex explain \"so noi vu\" round.toml
  Cho hội đồng thẩm định, dạng tệp Excel:
    parindex explain so-noi-vu round.toml --format xlsx -o so-noi-vu.xlsx
  Phiếu kết quả gửi đơn vị, dạng tài liệu Word:
    parindex explain so-noi-vu round.toml -o so-noi-vu.docx
  Phiếu kết quả của mọi đơn vị, mỗi đơn vị một tệp (so-noi-vu.docx …) trong một thư mục:
    parindex explain --each round.toml -o phieu-ket-qua/"
            .to_owned(),
        "compare" => "\
Ví dụ:
  Những gì hội đồng thẩm định đã thay đổi, đơn vị chênh lệch nhiều nhất trước:
    parindex compare examples/so-ban-nganh-2025/round.toml
  Năm nay so với năm trước, khớp theo mã đơn vị và mã lĩnh vực:
    parindex compare 2024/round.toml 2025/round.toml --format xlsx -o so-sanh.xlsx"
            .to_owned(),
        "sensitivity" => with_exit_codes(
            "\
Ví dụ:
  Hạng trong một vòng đánh giá vững đến đâu, khi điểm mỗi lĩnh vực xê dịch trong ±25%:
    parindex sensitivity examples/so-ban-nganh-2025/round.toml
  Thay vào đó làm xê dịch từng tiêu chí, trong ±10%, 10.000 lần chạy:
    parindex sensitivity round.toml --level criterion --spread 10 --runs 10000
  Trang web có biểu đồ khoảng hạng của từng đơn vị:
    parindex sensitivity round.toml --format html -o on-dinh.html
  Bảng theo lĩnh vực, dạng CSV:
    parindex sensitivity round.toml --format csv --fields -o linh-vuc.csv

Cùng đầu vào, tùy chọn và --seed thì cho cùng kết quả, trên máy có bao nhiêu nhân cũng vậy.",
            &[(Exit::Done, "xong"), (Exit::BadInput, SCORING_FAILED)],
        ),
        "verify" => with_exit_codes(
            "\
Ví dụ:
  Kết quả ghi dạng CSV (dấu vết kiểm tra nằm trong ket-qua.csv.audit.json bên cạnh):
    parindex score examples/so-ban-nganh-2025/round.toml --format csv -o ket-qua.csv
    parindex verify ket-qua.csv
  Kết quả dạng JSON, Excel hoặc HTML mang dấu vết kiểm tra bên trong:
    parindex verify ket-qua.xlsx

Đường dẫn đầu vào được ghi đúng như khi gõ, tính từ thư mục đã chấm kết quả: hãy chạy lệnh
từ thư mục đó, hoặc verify tự tìm thư mục đó từ thư mục của kết quả và các thư mục bên trên.
verify kiểm tra kết quả của score và sensitivity; kết quả của explain và compare không có
dấu vết kiểm tra.",
            &[
                (Exit::Done, "kết quả khớp với đầu vào"),
                (
                    Exit::BadInput,
                    "một tệp đầu vào đã đổi hoặc bị thiếu, kết quả đã đổi, hoặc chấm lại ra kết \
                     quả khác",
                ),
            ],
        ),
        "status" => "\
Ví dụ:
  Đơn vị nào chưa nộp (liệt kê trước), và mỗi đơn vị đã trả lời được bao nhiêu:
    parindex status examples/so-ban-nganh-2025/round.toml
  Như trên, dạng bảng tính để gửi nhắc nhở:
    parindex status examples/so-ban-nganh-2025/round.toml -o tinh-hinh-nop.xlsx

Mã thoát: 0 đọc được các tệp (dù có đơn vị chưa nộp); 1 có tệp bị lỗi."
            .to_owned(),
        "pdf" => "\
Ví dụ:
  Báo cáo HTML dạng PDF, khổ A4 ngang như khi in:
    parindex score round.toml -o bao-cao.html
    parindex pdf bao-cao.html
  Tài liệu Word hoặc tệp Excel do parindex ghi, dạng PDF, đặt tên như sau:
    parindex pdf phu-luc.docx -o phu-luc-ban-in.pdf

Trang web được in bằng Chromium (hoặc Google Chrome), tài liệu Word và tệp Excel bằng
LibreOffice: nếu chương trình không nằm trong PATH, hãy chỉ ra trong PARINDEX_CHROMIUM hoặc
PARINDEX_LIBREOFFICE. Phụ lục quyết định và phiếu kết quả có thể ghi thẳng ra PDF:
score --format pdf, explain --format pdf.

Mã thoát: 0 đã ghi; 1 không đọc hoặc không chuyển đổi được tệp."
            .to_owned(),
        "template" => "\
Ví dụ:
  Tệp Excel có dòng cho mọi đơn vị, danh sách chọn cho có/không và các phương án:
    parindex template --criteria criteria/so-ban-nganh-2025.toml --agencies agencies.csv \\
      --format xlsx -o tu-danh-gia.xlsx
  Tệp CSV trống để một đơn vị điền (bỏ trống cột đơn vị):
    parindex template --criteria criteria/so-ban-nganh-2025.toml -o tu-danh-gia.csv
  Một tệp Excel cho so-noi-vu, mã đơn vị ở mọi dòng:
    parindex template --criteria criteria/so-ban-nganh-2025.toml --agencies agencies.csv \
      --agency so-noi-vu -o so-noi-vu.xlsx
  Mỗi đơn vị một tệp Excel (đặt tên theo mã), để gửi đi:
    parindex template --criteria criteria/so-ban-nganh-2025.toml --agencies agencies.csv \
      --each -o mau-tu-danh-gia

Mẫu đã điền được score đọc thẳng, không cần sửa: --self tu-danh-gia.xlsx"
            .to_owned(),
        "import" => "\
Ví dụ:
  Bảng tiêu chí của tỉnh, thành tệp bộ tiêu chí để rà soát và kiểm tra:
    parindex import bo-chi-so-2025.xlsx -o criteria/so-ban-nganh-2025.toml
    parindex check criteria/so-ban-nganh-2025.toml

Các dòng được xếp theo số thứ tự: I, II … là lĩnh vực; 1, 2 là tiêu chí; 1.1 hoặc a, b là mục
con. Hướng dẫn chấm như \"Ban hành đúng hạn: 1 điểm; chậm: 0,5 điểm; không ban hành: 0 điểm\"
thành choice, \"Từ 90% trở lên: 1 điểm; dưới 90%: 0 điểm\" thành bands, \"mỗi … trừ 0,25
điểm\" thành per_item; các cách chấm khác thành points, kèm trích dẫn dòng gốc (# dòng 14: …)
để bạn hoàn thiện. Phần xếp loại được để ở dạng chú thích: hãy ghi theo quyết định của tỉnh."
            .to_owned(),
        "generate" => "\
Ví dụ:
  Một vòng đánh giá cho các sở, ngành thực của tỉnh (tên lấy từ tệp danh sách đơn vị):
    parindex generate --criteria criteria/so-ban-nganh-2025.toml --agencies agencies.csv -o vong-thu/
  100.000 đơn vị đánh số trong 100 nhóm, để đo hiệu năng:
    parindex generate --criteria criteria/so-ban-nganh-2025.toml --count 100000 --groups 100 -o /tmp/lon/
  Rồi chấm vòng đó:
    parindex score vong-thu/round.toml

Cùng bộ tiêu chí, danh sách đơn vị và --seed thì luôn cho cùng các tệp."
            .to_owned(),
        "completions" => "\
Ví dụ:
  bash:        parindex completions bash > ~/.local/share/bash-completion/completions/parindex
  zsh:         parindex completions zsh > ~/.zfunc/_parindex
  fish:        parindex completions fish > ~/.config/fish/completions/parindex.fish
  PowerShell:  parindex completions powershell >> $PROFILE"
            .to_owned(),
        _ => panic!("the command `{command}` has no Vietnamese examples in cli::help_vi"),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// Every command of `command`, itself first, with clap's own additions.
    fn every(command: &Command) -> Vec<&Command> {
        let mut all = vec![command];
        for sub in command.get_subcommands() {
            all.extend(every(sub));
        }
        all
    }

    fn built() -> Command {
        let mut command = Cli::command();
        command.build();
        command
    }

    #[test]
    fn every_command_and_argument_has_a_vietnamese_text() {
        let command = built();
        let mut missing = Vec::new();
        for sub in every(&command) {
            let name = sub.get_name();
            if !ABOUT.iter().any(|(n, _)| *n == name) {
                missing.push(format!("about of `{name}`"));
            }
            for arg in sub.get_arguments() {
                let id = arg.get_id().as_str();
                if !matches!(id, "help" | "version") && find_arg(name, id).is_none() {
                    missing.push(format!("help of `{name} {id}`"));
                }
                for value in arg.get_possible_values() {
                    if value.get_help().is_some()
                        && !VALUES.iter().any(|(n, _)| *n == value.get_name())
                    {
                        missing.push(format!("help of the value `{}`", value.get_name()));
                    }
                }
            }
        }
        assert!(missing.is_empty(), "no Vietnamese text for: {missing:#?}");
        // Panics on a command with examples that has none in Vietnamese.
        let _ = super::command(Lang::Vi);
    }

    #[test]
    fn a_shared_text_is_only_used_where_the_english_is_shared_too() {
        let command = built();
        let mut english: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for sub in every(&command) {
            for arg in sub.get_arguments() {
                let id = arg.get_id().as_str();
                let own = ARGS.iter().any(|(c, i, _)| *c == sub.get_name() && *i == id);
                if !own && ARGS.iter().any(|(c, i, _)| *c == "*" && *i == id) {
                    let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
                    let seen = english.entry(id).or_default();
                    if !seen.contains(&help) {
                        seen.push(help);
                    }
                }
            }
        }
        for (id, helps) in english {
            assert_eq!(helps.len(), 1, "`{id}` is said in several ways in English: {helps:#?}");
        }
    }

    #[test]
    fn every_help_is_in_vietnamese_with_its_headings_in_order() {
        let mut command = command(Lang::Vi);
        let names: Vec<String> =
            command.get_subcommands().map(|s| s.get_name().to_owned()).collect();
        let top = command.render_long_help().to_string();
        assert!(top.contains("Cách dùng: parindex") && top.contains("\nLệnh:\n"), "{top}");
        for name in names {
            let sub = command.find_subcommand_mut(&name).expect("listed");
            let help = sub.render_long_help().to_string();
            for english in ["Usage:", "Options:", "Arguments:", "Commands:", "[default:", "Print "]
            {
                assert!(!help.contains(english), "`{name}` says {english}:\n{help}");
            }
            let (arguments, options) = (help.find("\nTham số:\n"), help.find("\nTùy chọn:\n"));
            if let (Some(arguments), Some(options)) = (arguments, options) {
                assert!(arguments < options, "`{name}` lists its options first:\n{help}");
            }
        }
    }

    #[test]
    fn the_last_lang_before_a_double_dash_chooses() {
        let asked = |line: &str| asked(&line.split(' ').map(OsString::from).collect::<Vec<_>>());
        assert_eq!(asked("parindex --help"), None);
        assert_eq!(asked("parindex --lang vi score --help"), Some(Lang::Vi));
        assert_eq!(asked("parindex score --help --lang=vi"), Some(Lang::Vi));
        assert_eq!(asked("parindex --lang vi score --lang en"), Some(Lang::En));
        assert_eq!(asked("parindex --lang xx --help"), None);
        assert_eq!(asked("parindex explain -- --lang vi"), None);
    }

    #[test]
    fn english_is_the_command_as_derived() {
        let english = command(Lang::En).render_long_help().to_string();
        assert_eq!(english, Cli::command().render_long_help().to_string());
    }
}
