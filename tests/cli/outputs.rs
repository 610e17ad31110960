//! Outputs that must not lose or forge anything: an input is never written over however
//! it is named, a device stays a device, a CSV result and its audit trail stay a pair,
//! a stopped run leaves no temporary file, and `verify` is not fooled. Each test names
//! the case of `docs/errors.md` it guards.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{root, run, seen};

/// The sample round, self-contained in a fresh folder: `round.toml` names
/// `criteria.toml`, `agencies.csv`, `self.csv`, two appraisal rounds and `survey.csv`
/// beside it.
fn round_here() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mini = root().join("examples/vong-mau");
    for file in ["agencies.csv", "self.csv", "appraisal-1.csv", "appraisal-2.csv", "survey.csv"] {
        std::fs::copy(mini.join(file), dir.path().join(file)).unwrap();
    }
    std::fs::copy(
        root().join("docs/examples/bo-tieu-chi-mau.toml"),
        dir.path().join("criteria.toml"),
    )
    .unwrap();
    let round = std::fs::read_to_string(mini.join("round.toml")).unwrap();
    let round = round.replace("../../docs/examples/bo-tieu-chi-mau.toml", "criteria.toml");
    std::fs::write(dir.path().join("round.toml"), round).unwrap();
    dir
}

const INPUTS: [&str; 7] = [
    "round.toml",
    "criteria.toml",
    "agencies.csv",
    "self.csv",
    "appraisal-1.csv",
    "appraisal-2.csv",
    "survey.csv",
];

/// Every file in `dir` with the SHA-256 of its bytes.
fn contents(dir: &Path) -> Vec<(String, String)> {
    let mut found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), digest(&p)))
        .collect();
    found.sort();
    found
}

/// The names in `dir` a run of parindex leaves only while it writes: temporary files and
/// lock files.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".parindex-") || n.ends_with(".parindex-lock"))
        .collect()
}

// -o round.toml, or any other name of an input: refused, whatever the spelling.
#[test]
fn an_input_is_refused_as_the_output_however_it_is_named() {
    let dir = round_here();
    let here = dir.path();
    std::fs::create_dir(here.join("ket-qua")).unwrap();
    let absolute = here.join("round.toml").to_string_lossy().into_owned();
    let mut names: Vec<String> =
        ["round.toml", "./round.toml", "ket-qua/../round.toml", absolute.as_str()]
            .map(String::from)
            .to_vec();
    names.extend(INPUTS[1..].iter().map(|i| (*i).to_string()));
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("round.toml", here.join("lien-ket.toml")).unwrap();
        std::fs::hard_link(here.join("self.csv"), here.join("ket-qua/ban-sao.csv")).unwrap();
        names.extend(["lien-ket.toml".into(), "ket-qua/ban-sao.csv".into()]);
    }
    let mut before = contents(here);
    before.extend(contents(&here.join("ket-qua")));
    for name in &names {
        // As its extension says, and as CSV with the audit trail beside it.
        for format in [&[][..], &["--format", "csv"]] {
            let mut args = vec!["score", "round.toml", "-o", name];
            args.extend(format);
            let refused = run(here, &args);
            assert_eq!(refused.status.code(), Some(1), "-o {name}: {}", seen(&refused));
            assert!(
                String::from_utf8_lossy(&refused.stderr).contains("[output-is-input]"),
                "-o {name}: {}",
                seen(&refused)
            );
        }
    }
    let mut after = contents(here);
    after.extend(contents(&here.join("ket-qua")));
    assert_eq!(after, before, "every input as it was");
    insta::assert_snapshot!(
        "round-file-as-output",
        seen(&run(here, &["score", "round.toml", "-o", "./round.toml"]))
    );
    // Named one by one, the inputs are as safe, and so from the other commands.
    let one_by_one = [
        "score",
        "--criteria",
        "criteria.toml",
        "--agencies",
        "agencies.csv",
        "--self",
        "self.csv",
        "--survey",
        "survey.csv",
        "--missing",
        "zero",
        "-o",
        "./survey.csv",
    ];
    assert_eq!(run(here, &one_by_one).status.code(), Some(1));
    for args in [
        &["explain", "so-noi-vu", "round.toml", "-o", "./round.toml"][..],
        &["compare", "round.toml", "-o", "ket-qua/../round.toml"],
        &["sensitivity", "round.toml", "--runs", "5", "--format", "csv", "-o", "round.toml"],
        &[
            "template",
            "--criteria",
            "criteria.toml",
            "--agencies",
            "agencies.csv",
            "-o",
            "./agencies.csv",
        ],
    ] {
        let refused = run(here, args);
        assert_eq!(refused.status.code(), Some(1), "{args:?}: {}", seen(&refused));
        assert!(String::from_utf8_lossy(&refused.stderr).contains("[output-is-input]"));
    }
    let mut after = contents(here);
    after.extend(contents(&here.join("ket-qua")));
    assert_eq!(after, before, "every input as it was");
}

