//! Batch speed and memory: `cargo bench --bench batch`.
//!
//! Prints, for the sample parent plan (`samples/xa-mau-2026.json`) and units made from
//! `samples/don-vi-200.csv` (its 200 xã/phường, repeated with numbered names, the broken date
//! mended): the wall time, plans per second and peak RSS of `kehoach batch --format all` for 1,000
//! units; a loop of 1,000 `kehoach render --format all` processes, one after the other, for
//! comparison; and the same batch for 10,000 units, whose peak RSS should be no higher than for
//! 1,000 (memory stays flat). The batch uses every core (`-j` left to its default). Figures, not a
//! pass/fail test.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// Runs `cmd` to its end: (seconds, peak RSS in MB of that process, success).
fn run(cmd: &mut Command) -> (f64, f64, bool) {
    let t = Instant::now();
    let child = cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().expect("starts");
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // wait4 reports the resources of this one child, its peak RSS (ru_maxrss, KB on Linux) among them.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert!(pid > 0, "wait4 failed");
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    (t.elapsed().as_secs_f64(), usage.ru_maxrss as f64 / 1024.0, ok)
}

/// A units file of `n` units from the 200 of the sample: names numbered from the second round on.
fn units(n: usize, path: &Path) {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/don-vi-200.csv")).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let mut out = String::from(header);
    out.push('\n');
    for i in 0..n {
        let row = rows[i % rows.len()].replace("2026-02-30", "2026-01-20");
        let round = i / rows.len();
        let (name, rest) = row.split_once(',').unwrap();
        if round == 0 {
            out.push_str(&row);
        } else {
            out.push_str(&format!("{name} {},{rest}", round + 1));
        }
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_kehoach");
    let plan = repo.join("samples/xa-mau-2026.json");
    let dir = tempfile::tempdir_in(std::env::temp_dir()).unwrap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("kehoach batch, {cores} cores, DOCX + PDF per unit, outputs on {}", dir.path().display());
    println!("{:<44} {:>8} {:>10} {:>13}", "", "wall s", "plans/s", "peak RSS MB");

    let batch = |n: usize| {
        let u = dir.path().join(format!("don-vi-{n}.csv"));
        units(n, &u);
        let out = dir.path().join(format!("out-{n}"));
        let (secs, rss, ok) = run(Command::new(bin).arg("batch").arg(&plan).arg("--units").arg(&u).arg("-o").arg(&out).args(["--format", "all"]));
        assert!(ok, "batch of {n} failed");
        let files = std::fs::read_dir(&out).unwrap().count();
        assert_eq!(files, 2 * n + 1, "every unit's DOCX and PDF, and the report");
        std::fs::remove_dir_all(&out).unwrap();
        println!("{:<44} {:>8.2} {:>10.0} {:>13.1}", format!("batch, {n} units"), secs, n as f64 / secs, rss);
        rss
    };
    let rss_1000 = batch(1000);

    // The same work as separate processes: 1,000 `kehoach render` of one unit's plan, in a loop.
    let one = repo.join("samples/xa-an-phu-2026.json");
    let out = dir.path().join("render");
    let t = Instant::now();
    let mut peak: f64 = 0.0;
    for _ in 0..1000 {
        let (_, rss, ok) = run(Command::new(bin).arg("render").arg(&one).arg("-o").arg(&out).args(["--format", "all"]));
        assert!(ok);
        peak = peak.max(rss);
    }
    let secs = t.elapsed().as_secs_f64();
    println!("{:<44} {:>8.2} {:>10.0} {:>13.1}", "loop of 1000 `kehoach render` processes", secs, 1000.0 / secs, peak);

    let rss_10000 = batch(10_000);
    println!(
        "peak RSS, 10,000 units against 1,000: {:.1} MB against {:.1} MB ({})",
        rss_10000,
        rss_1000,
        if rss_10000 <= rss_1000 * 1.05 { "flat" } else { "grows" }
    );
}
