//! The page of `kehoach serve` in real headless Firefox (Debian's firefox-esr), driven through
//! Firefox's own Marionette protocol by Mozilla's Python client `marionette_driver`
//! (tests/serve_firefox.py; no geckodriver: the script starts Firefox with a profile of its own).
//! `.ci/run` installs firefox-esr and pip-installs marionette_driver into its virtual environment.
//! A test binary of its own, like tests/serve_page.rs, so that its "within a second" is not
//! measured while Chromium runs.
#![cfg(feature = "serve")]

mod common;

use common::serve::Binary;

use common::{repo, require, tool};
use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Debian's Firefox (`$FIREFOX`, else firefox-esr or firefox on the PATH).
fn firefox() -> Option<PathBuf> {
    tool("FIREFOX", &["firefox-esr", "firefox"])
}

/// A Python with marionette_driver (`$KEHOACH_PYTHON`, else python3).
fn marionette_python() -> Option<PathBuf> {
    let py = tool("KEHOACH_PYTHON", &["python3"])?;
    let ok = std::process::Command::new(&py)
        .args(["-c", "import marionette_driver.marionette"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then_some(py)
}

#[test]
fn the_page_in_firefox() {
    let Some(py) = require("Python with marionette_driver (KEHOACH_PYTHON)", marionette_python()) else { return };
    let Some(firefox) = require("firefox-esr", firefox()) else { return };
    // The server edits a copy of seed-002 (the page opens the file of the command line).
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("ke-hoach.json");
    std::fs::copy(repo().join("samples/seed-002.json"), &plan).unwrap();
    let b = Binary::start(&[plan.to_str().unwrap()]);
    let out = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(py)
        .arg(repo().join("tests/serve_firefox.py"))
        .arg(format!("{}/", b.url))
        .arg(&firefox)
        .arg(out.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Its output is read on threads, so that the wait below stays bounded.
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let so = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = so.read_to_string(&mut s);
        s
    });
    let se = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = se.read_to_string(&mut s);
        s
    });
    // The script stops itself after 150 s; past 200 s it, and the Firefox it started, are killed.
    let t0 = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break Some(s);
        }
        if t0.elapsed() > Duration::from_secs(200) {
            let _ = child.kill();
            let _ = child.wait();
            if let Some(pid) = std::fs::read_to_string(out.path().join("firefox.pid")).ok().and_then(|p| p.trim().parse::<i32>().ok()) {
                // Firefox leads a process group of its own (its content processes are in it).
                unsafe { libc::kill(-pid, libc::SIGKILL) };
            }
            break None;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let (stdout, stderr) = (so.join().unwrap(), se.join().unwrap());
    let log = std::fs::read_to_string(out.path().join("firefox.log")).unwrap_or_default();
    let tail: String = log.lines().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n");
    assert!(
        status.is_some_and(|s| s.success()),
        "Firefox scenarios failed ({:?}):\n{stdout}\n{stderr}\nFirefox's last lines:\n{tail}",
        status
    );
    eprintln!("serve in Firefox: {}", stdout.trim());
    // The screenshots are 1366×768.
    for shot in ["serve-firefox.png", "serve-firefox-loi.png"] {
        let bytes = std::fs::read(out.path().join(shot)).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let info = decoder.read_info().unwrap();
        assert_eq!((info.info().width, info.info().height), (1366, 768), "{shot}");
    }
    if let Ok(keep) = std::env::var("KEHOACH_SERVE_SHOTS") {
        for shot in ["serve-firefox.png", "serve-firefox-loi.png"] {
            std::fs::copy(out.path().join(shot), std::path::Path::new(&keep).join(shot)).unwrap();
        }
    }
}