// As root, -o /dev/null must stay the device; a pipe is written as it is; a folder is
// refused.
#[cfg(unix)]
#[test]
fn a_device_or_pipe_is_written_as_it_is_and_a_folder_is_refused() {
    use std::os::unix::fs::FileTypeExt;
    let dir = round_here();
    let here = dir.path();
    for format in ["table", "csv", "json", "xlsx"] {
        let out = run(here, &["score", "round.toml", "--format", format, "-o", "/dev/null"]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", seen(&out));
        assert!(out.stdout.is_empty());
        let null = std::fs::metadata("/dev/null").unwrap();
        assert!(null.file_type().is_char_device(), "/dev/null is still a device");
    }
    assert!(!Path::new("/dev/null.audit.json").exists(), "no trail beside a device");
    assert!(!Path::new("/dev/.null.parindex-lock").exists());

    // A named pipe: read by another process while parindex writes to it.
    let fifo = here.join("ong.csv");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let reader = Command::new("cat").arg(&fifo).stdout(Stdio::piped()).spawn().unwrap();
        let out = run(here, &["score", "round.toml", "--format", "csv", "-o", "ong.csv"]);
        assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
        let read = reader.wait_with_output().unwrap();
        assert!(read.stdout.starts_with(b"\xEF\xBB\xBFagency,name,group,group_name,rank"));
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo(), "still a pipe");
        assert!(!here.join("ong.csv.audit.json").exists());
    }

    // -o /dev/stdout goes where standard output goes, here a pipe.
    let out = run(here, &["score", "round.toml", "--format", "csv", "-o", "/dev/stdout"]);
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBFagency,name,group,group_name,rank"));

    std::fs::create_dir(here.join("ket-qua")).unwrap();
    let folder = run(here, &["score", "round.toml", "-o", "ket-qua"]);
    insta::assert_snapshot!("folder-as-output", seen(&folder));
    assert!(leftovers(here).is_empty());
}

/// The SHA-256 of a file.
fn digest(path: &Path) -> String {
    parindex::source::sha256(&std::fs::read(path).unwrap())
}

/// The digest of the CSV a sidecar records.
fn recorded(sidecar: &Path) -> String {
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(sidecar).unwrap()).unwrap();
    doc["result_sha256"].as_str().unwrap().to_string()
}

/// A second round beside the first, `khac/`, whose self-assessment gives another result.
fn other_round(here: &Path) {
    let other = here.join("khac");
    std::fs::create_dir(&other).unwrap();
    for file in INPUTS {
        std::fs::copy(here.join(file), other.join(file)).unwrap();
    }
    let own = std::fs::read_to_string(other.join("self.csv")).unwrap();
    assert!(own.contains("so-noi-vu,1.1.2,có,"));
    std::fs::write(
        other.join("self.csv"),
        own.replacen("so-noi-vu,1.1.2,có,", "so-noi-vu,1.1.2,không,", 1),
    )
    .unwrap();
}

