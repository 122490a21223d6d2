//! Batch speed and memory: `cargo bench --bench batch`.
//!
//! Prints, for the sample parent plan (`samples/xa-mau-2026.json`) and units made from
//! `samples/don-vi-200.csv` (its 200 xã/phường, repeated with numbered names, the broken date
//! mended): the wall time, plans per second and peak RSS of `kehoach batch --format all` for 1,000
//! units; a loop of 1,000 `kehoach render --format all` processes, one after the other, for
//! comparison; and the same batch for 10,000 units, whose memory should be no higher than for 1,000
//! (it stays flat): the peak RSS of each run (from `wait4`), and the median resident size over the
//! second half of the run (sampled from /proc every 50 ms). The batch uses every core (`-j` left to
//! its default). Figures, not a pass/fail test.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

/// How a process went: seconds, peak RSS (MB), the median resident size over the second half of its
/// run (MB, sampled every 50 ms; 0 when too short to sample), success.
struct Run {
    secs: f64,
    peak: f64,
    steady: f64,
    ok: bool,
}

/// The resident size of a running process, in MB.
fn rss(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    Some(line.split_whitespace().nth(1)?.parse::<f64>().ok()? / 1024.0)
}

fn run(cmd: &mut Command, sample: bool) -> Run {
    let t = Instant::now();
    let child = cmd.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().expect("starts");
    let pid = child.id();
    // Waited for below with wait4, which also gives its resource use.
    std::mem::forget(child);
    let mut samples: Vec<(f64, f64)> = Vec::new();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // wait4 reports the resources of this one child, its peak RSS (ru_maxrss, KB on Linux) among them.
        let flags = if sample { libc::WNOHANG } else { 0 };
        let r = unsafe { libc::wait4(pid as libc::pid_t, &mut status, flags, &mut usage) };
        assert!(r >= 0, "wait4 failed");
        if r > 0 {
            break;
        }
        if let Some(m) = rss(pid) {
            samples.push((t.elapsed().as_secs_f64(), m));
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let secs = t.elapsed().as_secs_f64();
    let mut late: Vec<f64> = samples.iter().filter(|(at, _)| *at > secs / 2.0).map(|(_, m)| *m).collect();
    late.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let steady = late.get(late.len() / 2).copied().unwrap_or(0.0);
    let ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    Run { secs, peak: usage.ru_maxrss as f64 / 1024.0, steady, ok }
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
        // The last column is `ma`, filled where names clash: numbered too, so ids stay unique.
        let row = if round > 0 && row.ends_with('"') { format!("{} {}\"", &row[..row.len() - 1], round + 1) } else { row };
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
    println!("{:<44} {:>8} {:>10} {:>13} {:>15}", "", "wall s", "plans/s", "peak RSS MB", "steady RSS MB");

    let batch = |n: usize| {
        let u = dir.path().join(format!("don-vi-{n}.csv"));
        units(n, &u);
        let out = dir.path().join(format!("out-{n}"));
        let r = run(Command::new(bin).arg("batch").arg(&plan).arg("--units").arg(&u).arg("-o").arg(&out).args(["--format", "all"]), true);
        assert!(r.ok, "batch of {n} failed");
        let files = std::fs::read_dir(&out).unwrap().count();
        assert_eq!(files, 2 * n + 1, "every unit's DOCX and PDF, and the report");
        std::fs::remove_dir_all(&out).unwrap();
        println!("{:<44} {:>8.2} {:>10.0} {:>13.1} {:>15.1}", format!("batch, {n} units"), r.secs, n as f64 / r.secs, r.peak, r.steady);
        r
    };
    let first = batch(1000);

    // The same work as separate processes: 1,000 `kehoach render` of one unit's plan, in a loop.
    let one = repo.join("samples/xa-an-phu-2026.json");
    let out = dir.path().join("render");
    let t = Instant::now();
    let mut peak: f64 = 0.0;
    for _ in 0..1000 {
        let r = run(Command::new(bin).arg("render").arg(&one).arg("-o").arg(&out).args(["--format", "all"]), false);
        assert!(r.ok);
        peak = peak.max(r.peak);
    }
    let secs = t.elapsed().as_secs_f64();
    println!("{:<44} {:>8.2} {:>10.0} {:>13.1}", "loop of 1000 `kehoach render` processes", secs, 1000.0 / secs, peak);

    let big = batch(10_000);
    // The peak is reached in the first second (the fonts being subset while both threads start);
    // the steady figure shows whether anything grows with the number of units.
    println!(
        "10,000 units against 1,000: peak RSS {:.1} MB against {:.1} MB; over the second half of the run {:.1} MB against {:.1} MB",
        big.peak, first.peak, big.steady, first.steady
    );
}
