//! The long help of parindex: each command's examples and exit codes, shown after its
//! options by `--help`. The exit codes are listed from [`Exit`], in the words of the
//! command where it says more than every command does.

use std::fmt::Write as _;

use crate::exit::Exit;

/// The help after the options of `parindex` itself.
pub(super) fn parindex() -> String {
    with_exit_codes(PARINDEX_EXAMPLES, &[])
}

/// The help after the options of `parindex check`.
pub(super) fn check() -> String {
    with_exit_codes(
        CHECK_EXAMPLES,
        &[
            (
                Exit::Done,
                "every set is good (warnings are printed but do not fail, unless --deny-warnings)",
            ),
            (
                Exit::BadInput,
                "at least one set has a problem: every problem in every file is listed",
            ),
        ],
    )
}

/// The help after the options of `parindex score`.
pub(super) fn score() -> String {
    with_exit_codes(SCORE_EXAMPLES, &[(Exit::Done, "scored"), (Exit::BadInput, SCORING_FAILED)])
}

/// The help after the options of `parindex sensitivity`.
pub(super) fn sensitivity() -> String {
    with_exit_codes(SENSITIVITY_EXAMPLES, &[(Exit::Done, "done"), (Exit::BadInput, SCORING_FAILED)])
}

/// The help after the options of `parindex verify`.
pub(super) fn verify() -> String {
    with_exit_codes(
        VERIFY_EXAMPLES,
        &[
            (Exit::Done, "the result matches its inputs"),
            (
                Exit::BadInput,
                "an input changed or is missing, the result changed, or it scores differently",
            ),
        ],
    )
}

/// Exit code 1 of the commands that score a round.
const SCORING_FAILED: &str = "the inputs are wrong (every problem is listed) or values are missing";

/// `text`, then every exit code with what it means: in the words of `own` where the
/// command gives its own, else as [`Exit::meaning`] says it.
fn with_exit_codes(text: &str, own: &[(Exit, &str)]) -> String {
    exit_codes(text, "Exit codes", own, Exit::meaning)
}

/// `text`, then every exit code under `heading` with what it means: in the words of `own`
/// where the command gives its own, else as `meaning` says it. The Vietnamese help lists
/// them the same way (`help_vi`), so that both list every code.
pub(super) fn exit_codes(
    text: &str,
    heading: &str,
    own: &[(Exit, &str)],
    meaning: fn(Exit) -> &'static str,
) -> String {
    let mut out = format!("{text}\n\n{heading}:");
    for exit in Exit::ALL {
        let meaning = own.iter().find(|(e, _)| *e == exit).map_or(meaning(exit), |&(_, m)| m);
        let _ = write!(out, "\n  {}  {meaning}", exit.code());
    }
    out
}

const PARINDEX_EXAMPLES: &str = "\
Examples:
  parindex check criteria/so-ban-nganh-2025.toml
  parindex check --help";

const CHECK_EXAMPLES: &str = "\
Examples:
  Check one set:
    parindex check criteria/so-ban-nganh-2025.toml
  Check every set in a folder, as a CI job does:
    parindex check criteria/
  Problems as JSON, for a CI system to annotate:
    parindex check criteria/ --format json
  Check a round's data against its criteria set:
    parindex check criteria/so-ban-nganh-2025.toml --agencies agencies.csv --data self.csv
  Check a whole round (criteria, agencies and every stage):
    parindex check examples/so-ban-nganh-2025/round.toml
  The same, each warning on its own:
    parindex check examples/so-ban-nganh-2025/round.toml --verbose";

const SCORE_EXAMPLES: &str = "\
Examples:
  Score a round named by its round file:
    parindex score examples/so-ban-nganh-2025/round.toml
  The same, naming each file:
    parindex score --criteria criteria/so-ban-nganh-2025.toml --agencies agencies.csv \\
      --self self.csv --appraisal appraisal-1.csv --appraisal appraisal-2.csv --survey survey.csv
  An agency's dry run of its own self-assessment:
    parindex score round.toml --stage self --group so-nganh
  A draft self-assessment scored with the rest of the round, instead of its self.csv:
    parindex score round.toml --self nhap.csv
  One group, by its name, with who leads each field:
    parindex score round.toml --group \"Sở, ban, ngành\" --field-ranks
  Publish as CSV (opens in Excel) or JSON, written whole or not at all:
    parindex score round.toml --format csv -o ket-qua.csv";

pub(super) const EXPLAIN_EXAMPLES: &str = "\
Examples:
  An agency's result, where it lost points first:
    parindex explain so-noi-vu examples/so-ban-nganh-2025/round.toml
  Its own dry run before submitting:
    parindex explain so-noi-vu round.toml --stage self
  By its name, accents optional:
    parindex explain \"so noi vu\" round.toml
  For the appraisal council, as a workbook:
    parindex explain so-noi-vu round.toml --format xlsx -o so-noi-vu.xlsx
  The result sheet sent to the agency, as a Word document:
    parindex explain so-noi-vu round.toml -o so-noi-vu.docx
  Every agency's result sheet, one file each (so-noi-vu.docx …) in a folder:
    parindex explain --each round.toml -o phieu-ket-qua/";

