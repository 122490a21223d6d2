//! Hostile and oversized input: `cargo bench --bench stress`.
//!
//! Runs the `kehoach` command (the one this build makes, or `KEHOACH_BIN=/path/to/kehoach` to
//! measure another) on the cases of issue 8 and prints, for each, the wall time, the peak RSS
//! (from `wait4`), the exit code and the first line of what it said. Every case must end within the
//! limits the README states (at most 10 s and 300 MB for any plan within the limits) or be refused
//! in under a second with a message; a case still running after 60 s is stopped and shown as such.
//! `KEHOACH_STRESS_AS_MB=N` runs every command under an address-space limit of N MB (to measure an
//! older build, which took 16 GB in a minute on `/dev/zero`, without harming the machine).
//! Figures, not a pass/fail test.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Run {
    secs: f64,
    peak_mb: f64,
    code: Option<i32>,
    said: String,
    stopped: bool,
}

/// Runs `cmd` (its standard input from `stdin` if given), waits at most 60 s, and measures it.
fn run(cmd: &mut Command, stdin: Option<&Path>, address_space: Option<u64>) -> Run {
    let address_space = address_space.or_else(|| {
        std::env::var("KEHOACH_STRESS_AS_MB").ok().and_then(|m| m.parse::<u64>().ok()).map(|m| m << 20)
    });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdin(match stdin {
        Some(p) => Stdio::from(std::fs::File::open(p).unwrap()),
        None => Stdio::null(),
    });
    if let Some(bytes) = address_space {
        use std::os::unix::process::CommandExt;
        unsafe {
            cmd.pre_exec(move || {
                let lim = libc::rlimit { rlim_cur: bytes, rlim_max: bytes };
                libc::setrlimit(libc::RLIMIT_AS, &lim);
                Ok(())
            });
        }
    }
    let t = Instant::now();
    let mut child = cmd.spawn().expect("starts");
    let pid = child.id() as libc::pid_t;
    let mut err = child.stderr.take().unwrap();
    let mut out = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err, &mut s);
        s
    });
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out, &mut s);
        s
    });
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let mut stopped = false;
    loop {
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        assert!(r >= 0, "wait4 failed");
        if r > 0 {
            break;
        }
        if t.elapsed() > Duration::from_secs(60) && !stopped {
            unsafe { libc::kill(pid, libc::SIGKILL) };
            stopped = true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    std::mem::forget(child);
    let secs = t.elapsed().as_secs_f64();
    let said = reader.join().unwrap_or_default();
    let told = out_reader.join().unwrap_or_default();
    // A batch's totals line, else the first thing it said on standard error.
    let said = told
        .lines()
        .find(|l| l.starts_with("Đã xuất"))
        .or_else(|| said.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("")
        .to_string();
    let code = if libc::WIFEXITED(status) { Some(libc::WEXITSTATUS(status)) } else { None };
    Run { secs, peak_mb: usage.ru_maxrss as f64 / 1024.0, code, said, stopped }
}

fn show(case: &str, r: &Run) {
    let code = match (r.stopped, r.code) {
        (true, _) => "stopped".to_string(),
        (_, Some(c)) => c.to_string(),
        (_, None) => "signal".to_string(),
    };
    let said: String = r.said.chars().take(90).collect();
    println!("{case:<58} {:>7.2} {:>8.1} {code:>8}  {said}", r.secs, r.peak_mb);
}

fn sample() -> Value {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(repo.join("samples/xa-an-phu-2026.json")).unwrap()).unwrap()
}

fn save(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, v.to_string()).unwrap();
    p
}