// A CSV result and its trail written by two runs at once stay a pair; a pair broken
// between the two renames is named by verify.
#[test]
fn a_csv_result_and_its_trail_stay_a_pair() {
    let dir = round_here();
    let here = dir.path();
    other_round(here);
    let out = here.join("ket-qua.csv");
    let side = here.join("ket-qua.csv.audit.json");
    for _ in 0..4 {
        let runs: Vec<_> = ["round.toml", "khac/round.toml"]
            .iter()
            .map(|round| {
                Command::new(env!("CARGO_BIN_EXE_parindex"))
                    .args(["score", round, "--format", "csv", "-o", "ket-qua.csv"])
                    .current_dir(here)
                    .env_clear()
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut r in runs {
            assert!(r.wait().unwrap().success());
        }
        assert_eq!(recorded(&side), digest(&out), "the trail belongs to the CSV beside it");
        assert!(leftovers(here).is_empty(), "{:?}", leftovers(here));
        let verified = run(here, &["verify", "ket-qua.csv"]);
        assert_eq!(verified.status.code(), Some(0), "{}", seen(&verified));
    }

    // A run stopped between the two renames leaves the new CSV beside the old trail.
    assert_eq!(
        run(here, &["score", "round.toml", "--format", "csv", "-o", "ket-qua.csv"]).status.code(),
        Some(0)
    );
    let old_trail = std::fs::read(&side).unwrap();
    assert_eq!(
        run(here, &["score", "khac/round.toml", "--format", "csv", "-o", "ket-qua.csv"])
            .status
            .code(),
        Some(0)
    );
    std::fs::write(&side, old_trail).unwrap();
    insta::assert_snapshot!("mismatched-pair", seen(&run(here, &["verify", "ket-qua.csv"])));
}

/// Runs `args` in `dir`, sends `signal` once a temporary file of parindex shows in
/// `watch` (or when the run ends first), and returns how the run ended and whether the
/// signal found a file being written.
#[cfg(unix)]
fn stopped(
    dir: &Path,
    watch: &Path,
    args: &[&str],
    signal: &str,
) -> (std::process::ExitStatus, bool) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_parindex"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let caught = loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status, false);
        }
        if watch.is_dir()
            && std::fs::read_dir(watch)
                .unwrap()
                .any(|e| e.unwrap().file_name().to_string_lossy().starts_with(".parindex-"))
        {
            break true;
        }
        assert!(started.elapsed().as_secs() < 300, "the run neither wrote nor ended");
        std::thread::sleep(std::time::Duration::from_millis(1));
    };
    let sent = Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status();
    assert!(sent.unwrap().success());
    (child.wait().unwrap(), caught)
}

// Ctrl+C, kill or a closed terminal while a file is written leave no temporary file.
#[cfg(unix)]
#[test]
fn a_stopped_run_leaves_no_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path();
    let criteria = root().join("criteria/so-ban-nganh-2025.toml");
    let criteria = criteria.to_str().unwrap();
    // generate writes its files as it goes: a signal always finds them being written.
    for (signal, number) in [("TERM", 15), ("INT", 2), ("HUP", 1)] {
        let folder = format!("vong-{signal}");
        let args = ["generate", "--criteria", criteria, "--count", "20000", "-o", &folder];
        let (status, caught) = stopped(here, &here.join(&folder), &args, signal);
        assert!(caught, "{signal}: the run ended before it wrote");
        assert!(
            status.signal() == Some(number) || status.code() == Some(128 + number),
            "{signal}: {status:?}"
        );
        assert_eq!(leftovers(&here.join(&folder)), Vec::<String>::new(), "{signal}");
        assert!(!here.join(&folder).join("round.toml").exists(), "{signal}: no half round");
    }
    // score writes its result at the end, quickly: whether the signal finds the file
    // being written or not, none is left.
    let made = run(here, &["generate", "--criteria", criteria, "--count", "400", "-o", "vong"]);
    assert_eq!(made.status.code(), Some(0), "{}", seen(&made));
    for signal in ["TERM", "INT"] {
        let args = ["score", "vong/round.toml", "--format", "json", "-o", "ket-qua.json"];
        let (status, caught) = stopped(here, here, &args, signal);
        assert!(caught || status.success(), "{signal}: {status:?}");
        assert_eq!(leftovers(here), Vec::<String>::new(), "{signal}");
        std::fs::remove_file(here.join("ket-qua.json")).ok();
    }
}

