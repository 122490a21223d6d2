//! Batch speed and memory: `cargo bench --bench batch`.
//!
//! Prints, for the three-page ND 30 plan `benches/data/xa-3-trang.json` (the sample
//! `samples/xa-mau-2026.json` with three khoản of mục II left out) and units made from
//! `samples/don-vi-200.csv` (its 200 xã/phường, repeated with numbered names, the broken date
//! mended): the wall time, plans per second and peak RSS of `kehoach batch` for 1,000 units, DOCX +
//! PDF, PDF only and DOCX only at `-j 2`, DOCX + PDF at `-j 1` and with `--review`; the same for
//! 10,000 units; and Typst laying out the equivalent document (`benches/typst/ke-hoach.typ`, driven
//! by `benches/typst/run.py` with the PyPI `typst` package: one compiler reused per process, two
//! processes, PDFs written) for the same 1,000 units, when `KEHOACH_PYTHON` names a Python with
//! `typst` installed ("not measured" otherwise). Then each target of issue 13 with its figure and
//! the ratios, all measured in this one run (absolute times move on a shared machine). The 1,000-unit
//! runs are the best of five, taken in turn. Outputs go to the system's temporary folder (its file system is named:
//! the batch syncs its files to disk; each run writes to a folder of its own, on a synced disk, and
//! all are deleted at the end). Figures, not a pass/fail test.

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

/// The machine's CPU time so far, all and stolen by the hypervisor (jiffies, from /proc/stat).
fn cpu_times() -> Option<(u64, u64)> {
    let s = std::fs::read_to_string("/proc/stat").ok()?;
    let v: Vec<u64> = s.lines().next()?.split_whitespace().skip(1).filter_map(|x| x.parse().ok()).collect();
    Some((v.iter().take(8).sum(), *v.get(7)?))
}

