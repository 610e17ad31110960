//! The HTML report: well-formed, self-contained, and shown by a real browser with its
//! tables and charts.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{assert_whole_and_alone, require_tool, root, run, seen};

fn report(dir: &Path, lang: &str) -> String {
    let path = dir.join(format!("report-{lang}.html"));
    let out = run(
        &root(),
        &[
            "score",
            "examples/so-ban-nganh-2025/round.toml",
            "--format",
            "html",
            "--lang",
            lang,
            "-o",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    std::fs::read_to_string(path).unwrap()
}

// Parsed as XML, the page must be whole: every element closed, every entity known.
#[test]
fn the_report_is_well_formed_and_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    for lang in ["vi", "en"] {
        let html = report(dir.path(), lang);
        assert_whole_and_alone(&html, lang);
        // What the issue asks the report to hold: each input with the digest of its bytes.
        let own = std::fs::read(root().join("examples/so-ban-nganh-2025/self.csv")).unwrap();
        assert!(html.contains(&format!("SHA-256 {}", parindex::source::sha256(&own))));
        assert!(html.contains("so-ban-nganh-2025"));
        assert!(html.contains(&format!("parindex {}", env!("CARGO_PKG_VERSION"))));
        assert_eq!(html.matches("<table class=\"ranked\"").count(), 2, "a table per group");
        assert_eq!(html.matches("<article class=\"card\"").count(), 20, "a card per agency");
        assert!(
            html.matches("<svg").count() >= 23,
            "charts: grades, one per group, a radar per agency"
        );
        assert!(html.contains("<table class=\"heat\""));
        assert!(html.contains("@page { size: A4 landscape"));
    }
}

/// Debian's Chromium, which `.ci/run` installs; see [`require_tool`] for where it is missing.
fn chromium() -> Option<PathBuf> {
    require_tool(&["chromium", "chromium-browser", "google-chrome"], "Chromium")
}

// A real browser opens the report, draws it, and finds its tables and charts.
#[test]
fn a_browser_shows_the_report() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    report(dir.path(), "vi");
    let page = format!("file://{}", dir.path().join("report-vi.html").display());
    let profile = dir.path().join("profile");
    let flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ];
    let shot = dir.path().join("report.png");
    let status = Command::new(&browser)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--window-size=1300,2400")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&page)
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 50_000,
        "a drawn page, not a blank one ({} bytes)",
        png.len()
    );
    let dom = Command::new(&browser)
        .args(flags)
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(&page)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("Chỉ số CCHC năm 2025"), "the page loaded");
    assert!(dom.contains("<table class=\"ranked\""), "the ranked tables are in the page");
    assert!(dom.contains("<svg") && dom.contains("<polygon"), "the charts are in the page");
}

// The sensitivity page opens in a real browser with its charts and tables.
#[test]
fn a_browser_shows_the_sensitivity_page() {
    let Some(browser) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("on-dinh.html");
    let out = run(
        &root(),
        &[
            "sensitivity",
            "examples/xa-phuong-2025/round.toml",
            "--runs",
            "200",
            "--format",
            "html",
            "-o",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", seen(&out));
    let dom = Command::new(&browser)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--dump-dom"])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .arg(format!("file://{}", path.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("độ ổn định của thứ hạng"), "the page loaded");
    assert_eq!(dom.matches("<svg class=\"chart\"").count(), 2, "a chart per group");
    assert!(dom.contains("Phường Ba Đình") && dom.contains("<table>"));
}