// -o - is standard output, not a file named "-".
#[test]
fn a_dash_is_standard_output() {
    let dir = round_here();
    let here = dir.path();
    let out = run(here, &["score", "round.toml", "--format", "csv", "-o", "-"]);
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    let printed = run(here, &["score", "round.toml", "--format", "csv"]);
    assert_eq!(out.stdout, printed.stdout);
    assert!(!here.join("-").exists());
    assert!(!here.join("-.audit.json").exists());
    for args in [
        &["explain", "so-noi-vu", "round.toml", "-o", "-"][..],
        &["compare", "round.toml", "-o", "-"],
        &["sensitivity", "round.toml", "--runs", "5", "-o", "-"],
        &["template", "--criteria", "criteria.toml", "-o", "-"],
    ] {
        let out = run(here, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", seen(&out));
        assert!(!out.stdout.is_empty(), "{args:?}");
        assert!(!here.join("-").exists(), "{args:?}");
    }
    let generate =
        run(here, &["generate", "--criteria", "criteria.toml", "--count", "2", "-o", "-"]);
    insta::assert_snapshot!("generate-to-dash", seen(&generate));
    assert!(!here.join("-").exists());
}

// -o ket-qua.xlsx writes a workbook without --format, and a --format that says
// otherwise is a usage error.
#[test]
fn the_output_file_names_the_format() {
    let dir = round_here();
    let here = dir.path();
    let starts = |name: &str, head: &[u8]| {
        let bytes = std::fs::read(here.join(name)).unwrap();
        assert!(bytes.starts_with(head), "{name}: {:?}", String::from_utf8_lossy(&bytes[..20]));
    };
    for (args, out, head) in [
        (&["score", "round.toml"][..], "ket-qua.xlsx", &b"PK"[..]),
        (&["score", "round.toml"], "ket-qua.CSV", b"\xEF\xBB\xBFagency,name"),
        (&["score", "round.toml"], "ket-qua.json", b"{"),
        (&["score", "round.toml"], "ket-qua.htm", b"<!DOCTYPE html>"),
        (&["score", "round.toml"], "ket-qua.md", b"#"),
        (&["score", "round.toml"], "ket-qua.txt", "Chỉ số CCHC".as_bytes()),
        (&["sensitivity", "round.toml", "--runs", "5"], "on-dinh.csv", b"\xEF\xBB\xBFrank,agency"),
        (&["explain", "so-noi-vu", "round.toml"], "giai-trinh.xlsx", b"PK"),
        (&["compare", "round.toml"], "so-sanh.html", b"<!DOCTYPE html>"),
        (&["template", "--criteria", "criteria.toml"], "mau.xlsx", b"PK"),
        (&["template", "--criteria", "criteria.toml"], "mau.txt", "\u{feff}Mã đơn vị".as_bytes()),
    ] {
        let mut all = args.to_vec();
        all.extend(["-o", out]);
        let made = run(here, &all);
        assert_eq!(made.status.code(), Some(0), "{all:?}: {}", seen(&made));
        starts(out, head);
    }
    assert!(here.join("ket-qua.CSV.audit.json").exists());
    assert!(here.join("on-dinh.csv.audit.json").exists());
    assert_eq!(run(here, &["verify", "ket-qua.xlsx"]).status.code(), Some(0));

    let before = contents(here);
    let contradiction =
        run(here, &["score", "round.toml", "--format", "csv", "-o", "ket-qua.xlsx"]);
    insta::assert_snapshot!("format-contradicts-output", seen(&contradiction));
    let unwritten = run(here, &["explain", "so-noi-vu", "round.toml", "-o", "giai-trinh.csv"]);
    insta::assert_snapshot!("format-not-written", seen(&unwritten));
    for args in [
        &["sensitivity", "round.toml", "--format", "json", "-o", "x.html"][..],
        &["compare", "round.toml", "--format", "md", "-o", "x.csv"],
        &["template", "--criteria", "criteria.toml", "--format", "csv", "-o", "x.xlsx"],
        &["template", "--criteria", "criteria.toml", "-o", "x.json"],
    ] {
        let refused = run(here, args);
        assert_eq!(refused.status.code(), Some(2), "{args:?}: {}", seen(&refused));
    }
    assert_eq!(contents(here), before, "nothing written");
}

// A CSV scored from other inputs, its trail copied or edited to name the genuine ones,
// is found out as a JSON, HTML or Excel result is.
#[test]
fn a_csv_whose_trail_names_other_inputs_is_found_out() {
    let dir = round_here();
    let here = dir.path();
    other_round(here);
    for (round, out) in [("round.toml", "a.csv"), ("khac/round.toml", "b.csv")] {
        let made = run(here, &["score", round, "-o", out]);
        assert_eq!(made.status.code(), Some(0), "{}", seen(&made));
    }
    assert_eq!(run(here, &["verify", "b.csv"]).status.code(), Some(0));
    let trail = |name: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(here.join(name)).unwrap()).unwrap()
    };
    let (a, b) = (trail("a.csv.audit.json"), trail("b.csv.audit.json"));

    // A's trail beside B's result, as it is.
    std::fs::write(here.join("b.csv.audit.json"), serde_json::to_vec_pretty(&a).unwrap()).unwrap();
    insta::assert_snapshot!("forged-trail-copied", seen(&run(here, &["verify", "b.csv"])));

    // A's trail with B's digest: scoring A again gives another CSV.
    let mut forged = a.clone();
    forged["result_sha256"] = b["result_sha256"].clone();
    std::fs::write(here.join("b.csv.audit.json"), serde_json::to_vec_pretty(&forged).unwrap())
        .unwrap();
    insta::assert_snapshot!("forged-trail-with-digest", seen(&run(here, &["verify", "b.csv"])));

    // B's trail naming A's files, all unchanged, but for the round file that B was
    // really scored from: A's stages are taken as files typed beside B's round file
    // (`--self`, `--appraisal`, `--survey`), and B's criteria set and agencies are
    // named otherwise than the trail says; scoring again gives other bytes.
    let mut forged = b.clone();
    let inputs = forged["audit"]["inputs"].as_array_mut().unwrap();
    for (n, input) in inputs.iter_mut().enumerate().skip(1) {
        *input = a["audit"]["inputs"][n].clone();
    }
    std::fs::write(here.join("b.csv.audit.json"), serde_json::to_vec_pretty(&forged).unwrap())
        .unwrap();
    let verified = run(here, &["verify", "b.csv"]);
    insta::assert_snapshot!("forged-trail-naming-other-inputs", seen(&verified));
}

