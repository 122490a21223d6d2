//! The page of `kehoach serve` in real headless Chromium (Debian's), driven by Playwright for
//! Python (tests/serve_browser.py; `.ci/run` installs Playwright into its virtual environment and
//! never downloads a browser: `executable_path` is /usr/bin/chromium). A test binary of its own, so
//! that it runs alone: its "within a second" is not measured while other tests load the machine.
#![cfg(feature = "serve")]

mod common;

use common::serve::{cli_output, Binary};

use common::{repo, require, tool};
use std::path::{Path, PathBuf};

fn zip_names(bytes: &[u8]) -> Vec<String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len()).map(|i| z.by_index(i).unwrap().name().to_string()).collect()
}

/// A Python with Playwright (`$KEHOACH_PYTHON`, else python3).
fn playwright_python() -> Option<PathBuf> {
    let py = tool("KEHOACH_PYTHON", &["python3"])?;
    let ok = std::process::Command::new(&py).args(["-c", "import playwright.sync_api"]).output().is_ok_and(|o| o.status.success());
    ok.then_some(py)
}

#[test]
fn the_page_in_chromium() {
    let Some(py) = require("Python with Playwright (KEHOACH_PYTHON)", playwright_python()) else { return };
    let Some(chromium) = require("chromium", common::chromium()) else { return };
    let b = Binary::start(&[]);
    let out = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(py)
        .arg(repo().join("tests/serve_browser.py"))
        .arg(format!("{}/", b.url))
        .arg(&chromium)
        .arg(repo())
        .arg(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "browser scenarios failed:\n{stdout}\n{}", String::from_utf8_lossy(&o.stderr));
    eprintln!("serve in Chromium: {}", stdout.trim());
    // The downloads are the command line's output for the same plan, byte for byte.
    let plan = repo().join("samples/seed-002.json");
    for fmt in ["docx", "pdf"] {
        let got = std::fs::read(out.path().join(format!("tai.{fmt}"))).unwrap();
        assert!(got == cli_output(&plan, fmt), "the page's {fmt} differs from `kehoach render`");
    }
    let names = zip_names(&std::fs::read(out.path().join("hang-loat.zip")).unwrap());
    assert!(names.contains(&"bao-cao.json".to_string()), "{names:?}");
    // The screenshots at 1366×768 exist (the README's is docs/serve.png).
    for shot in ["serve.png", "serve-loi.png", "serve-khoan.png", "serve-nhap.png", "serve-hang-loat.png"] {
        let bytes = std::fs::read(out.path().join(shot)).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let info = decoder.read_info().unwrap();
        assert_eq!((info.info().width, info.info().height), (1366, 768), "{shot}");
    }
    if let Ok(dir) = std::env::var("KEHOACH_SERVE_SHOTS") {
        for e in std::fs::read_dir(out.path()).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "png") {
                std::fs::copy(&p, Path::new(&dir).join(p.file_name().unwrap())).unwrap();
            }
        }
    }
}

#[test]
fn the_page_saves_to_the_file_of_the_command_line() {
    let Some(py) = require("Python with Playwright (KEHOACH_PYTHON)", playwright_python()) else { return };
    let Some(chromium) = require("chromium", common::chromium()) else { return };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ke-hoach.json");
    std::fs::copy(repo().join("samples/seed-002.json"), &path).unwrap();
    let b = Binary::start(&[path.to_str().unwrap()]);
    let text = "Trích yếu sửa trên trang và lưu bằng Ctrl+S";
    let o = std::process::Command::new(py)
        .arg(repo().join("tests/serve_save.py"))
        .arg(format!("{}/", b.url))
        .arg(&chromium)
        .arg(text)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}\n{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    let saved = std::fs::read_to_string(&path).unwrap();
    let plan = kehoach::Plan::from_json(&saved).unwrap();
    assert_eq!(plan.trich_yeu.to_string(), text);
    let names: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    assert_eq!(names, vec!["ke-hoach.json".to_string()], "no temporary file is left");
}
