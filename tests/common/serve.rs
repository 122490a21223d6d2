//! `kehoach serve` as a process, for the tests of the server and of the page.

use std::io::Read;
use std::path::Path;

/// The binary: `kehoach serve --port 0 --no-open`, its address on standard output.
pub struct Binary {
    pub child: std::process::Child,
    pub url: String,
}

impl Binary {
    pub fn start(args: &[&str]) -> Binary {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kehoach"))
            .args(["serve", "--port", "0", "--no-open"])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut seen = Vec::new();
        let mut byte = [0u8; 1];
        let url = loop {
            assert_eq!(out.read(&mut byte).unwrap(), 1, "the server stopped before printing its address: {}", String::from_utf8_lossy(&seen));
            seen.push(byte[0]);
            let text = String::from_utf8_lossy(&seen).to_string();
            if text.ends_with('\n')
                && let Some(line) = text.lines().find(|l| l.starts_with("Trang soạn kế hoạch: "))
            {
                break line.trim_start_matches("Trang soạn kế hoạch: ").trim().trim_end_matches('/').to_string();
            }
        };
        // The rest of its output is drained so that it never blocks on a full pipe.
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut out, &mut std::io::sink());
        });
        Binary { child, url }
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the command line writes for `plan` with `--format fmt`.
pub fn cli_output(plan: &Path, fmt: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["render", "--format", fmt, "-o"])
        .arg(dir.path())
        .arg(plan)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stem = plan.file_stem().unwrap().to_string_lossy().to_string();
    std::fs::read(dir.path().join(format!("{stem}.{fmt}"))).unwrap()
}