// verify of an explain, compare or template output says what it is.
#[test]
fn verify_says_views_carry_no_audit_trail() {
    let dir = round_here();
    let here = dir.path();
    other_round(here);
    let views: [&[&str]; 10] = [
        &["explain", "so-noi-vu", "round.toml", "--format", "json", "-o", "v.json"],
        &["explain", "so-noi-vu", "round.toml", "--format", "xlsx", "-o", "v.xlsx"],
        &["compare", "round.toml", "--format", "json", "-o", "v.json"],
        &["compare", "round.toml", "khac/round.toml", "--format", "json", "-o", "v.json"],
        &["compare", "round.toml", "--format", "csv", "-o", "v.csv"],
        &[
            "compare",
            "round.toml",
            "khac/round.toml",
            "--format",
            "csv",
            "--lang",
            "en",
            "-o",
            "v.csv",
        ],
        &["compare", "round.toml", "--format", "html", "-o", "v.html"],
        &["compare", "round.toml", "--format", "xlsx", "--lang", "en", "-o", "v.xlsx"],
        &["template", "--criteria", "criteria.toml", "--format", "csv", "-o", "v.csv"],
        &["template", "--criteria", "criteria.toml", "--format", "xlsx", "-o", "v.xlsx"],
    ];
    for args in views {
        let made = run(here, args);
        assert_eq!(made.status.code(), Some(0), "{args:?}: {}", seen(&made));
        let out = args.last().unwrap();
        let refused = run(here, &["verify", out]);
        assert_eq!(refused.status.code(), Some(1), "{args:?}: {}", seen(&refused));
        let said = String::from_utf8_lossy(&refused.stderr);
        let expected = if args[0] == "template" {
            "written by `parindex template`"
        } else {
            "explain and compare outputs carry no audit trail"
        };
        assert!(said.contains(expected), "{args:?}: {said}");
        assert!(said.contains(&format!("`parindex {}`", args[0])), "{args:?}: {said}");
    }
    run(here, views[0]);
    insta::assert_snapshot!("verify-explain", seen(&run(here, &["verify", "v.json"])));
}