/// Writes the input files into `d`. Done in a process of its own, so that the memory this takes
/// is not counted in the peak RSS of the commands measured (a child starts with its parent's).
fn generate(d: &Path) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut v = sample();
    v["noi_dung"][0]["muc_con"] = json!(vec!["a"; 500_000]);
    save(d, "items-500k.json", &v);
    let mut v = sample();
    v["noi_dung"][0]["muc_con"] = json!((0..19_700).map(|i| format!("Nhiệm vụ {i}.")).collect::<Vec<_>>());
    save(d, "items-19700.json", &v);
    let mut v = sample();
    v["noi_dung"][1]["muc_con"][0]["trinh_bay_nhiem_vu"] = json!("bang");
    v["noi_dung"][1]["muc_con"][0]["muc_con"] = json!((0..3_200)
        .map(|i| json!({"van_ban": format!("Việc {i} cần làm trong quý"), "nhiem_vu": {"chu_tri": "Văn phòng", "phoi_hop": "Các phòng", "thoi_gian": "Quý I", "san_pham": "Báo cáo"}}))
        .collect::<Vec<_>>());
    save(d, "table-3200.json", &v);
    let mut v = sample();
    v["mo_dau"] = json!("từ ".repeat(330_000));
    save(d, "paragraph.json", &v);
    let mut v = sample();
    v["mo_dau"] = json!("x".repeat(1_000_000));
    save(d, "word-1mb.json", &v);
    v["mo_dau"] = json!("x".repeat(990_000));
    save(d, "word-990k.json", &v);
    // 300 units with hostile ids, two of them with text that would loop if it were run.
    let xa = |ma: &str| json!({"ma": ma, "ten": ma, "cap": "xã", "ap": "ấp", "tinh": "Đồng Tháp", "ty_le_truc_tuyen": 80, "ty_le_hai_long": 95});
    let hostile = ["../../etc/passwd", "CON", "\u{1b}[2J\u{1b}[31mđỏ\u{7}", "C:\\Windows\\win.ini", "\u{202e}gnp.exe", "....", "", "😀"];
    let mut units: Vec<Value> = (0..300)
        .map(|i| {
            xa(&match hostile.get(i % 30) {
                Some(h) if i < hostile.len() => h.to_string(),
                Some(h) if i < 240 => format!("{h} {i}"),
                _ => format!("xã Thử {i}"),
            })
        })
        .collect();
    units[150]["mo_dau"] = json!("{% for i in range(end=100000) %}{% for j in range(end=100000) %}x{% endfor %}{% endfor %}");
    units[151]["ten"] = json!("Nguyễn {{ 7*7 }} {% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}");
    save(d, "don-vi-300.json", &Value::Array(units.clone()));
    units[20]["ghi_chu"] = json!("y".repeat(200_000));
    save(d, "don-vi-big.json", &Value::Array(units));
    let parent = repo.join("samples/xa-mau-2026.json");
    let mut p: Value = serde_json::from_str(&std::fs::read_to_string(&parent).unwrap()).unwrap();
    p["ket_thuc"] = json!("{% for i in range(end=100000) %}{% for j in range(end=100000) %}x{% endfor %}{% endfor %}");
    save(d, "chung-lap.json", &p);
    p["ket_thuc"] = json!("{{ don_vi.ghi_chu | default(value=\"\") }}".repeat(40));
    save(d, "chung-nhan.json", &p);
    let fonts = d.join("phong");
    std::fs::create_dir_all(&fonts).unwrap();
    let _ = std::os::unix::fs::symlink("/dev/zero", fonts.join("times.ttf"));
}

fn main() {
    if let Some(d) = std::env::var_os("KEHOACH_STRESS_GENERATE") {
        generate(Path::new(&d));
        return;
    }
    let bin = std::env::var("KEHOACH_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_kehoach").to_string());
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("out");
    let made = Command::new(std::env::current_exe().unwrap()).env("KEHOACH_STRESS_GENERATE", d).status().unwrap();
    assert!(made.success(), "the inputs were not written");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("kehoach stress, {cores} cores, {bin}");
    println!("{:<58} {:>7} {:>8} {:>8}  first line of standard error", "case", "wall s", "peak MB", "exit");
    let render = |plan: &Path| {
        let mut c = Command::new(&bin);
        c.arg("render").arg(plan).arg("-o").arg(&out);
        c
    };

    let file = |n: &str| d.join(n);
    let p = file("items-500k.json");
    show(&format!("render: 500,000 list items ({:.1} MB)", std::fs::metadata(&p).unwrap().len() as f64 / 1e6), &run(&mut render(&p), None, None));
    // At the limits.
    let p = file("items-19700.json");
    show("render: 19,700 list items (within the limit of 20,000)", &run(&mut render(&p), None, None));
    show("  the same under a 300 MB address-space limit", &run(&mut render(&p), None, Some(300 << 20)));
    show("render: a task table of 3,200 rows (19,200 strings)", &run(&mut render(&file("table-3200.json")), None, None));
    show("render: one paragraph of 990,000 characters", &run(&mut render(&file("paragraph.json")), None, None));
    show("render: a word of 1,000,000 letters (1 MB)", &run(&mut render(&file("word-1mb.json")), None, None));
    show("render: a word of 990,000 letters", &run(&mut render(&file("word-990k.json")), None, None));
    // Devices and endless streams.
    show("check /dev/zero", &run(Command::new(&bin).args(["check", "/dev/zero"]), None, None));
    show("check /dev/urandom", &run(Command::new(&bin).args(["check", "/dev/urandom"]), None, None));
    show("check - < /dev/zero", &run(Command::new(&bin).args(["check", "-"]), Some(Path::new("/dev/zero")), None));
    let parent = repo.join("samples/xa-mau-2026.json");
    show(
        "batch --units /dev/zero",
        &run(Command::new(&bin).arg("batch").arg(&parent).args(["--units", "/dev/zero", "-o"]).arg(d.join("b0")), None, None),
    );
    show(
        "render --font-dir with a .ttf linked to /dev/zero",
        &run(render(&repo.join("samples/seed-002.json")).arg("--font-dir").arg(file("phong")), None, None),
    );
    let batch = |out: &str, parent: &Path, units: &str, extra: &[&str]| {
        let mut c = Command::new(&bin);
        c.arg("batch").arg(parent).arg("--units").arg(file(units)).arg("-o").arg(d.join(out)).args(["--format", "all"]).args(extra);
        c
    };
    show("batch: 300 units, hostile ids, looping text in units", &run(&mut batch("b1", &parent, "don-vi-300.json", &[]), None, None));
    show("  the same with -j 4000", &run(&mut batch("b2", &parent, "don-vi-300.json", &["-j", "4000"]), None, None));
    show("batch: 300 units, a parent whose text loops", &run(&mut batch("b3", &file("chung-lap.json"), "don-vi-300.json", &[]), None, None));
    show(
        "batch: one unit's value repeated past the output bound",
        &run(&mut batch("b4", &file("chung-nhan.json"), "don-vi-big.json", &[]), None, None),
    );
}