pub(super) const PDF_EXAMPLES: &str = "\
Examples:
  The HTML report as PDF, A4 landscape as it prints:
    parindex score round.toml -o bao-cao.html
    parindex pdf bao-cao.html
  A Word document or workbook parindex wrote, as PDF, named so:
    parindex pdf phu-luc.docx -o phu-luc-ban-in.pdf

Web pages are printed by Chromium (or Google Chrome), Word documents and workbooks by
LibreOffice: name either in PARINDEX_CHROMIUM or PARINDEX_LIBREOFFICE if it is not on
the PATH. The decision appendix and result sheets can be written as PDF directly:
score --format pdf, explain --format pdf.

Exit codes: 0 written; 1 the file cannot be read or converted.";

pub(super) const COMPARE_EXAMPLES: &str = "\
Examples:
  What the appraisal council changed, agencies furthest off first:
    parindex compare examples/so-ban-nganh-2025/round.toml
  This year against last year, matched by agency id and field code:
    parindex compare 2024/round.toml 2025/round.toml --format xlsx -o so-sanh.xlsx";

const SENSITIVITY_EXAMPLES: &str = "\
Examples:
  How steady the ranks of a round are, each field's points within ±25%:
    parindex sensitivity examples/so-ban-nganh-2025/round.toml
  Perturb each criterion instead, within ±10%, 10,000 runs:
    parindex sensitivity round.toml --level criterion --spread 10 --runs 10000
  A page with a chart of each agency's rank interval:
    parindex sensitivity round.toml --format html -o on-dinh.html
  The per-field table as CSV:
    parindex sensitivity round.toml --format csv --fields -o linh-vuc.csv

The same inputs, options and --seed give the same output, on any number of cores.";

const VERIFY_EXAMPLES: &str = "\
Examples:
  A result written as CSV (its audit trail is in ket-qua.csv.audit.json beside it):
    parindex score examples/so-ban-nganh-2025/round.toml --format csv -o ket-qua.csv
    parindex verify ket-qua.csv
  A JSON, Excel or HTML result carries its audit trail inside:
    parindex verify ket-qua.xlsx

Input paths are as they were typed, relative to the folder the result was scored in: run
it from there, or verify finds that folder from the result's own and the ones above it.
verify checks the results of score and sensitivity; explain and compare outputs carry no
audit trail.";

pub(super) const STATUS_EXAMPLES: &str = "\
Examples:
  Who has not submitted yet (listed first), and how much each has answered:
    parindex status examples/so-ban-nganh-2025/round.toml
  The same for a spreadsheet, to send reminders from:
    parindex status examples/so-ban-nganh-2025/round.toml -o tinh-hinh-nop.xlsx

Exit codes: 0 the files could be read (whoever has not submitted); 1 a file is wrong.";

pub(super) const TEMPLATE_EXAMPLES: &str = "\
Examples:
  A workbook with rows for every agency, drop-downs for yes/no and choices:
    parindex template --criteria criteria/so-ban-nganh-2025.toml --agencies agencies.csv \\
      --format xlsx -o tu-danh-gia.xlsx
  A blank CSV for one agency to fill in (agency column left empty):
    parindex template --criteria criteria/so-ban-nganh-2025.toml -o tu-danh-gia.csv
  One workbook for so-noi-vu, its id in every row:
    parindex template --criteria criteria/so-ban-nganh-2025.toml --agencies agencies.csv \
      --agency so-noi-vu -o so-noi-vu.xlsx
  A workbook for every agency, one file each (named by id), to send out:
    parindex template --criteria criteria/so-ban-nganh-2025.toml --agencies agencies.csv \
      --each -o mau-tu-danh-gia

A filled-in template is read by score without edits: --self tu-danh-gia.xlsx";

pub(super) const IMPORT_EXAMPLES: &str = "\
Examples:
  The province's criteria table, as a set file to review and check:
    parindex import bo-chi-so-2025.xlsx -o criteria/so-ban-nganh-2025.toml
    parindex check criteria/so-ban-nganh-2025.toml

Rows are placed by their numbers: I, II … fields; 1, 2 criteria; 1.1 or a, b below. A rubric
such as \"Ban hành đúng hạn: 1 điểm; chậm: 0,5 điểm; không ban hành: 0 điểm\" becomes a choice,
\"Từ 90% trở lên: 1 điểm; dưới 90%: 0 điểm\" bands, \"mỗi … trừ 0,25 điểm\" per_item; any other
becomes points, with its row quoted (# dòng 14: …) for you to finish. Grades are left
commented out: write the decision's own.";

pub(super) const GENERATE_EXAMPLES: &str = "\
Examples:
  A round for a province's real departments (names from the agencies file):
    parindex generate --criteria criteria/so-ban-nganh-2025.toml --agencies agencies.csv -o vong-thu/
  100,000 numbered agencies in 100 groups, for a benchmark:
    parindex generate --criteria criteria/so-ban-nganh-2025.toml --count 100000 --groups 100 -o /tmp/lon/
  Then score it:
    parindex score vong-thu/round.toml

The same criteria set, agencies and --seed always give the same files.";

pub(super) const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  bash:        parindex completions bash > ~/.local/share/bash-completion/completions/parindex
  zsh:         parindex completions zsh > ~/.zfunc/_parindex
  fish:        parindex completions fish > ~/.config/fish/completions/parindex.fish
  PowerShell:  parindex completions powershell >> $PROFILE";