// verify from another folder finds the folder the result was scored in, or says where
// to run it.
#[test]
fn verify_from_another_folder() {
    let dir = round_here();
    let here = dir.path();
    let made = run(here, &["score", "round.toml", "--format", "json", "-o", "ket-qua.json"]);
    assert_eq!(made.status.code(), Some(0), "{}", seen(&made));
    std::fs::create_dir(here.join("noi-khac")).unwrap();
    let found = run(&here.join("noi-khac"), &["verify", "../ket-qua.json"]);
    insta::assert_snapshot!("verify-from-below", seen(&found));

    let away = tempfile::tempdir().unwrap();
    std::fs::copy(here.join("ket-qua.json"), away.path().join("ket-qua.json")).unwrap();
    let lost = run(away.path(), &["verify", "ket-qua.json"]);
    insta::assert_snapshot!("verify-inputs-not-found", seen(&lost));
}

/// `generate` of the sample set into `dir`, with `extra` options.
fn generate(dir: &Path, out: &str, extra: &[&str]) -> std::process::Output {
    let criteria = root().join("docs/examples/bo-tieu-chi-mau.toml");
    let mut args = vec!["generate", "--criteria", criteria.to_str().unwrap(), "-o", out];
    args.extend(extra);
    run(dir, &args)
}

// generate -o DIR must not put invented figures in place of a real round's files.
#[test]
fn generate_writes_only_into_a_folder_of_its_own() {
    let dir = round_here();
    let here = dir.path();
    let before = contents(here);
    let refused = generate(here, ".", &["--count", "3"]);
    insta::assert_snapshot!("generate-into-a-real-round", seen(&refused));
    std::fs::create_dir(here.join("khac")).unwrap();
    std::fs::write(here.join("khac/tu-danh-gia.xlsx"), "not a workbook").unwrap();
    let refused = generate(here, "khac", &["--count", "3"]);
    assert_eq!(refused.status.code(), Some(1), "{}", seen(&refused));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("tu-danh-gia.xlsx"));
    assert_eq!(contents(here), before, "the real round as it was");
    assert_eq!(contents(&here.join("khac")).len(), 1);

    // A new folder, an empty one, and one generate wrote before (README beside it) are
    // taken.
    assert_eq!(generate(here, "vong", &["--count", "3"]).status.code(), Some(0));
    std::fs::write(here.join("vong/README.md"), "# Vòng thử\n").unwrap();
    assert_eq!(generate(here, "vong", &["--count", "4", "--seed", "7"]).status.code(), Some(0));
    assert!(here.join("vong/README.md").exists());
    std::fs::create_dir(here.join("trong")).unwrap();
    assert_eq!(generate(here, "trong", &["--count", "3"]).status.code(), Some(0));

    // --force writes all the same.
    let forced = generate(here, "khac", &["--count", "3", "--force"]);
    assert_eq!(forced.status.code(), Some(0), "{}", seen(&forced));
    assert!(here.join("khac/round.toml").exists() && here.join("khac/tu-danh-gia.xlsx").exists());
}

// generate --count 99999999999 or --appraisals 1000000 is a usage error, not an abort.
#[test]
fn generate_takes_sizes_within_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path();
    let mut seen_all = String::new();
    for extra in [
        &["--count", "99999999999"][..],
        &["--count", "0"],
        &["--count", "3", "--appraisals", "1000000"],
        &["--count", "3", "--groups", "5"],
    ] {
        let refused = generate(here, "vong", extra);
        assert_eq!(refused.status.code(), Some(2), "{extra:?}: {}", seen(&refused));
        let _ = writeln!(seen_all, "$ generate {}\n{}", extra.join(" "), seen(&refused));
    }
    insta::assert_snapshot!("generate-out-of-bounds", seen_all);
    assert!(!here.join("vong").exists());
    let most = generate(here, "vong", &["--count", "3", "--groups", "3", "--appraisals", "20"]);
    assert_eq!(most.status.code(), Some(0), "{}", seen(&most));
    assert!(here.join("vong/appraisal-20.csv").exists());
}