fn file_system(dir: &Path) -> String {
    let out = Command::new("df").arg("--output=fstype").arg(dir).output().ok();
    out.and_then(|o| String::from_utf8(o.stdout).ok()).and_then(|s| s.lines().nth(1).map(|l| l.trim().to_string())).unwrap_or_else(|| "?".into())
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let bin = env!("CARGO_BIN_EXE_kehoach");
    let plan = repo.join("benches/data/xa-3-trang.json");
    let dir = tempfile::tempdir_in(std::env::temp_dir()).unwrap();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "kehoach batch, {cores} cores, the 3-page plan {}, outputs on {} ({})",
        plan.strip_prefix(repo).unwrap().display(),
        dir.path().display(),
        file_system(dir.path())
    );
    println!("{:<44} {:>8} {:>10} {:>13} {:>15}", "", "wall s", "plans/s", "peak RSS MB", "steady RSS MB");
    let u1000 = dir.path().join("don-vi-1000.csv");
    units(1000, &u1000);
    unsafe { libc::sync() };

    let cpu_before = cpu_times();
    let runs = std::cell::Cell::new(0);
    // One run of a configuration.
    let once_in = |base: &Path, n: usize, units_file: &Path, format: &str, jobs: usize, review: bool| -> Run {
        // A folder and review file of its own for each run, all deleted at the end: deleting one
        // run's files before the next makes ext4 skip the recently deleted inodes one by one when
        // the next run creates its files (`recently_deleted` was 25 % of a run's samples in perf
        // after a deletion), which measures the file system, not the batch.
        runs.set(runs.get() + 1);
        let out = base.join(format!("out-{n}-{}", runs.get()));
        let review_file = base.join(format!("ban-xem-{}.pdf", runs.get()));
        let mut cmd = Command::new(bin);
        cmd.arg("batch").arg(&plan).arg("--units").arg(units_file).arg("-o").arg(&out).args(["--format", format, "-j", &jobs.to_string()]);
        if review {
            cmd.arg("--review").arg(&review_file);
        }
        // Each run starts on a quiet disk (the batch syncs its file system as it goes).
        unsafe { libc::sync() };
        let r = run(&mut cmd, true);
        assert!(r.ok, "batch of {n} failed");
        let files = std::fs::read_dir(&out).unwrap().count();
        let per_unit = if format == "all" { 2 } else { 1 };
        assert_eq!(files, per_unit * n + 1, "every unit's files, and the report");
        if review {
            assert!(review_file.exists());
        }
        r
    };
    let once = |n: usize, units_file: &Path, format: &str, jobs: usize, review: bool| once_in(dir.path(), n, units_file, format, jobs, review);
    let show = |n: usize, format: &str, jobs: usize, review: bool, r: &Run| {
        let what = format!(
            "{n} units, {}, -j {jobs}{}",
            match format {
                "all" => "DOCX+PDF",
                "pdf" => "PDF only",
                _ => "DOCX only",
            },
            if review { ", --review" } else { "" }
        );
        println!("{:<44} {:>8.2} {:>10.0} {:>13.1} {:>15.1}", what, r.secs, n as f64 / r.secs, r.peak, r.steady);
    };
    // The 1,000-unit configurations, run in turn, ROUNDS times: the best of each (a shared
    // machine's slow moments then fall on all of them alike, not on one).
    const ROUNDS: usize = 5;
    let configs: [(&str, usize, bool); 5] = [("all", 2, false), ("pdf", 2, false), ("docx", 2, false), ("all", 1, false), ("all", 2, true)];
    let mut best: Vec<Option<Run>> = configs.iter().map(|_| None).collect();
    for _ in 0..ROUNDS {
        for (i, &(format, jobs, review)) in configs.iter().enumerate() {
            let r = once(1000, &u1000, format, jobs, review);
            if best[i].as_ref().is_none_or(|b| r.secs < b.secs) {
                best[i] = Some(r);
            }
        }
    }
    let mut best = best.into_iter().map(Option::unwrap);
    let (all, pdf, docx, one, review) = (best.next().unwrap(), best.next().unwrap(), best.next().unwrap(), best.next().unwrap(), best.next().unwrap());
    for (&(format, jobs, rv), r) in configs.iter().zip([&all, &pdf, &docx, &one, &review]) {
        show(1000, format, jobs, rv, r);
    }
    let u10k = dir.path().join("don-vi-10000.csv");
    units(10_000, &u10k);
    // Twice, the faster counted (as the 1,000-unit runs are the best of several).
    let big = [once(10_000, &u10k, "all", 2, false), once(10_000, &u10k, "all", 2, false)]
        .into_iter()
        .min_by(|a, b| a.secs.partial_cmp(&b.secs).unwrap())
        .unwrap();
    show(10_000, "all", 2, false, &big);
    // -j 1 and -j 2 again on tmpfs, where no file system work is left to the kernel: on ext4 the
    // kernel's part (making 2,000 inodes, the journal, the writeback threads) needs the cores the
    // second worker takes, so the ratio there tells the file system apart from the batch.
    let shm = Path::new("/dev/shm");
    let on_tmpfs = (shm.is_dir() && file_system(shm) == "tmpfs").then(|| {
        let base = tempfile::tempdir_in(shm).unwrap();
        let (mut one_t, mut two_t): (Option<Run>, Option<Run>) = (None, None);
        for _ in 0..ROUNDS {
            for (jobs, best) in [(1, &mut one_t), (2, &mut two_t)] {
                let r = once_in(base.path(), 1000, &u1000, "all", jobs, false);
                for e in std::fs::read_dir(base.path()).unwrap().flatten() {
                    let _ = std::fs::remove_dir_all(e.path());
                }
                if best.as_ref().is_none_or(|b| r.secs < b.secs) {
                    *best = Some(r);
                }
            }
        }
        let (one_t, two_t) = (one_t.unwrap(), two_t.unwrap());
        for (jobs, r) in [(1, &one_t), (2, &two_t)] {
            println!("{:<44} {:>8.2} {:>10.0} {:>13.1} {:>15.1}", format!("1000 units, DOCX+PDF, -j {jobs}, tmpfs"), r.secs, 1000.0 / r.secs, r.peak, r.steady);
        }
        one_t.secs / two_t.secs
    });

    // The size of a unit's PDF and its pages.
    let sample_out = dir.path().join("one");
    let r = run(Command::new(bin).arg("batch").arg(&plan).arg("--units").arg(&u1000).arg("-o").arg(&sample_out).args(["--format", "pdf", "-j", "2"]), false);
    assert!(r.ok);
    let mut sizes: Vec<u64> = std::fs::read_dir(&sample_out)
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .map(|e| e.metadata().unwrap().len())
        .collect();
    sizes.sort();
    std::fs::remove_dir_all(&sample_out).unwrap();
    let single = dir.path().join("single");
    let r = run(Command::new(bin).arg("render").arg(&plan).arg("--units").arg(&u1000).args(["--ma", "phường Mỹ Tho", "--format", "pdf", "-o"]).arg(&single), false);
    assert!(r.ok);
    let single_pdf = std::fs::read_dir(&single).unwrap().flatten().next().unwrap().path();
    let single_kb = std::fs::metadata(&single_pdf).unwrap().len() as f64 / 1000.0;
    let pages = Command::new("pdfinfo").arg(&single_pdf).output().ok().and_then(|o| {
        String::from_utf8_lossy(&o.stdout).lines().find(|l| l.starts_with("Pages:")).map(|l| l.split_whitespace().nth(1).unwrap_or("?").to_string())
    });

    // Typst, the same 1,000 units, PDFs only, two processes.
    let typst = std::env::var_os("KEHOACH_PYTHON").and_then(|py| {
        let ok = Command::new(&py).args(["-c", "import typst"]).output().is_ok_and(|o| o.status.success());
        if !ok {
            return None;
        }
        let out = dir.path().join("typst");
        let o = Command::new(&py).arg(repo.join("benches/typst/run.py")).arg(&plan).arg(&u1000).arg(&out).arg("2").output().unwrap();
        assert!(o.status.success(), "typst: {}", String::from_utf8_lossy(&o.stderr));
        let secs: f64 = String::from_utf8_lossy(&o.stdout).trim().parse().unwrap();
        assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1000);
        std::fs::remove_dir_all(&out).unwrap();
        Some(secs)
    });
    match typst {
        Some(s) => println!("{:<44} {:>8.2} {:>10.0}", "1000 units, Typst (PyPI typst), PDF only, 2 proc", s, 1000.0 / s),
        None => println!("{:<44} {:>8}", "1000 units, Typst, PDF only", "not measured (KEHOACH_PYTHON with `typst`)"),
    }

    if let (Some((a0, s0)), Some((a1, s1))) = (cpu_before, cpu_times()) {
        // A shared virtual machine: the time the hypervisor gave to others while these ran.
        println!("CPU time stolen by the hypervisor during the runs: {:.1}%", 100.0 * (s1 - s0) as f64 / (a1 - a0).max(1) as f64);
    }
    let met = |ok: bool| if ok { "met" } else { "NOT met" };
    let rate = |r: &Run, n: usize| n as f64 / r.secs;
    println!();
    println!("targets (issue 13), figures from this run:");
    let a = rate(&all, 1000);
    println!("  1,000 units DOCX+PDF at -j 2: {a:.0} plans/s (target >= 500): {}", met(a >= 500.0));
    if let Some(t) = typst {
        let x = rate(&pdf, 1000) / (1000.0 / t);
        println!("  PDF only against Typst: {x:.1}x ({:.0} against {:.0} plans/s; target >= 8x): {}", rate(&pdf, 1000), 1000.0 / t, met(x >= 8.0));
    } else {
        println!("  PDF only against Typst: not measured");
    }
    println!("  DOCX only: {:.0} plans/s; PDF only: {:.0} plans/s", rate(&docx, 1000), rate(&pdf, 1000));
    let j = one.secs / all.secs;
    println!("  -j 2 against -j 1: {j:.2}x (target >= 1.85x): {}", met(j >= 1.85));
    if let Some(t) = on_tmpfs {
        println!("    the same on tmpfs (the rows marked tmpfs): {t:.2}x; on ext4 the kernel's file system work takes the cores the second worker needs");
    }
    let rv = review.secs / all.secs - 1.0;
    println!("  --review adds {:.0}% wall time (target <= 20%), peak RSS {:.1} MB against {:.1} MB: {}", rv * 100.0, review.peak, all.peak, met(rv <= 0.20));
    let b = rate(&big, 10_000);
    println!("  10,000 units: peak RSS {:.1} MB (target <= 40 MB): {}", big.peak, met(big.peak <= 40.0));
    println!("  10,000 units: {b:.0} plans/s against {a:.0} for 1,000 (target: no lower): {}", met(b >= a * 0.97));
    println!(
        "  a unit's PDF (Tuning::Batch): {:.1} to {:.1} KB; the plan rendered alone: {single_kb:.1} KB, {} pages (target <= 50 KB): {}",
        sizes[0] as f64 / 1000.0,
        sizes[sizes.len() - 1] as f64 / 1000.0,
        pages.unwrap_or_else(|| "?".into()),
        met(single_kb <= 50.0)
    );
}