// A run started ignoring SIGHUP (`nohup`, a script's background job) goes on when the
// terminal closes: the clean-up catches only the signals the run was not told to ignore.
#[cfg(unix)]
#[test]
fn a_run_started_ignoring_hangups_goes_on_after_one() {
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path();
    let criteria = root().join("criteria/so-ban-nganh-2025.toml");
    let line = format!(
        "trap '' HUP; exec '{}' generate --criteria '{}' --count 20000 -o vong",
        env!("CARGO_BIN_EXE_parindex"),
        criteria.display()
    );
    let mut child = Command::new("bash")
        .args(["-c", &line])
        .current_dir(here)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let watch = here.join("vong");
    let started = std::time::Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        let writing = watch.is_dir()
            && std::fs::read_dir(&watch)
                .unwrap()
                .any(|e| e.unwrap().file_name().to_string_lossy().starts_with(".parindex-"));
        if writing {
            let sent = Command::new("kill").args(["-HUP", &child.id().to_string()]).status();
            assert!(sent.unwrap().success());
            break;
        }
        assert!(started.elapsed().as_secs() < 300, "the run neither wrote nor ended");
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    assert!(watch.join("round.toml").is_file(), "the round was finished");
}

// Writing over an earlier result keeps what the officer made of it: a link to it stays
// a link (the file it points to is replaced), and a result kept private stays private.
#[cfg(unix)]
#[test]
fn a_result_replaced_keeps_its_link_and_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = round_here();
    let here = dir.path();
    std::fs::create_dir(here.join("2025")).unwrap();
    std::fs::write(here.join("2025/ket-qua.md"), "cũ\n").unwrap();
    std::fs::set_permissions(here.join("2025/ket-qua.md"), std::fs::Permissions::from_mode(0o600))
        .unwrap();
    std::os::unix::fs::symlink("2025/ket-qua.md", here.join("moi-nhat.md")).unwrap();
    let out = run(here, &["score", "round.toml", "-o", "moi-nhat.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    let link = std::fs::symlink_metadata(here.join("moi-nhat.md")).unwrap();
    assert!(link.file_type().is_symlink(), "the link is still a link");
    let written = std::fs::read_to_string(here.join("2025/ket-qua.md")).unwrap();
    assert!(written.starts_with("# "), "the file it points to holds the result: {written}");
    let mode = std::fs::metadata(here.join("2025/ket-qua.md")).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "still private");
}

// A JSON result is written a batch of agencies at a time as it goes out: more agencies
// than a batch holds come out whole, once each and in rank order, the same in a file as
// on standard output.
#[test]
fn a_json_result_larger_than_a_batch_is_whole_and_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let here = dir.path();
    let made = generate(here, "vong", &["--count", "700", "--groups", "1"]);
    assert!(made.status.success(), "{}", seen(&made));
    let printed = run(here, &["score", "vong/round.toml", "--format", "json"]);
    assert!(printed.status.success(), "{}", seen(&printed));
    let written =
        run(here, &["score", "vong/round.toml", "--format", "json", "-o", "ket-qua.json"]);
    assert!(written.status.success(), "{}", seen(&written));
    let file = std::fs::read(here.join("ket-qua.json")).unwrap();
    assert!(file == printed.stdout, "the file and standard output differ");
    let document: serde_json::Value = serde_json::from_slice(&file).unwrap();
    let agencies = document["groups"][0]["agencies"].as_array().unwrap();
    assert_eq!(agencies.len(), 700);
    let mut ids: Vec<&str> = agencies.iter().map(|a| a["agency"].as_str().unwrap()).collect();
    let ranks: Vec<u64> = agencies.iter().filter_map(|a| a["rank"].as_u64()).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "ranks out of order: {ranks:?}");
    assert_eq!(ranks.first(), Some(&1));
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 700, "an agency is missing or written twice");
    let verified = run(here, &["verify", "ket-qua.json"]);
    assert!(verified.status.success(), "{}", seen(&verified));
}
