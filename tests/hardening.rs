//! Issue 8, as a user (or an attacker) meets it on the command line: limits, unit values as data,
//! no silent blanks, nothing overwritten by surprise, private files, a stop on Ctrl-C.

mod common;
use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn kehoach(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kehoach")).args(args).output().expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn sample_path(name: &str) -> PathBuf {
    repo().join("samples").join(name)
}

/// Every file under `dir` (hidden ones too), relative, sorted.
fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut v = Vec::new();
    if dir.exists() {
        walk(dir, dir, &mut v);
    }
    v.sort();
    v
}

fn report(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("bao-cao.json")).unwrap()).unwrap()
}

fn docx_text(bytes: &[u8]) -> String {
    paragraphs(&part(bytes, "word/document.xml")).iter().map(|p| p.text.clone()).collect::<Vec<_>>().join("\n")
}

/// The sample parent plan's variables, for a unit of our own.
fn xa(ten: &str) -> Value {
    json!({"ma": ten, "ten": ten, "cap": "xã", "ap": "ấp", "tinh": "Đồng Tháp", "ty_le_truc_tuyen": 80, "ty_le_hai_long": 95})
}

fn batch(plan: &Path, units: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["batch", s(plan), "--units", s(units), "-o", s(out), "--format", "docx"];
    args.extend_from_slice(extra);
    kehoach(&args)
}

// 8.1: bounded memory and time.

#[cfg(unix)]
#[test]
fn devices_are_refused_at_once_as_plans_units_and_fonts() {
    let d = tempfile::tempdir().unwrap();
    for args in [vec!["check", "/dev/zero"], vec!["render", "/dev/urandom", "-o", s(d.path())]] {
        let t = std::time::Instant::now();
        let o = kehoach(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("thiết bị"), "{args:?}: {}", stderr(&o));
        assert!(t.elapsed().as_secs() < 10);
    }
    // Standard input that never ends is read to the limit only.
    let o = Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["check", "-"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("quá lớn (hơn 2 MB; tối đa 2 MB)"), "{}", stderr(&o));
    let out = d.path().join("out");
    let o = batch(&sample_path("seed-002.json"), Path::new("/dev/zero"), &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/dev/zero") && stderr(&o).contains("thiết bị"), "{}", stderr(&o));
    let fonts = d.path().join("phong");
    std::fs::create_dir(&fonts).unwrap();
    std::os::unix::fs::symlink("/dev/zero", fonts.join("times.ttf")).unwrap();
    let o = kehoach(&["render", s(&sample_path("seed-002.json")), "-o", s(&out), "--font-dir", s(&fonts)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("times.ttf") && stderr(&o).contains("thiết bị"), "{}", stderr(&o));
    assert!(tree(&out).is_empty(), "{:?}", tree(&out));
}

#[test]
fn a_huge_unit_or_units_file_is_refused_before_any_work() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let big = "x".repeat(300 * 1024);
    let units = json!([{"ma": "Một"}, {"ma": "Hai", "mo_dau": big}, {"ma": "Ba"}]);
    let u = write(d.path(), "don-vi.json", &units.to_string());
    let o = batch(&sample_path("seed-002.json"), &u, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("đơn vị thứ 2 quá lớn (hơn 256 KB; một đơn vị tối đa 256 KB)"), "{}", stderr(&o));
    let u = write(d.path(), "don-vi.csv", &format!("ma,mo_dau\nMột,a\nHai,{big}\n"));
    let o = batch(&sample_path("seed-002.json"), &u, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("đơn vị dòng 3 quá lớn"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("thứ 1"), "{}", stderr(&o));
    assert!(tree(&out).is_empty(), "{:?}", tree(&out));
}

#[cfg(target_os = "linux")]
#[test]
fn many_jobs_are_capped_to_the_cores() {
    let d = tempfile::tempdir().unwrap();
    let units: Vec<Value> = (1..=40).map(|i| json!({"ma": format!("Đơn vị {i}")})).collect();
    let u = write(d.path(), "don-vi.json", &Value::Array(units).to_string());
    let out = d.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["batch", s(&sample_path("seed-004.json")), "--units", s(&u), "-o", s(&out), "--format", "pdf", "-j", "4000"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The threads of the process while it runs: the workers, the collector, the main thread.
    let mut most = 0;
    let status = loop {
        if let Ok(s) = std::fs::read_to_string(format!("/proc/{}/status", child.id()))
            && let Some(n) = s.lines().find_map(|l| l.strip_prefix("Threads:")).and_then(|n| n.trim().parse::<usize>().ok())
        {
            most = most.max(n);
        }
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    assert!(status.success());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert!(most <= cores + 4, "{most} threads for -j 4000 on {cores} cores");
    assert_eq!(tree(&out).len(), 41);
}

// 8.3: unit values are data, never templates; the parent's text is bounded.

#[test]
fn unit_values_are_printed_as_they_are() {
    let d = tempfile::tempdir().unwrap();
    let mut a = xa("xã Nguyễn {{ 7*7 }}");
    a["mo_dau"] = json!("Mở đầu {% for i in range(end=100000) %}{% for j in range(end=100000) %}x{% endfor %}{% endfor %}");
    let units = json!([a, xa("xã Hai")]);
    let u = write(d.path(), "don-vi.json", &units.to_string());
    let out = d.path().join("out");
    let t = std::time::Instant::now();
    let o = batch(&sample_path("xa-mau-2026.json"), &u, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(t.elapsed().as_secs() < 60, "a unit's text is never run");
    let text = docx_text(&std::fs::read(out.join("xa-nguyen-7-7.docx")).unwrap());
    assert!(text.contains("XÃ NGUYỄN {{ 7*7 }}") && !text.contains("49"), "{text}");
    assert!(text.contains("Mở đầu {% for i in range(end=100000) %}"), "{text}");
    assert!(out.join("xa-hai.docx").exists());
}

#[test]
fn a_loop_in_the_parent_is_refused_and_a_unit_over_the_output_bound_fails_alone() {
    let d = tempfile::tempdir().unwrap();
    let mut parent: Value = serde_json::from_str(&std::fs::read_to_string(sample_path("xa-mau-2026.json")).unwrap()).unwrap();
    parent["ket_thuc"] = json!("{% for i in range(end=100000) %}{% for j in range(end=100000) %}x{% endfor %}{% endfor %}");
    let p = write(d.path(), "chung.json", &parent.to_string());
    let u = write(d.path(), "don-vi.json", &json!([xa("xã Một")]).to_string());
    let out = d.path().join("out");
    let t = std::time::Instant::now();
    let o = batch(&p, &u, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(t.elapsed().as_secs() < 10);
    let err = stderr(&o);
    assert!(err.contains("`ket_thuc`: chuỗi") && err.contains("`{% for %}`") && err.contains("kế hoạch chung"), "{err}");
    assert!(tree(&out).is_empty());
    // Expressions that would write more than the bound for one unit: that unit fails, not the others.
    parent["ket_thuc"] = json!("{{ don_vi.ghi_chu | default(value=\"\") }}".repeat(40));
    let p = write(d.path(), "chung.json", &parent.to_string());
    let mut big = xa("xã Dài");
    big["ghi_chu"] = json!("y".repeat(200_000));
    let u = write(d.path(), "don-vi.json", &json!([xa("xã Một"), big, xa("xã Ba")]).to_string());
    let o = batch(&p, &u, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("đơn vị `xã Dài` (thứ 2): `ket_thuc`: các biểu thức của kế hoạch chung cho ra hơn 4 MB chữ"), "{err}");
    assert_eq!(tree(&out), ["bao-cao.json", "xa-ba.docx", "xa-mot.docx"]);
}

// 8.4: no silent blanks.

#[test]
fn blank_cells_and_nulls_a_text_needs_fail_their_unit_naming_the_cell() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let header = "ten,cap,ap,tinh,ty_le_truc_tuyen,ty_le_hai_long";
    let csv = format!("{header}\nxã Một,xã,ấp,Đồng Tháp,80,95\nxã Hai,xã,ấp,,80,95\nxã Ba,xã,ấp,Đồng Tháp,80\n");
    let u = write(d.path(), "don-vi.csv", &csv);
    let o = batch(&sample_path("xa-mau-2026.json"), &u, &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("đơn vị `xã Hai` (dòng 3): `co_quan_chu_quan`: ") && err.contains("đơn vị để trống `tinh` (ô trống ở dòng 3, cột 4 (`tinh`))"), "{err}");
    assert!(err.contains("đơn vị `xã Ba` (dòng 4): ") && err.contains("đơn vị để trống `ty_le_hai_long` (dòng 4 chỉ có 5 ô, không tới cột 6"), "{err}");
    assert!(err.contains("default(value="), "{err}");
    assert_eq!(tree(&out), ["bao-cao.json", "xa-mot.docx"]);
    // A JSON null, the same.
    let mut b = xa("xã Bốn");
    b["tinh"] = Value::Null;
    let u = write(d.path(), "don-vi.json", &json!([b]).to_string());
    let o = batch(&sample_path("xa-mau-2026.json"), &u, &out, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("đơn vị để trống `tinh` (giá trị null)"), "{}", stderr(&o));
}

#[test]
fn a_parent_plan_is_named_as_such_and_one_unit_of_it_renders() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let plan = sample_path("xa-mau-2026.json");
    for cmd in ["render", "check"] {
        let o = kehoach(&[cmd, s(&plan), "-o", s(&out)].iter().copied().filter(|a| cmd == "render" || (*a != "-o" && *a != s(&out))).collect::<Vec<_>>());
        assert_eq!(o.status.code(), Some(1), "{cmd}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("kế hoạch chung") && err.contains("kehoach batch") && err.contains("--units") && err.contains("--ma"), "{cmd}: {err}");
        assert!(err.contains("`co_quan_") && err.contains("{{ don_vi."), "{cmd}: {err}");
    }
    assert!(tree(&out).is_empty());
    let units = sample_path("don-vi-200.csv");
    let o = kehoach(&["render", s(&plan), "--units", s(&units), "--ma", "phường Sa Đéc", "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(tree(&out), ["phuong-sa-dec.docx", "phuong-sa-dec.pdf"]);
    let text = docx_text(&std::fs::read(out.join("phuong-sa-dec.docx")).unwrap());
    assert!(text.contains("PHƯỜNG SA ĐÉC") && !text.contains("{{"), "{text}");
    let o = kehoach(&["check", s(&plan), "--units", s(&units), "--ma", "xã Cần Đăng"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("ngay") || stderr(&o).contains("2026-02-30"), "{}{}", stdout(&o), stderr(&o));
    let o = kehoach(&["render", s(&plan), "--units", s(&units), "--ma", "phường Sa Đec", "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("không có đơn vị mã `phường Sa Đec`") && stderr(&o).contains("phường Sa Đéc"), "{}", stderr(&o));
}

// 8.6: nothing overwritten by surprise.

#[test]
fn outputs_that_would_replace_each_other_or_an_input_are_refused_before_any_work() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let u = write(d.path(), "don-vi.json", &json!([{"ma": "Xã Một"}, {"ma": "Xã Hai"}]).to_string());
    let plan = sample_path("seed-002.json");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["--zip".into(), s(&out.join("xa-mot.docx")).into()], "trùng tệp kết quả của đơn vị `Xã Một`"),
        (vec!["--review".into(), s(&out.join("bao-cao.json")).into()], "cùng là tệp"),
        (vec!["--zip".into(), s(&d.path().join("a.zip")).into(), "--review".into(), s(&d.path().join("a.zip")).into()], "cùng là tệp"),
        (vec!["--zip".into(), s(&u).into()], "chính là tệp đơn vị"),
    ];
    for (extra, want) in cases {
        let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
        let o = batch(&plan, &u, &out, &extra);
        assert_eq!(o.status.code(), Some(1), "{extra:?}");
        assert!(stderr(&o).contains(want) && stderr(&o).contains("chưa ghi tệp nào"), "{extra:?}: {}", stderr(&o));
    }
    assert!(tree(&out).is_empty(), "{:?}", tree(&out));
    assert!(std::fs::read_to_string(&u).unwrap().contains("Xã Một"));
    // A plan file named like its own output.
    let x = d.path().join("x.docx");
    std::fs::copy(&plan, &x).unwrap();
    let o = kehoach(&["render", s(&x), "-o", s(d.path())]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("chính là tệp kế hoạch"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&x).unwrap(), std::fs::read(&plan).unwrap());
}

#[test]
fn a_second_batch_into_the_same_folder_is_refused_while_the_first_runs() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let units: Vec<Value> = (1..=150).map(|i| json!({"ma": format!("Đơn vị {i}")})).collect();
    let u = write(d.path(), "don-vi.json", &Value::Array(units).to_string());
    let plan = sample_path("seed-004.json");
    let mut first = Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["batch", s(&plan), "--units", s(&u), "-o", s(&out), "--format", "all", "-j", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait for the first run's lock.
    let t = std::time::Instant::now();
    while !out.join(".kehoach-batch.lock").exists() && t.elapsed().as_secs() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let o = batch(&plan, &u, &out, &[]);
    let status = first.wait().unwrap();
    assert!(status.success());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("một lệnh `kehoach batch` khác đang ghi vào thư mục này"), "{}", stderr(&o));
    // The first run's report is whole, and the lock is gone.
    assert_eq!(report(&out)["tong_ket"]["da_xuat"], 150);
    assert!(!out.join(".kehoach-batch.lock").exists());
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_batch_cleanly_with_a_report() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let units: Vec<Value> = (1..=400).map(|i| json!({"ma": format!("Đơn vị {i}")})).collect();
    let u = write(d.path(), "don-vi.json", &Value::Array(units).to_string());
    for signal in [libc::SIGINT, libc::SIGTERM] {
        let _ = std::fs::remove_dir_all(&out);
        let child = Command::new(env!("CARGO_BIN_EXE_kehoach"))
            .args(["batch", s(&sample_path("seed-004.json")), "--units", s(&u), "-o", s(&out), "--format", "all", "-j", "1"])
            .args(["--zip", s(&d.path().join("tat-ca.zip")), "--review", s(&d.path().join("ban-xem.pdf"))])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Some units written, then the signal.
        let t = std::time::Instant::now();
        while tree(&out).iter().filter(|f| f.ends_with(".pdf")).count() < 5 && t.elapsed().as_secs() < 60 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        unsafe { libc::kill(child.id() as i32, signal) };
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        assert!(stderr(&o).contains("đã dừng theo yêu cầu"), "{}", stderr(&o));
        let files = tree(&out);
        assert!(!files.iter().any(|f| f.contains(".kehoach-")), "{files:?}");
        assert!(!tree(d.path()).iter().any(|f| f.contains(".kehoach-")), "{:?}", tree(d.path()));
        let r = report(&out);
        let units = r["don_vi"].as_array().unwrap();
        assert_eq!(units.len(), 400, "every unit is listed");
        let done = units.iter().filter(|u| u["trang_thai"] == "da_xuat").count();
        let left = units.iter().filter(|u| u["trang_thai"] == "chua_xuat").count();
        assert!(done >= 5 && left > 0 && done + left == 400, "{done} + {left}");
        assert_eq!(r["tong_ket"]["chua_xuat"], left);
        assert!(r["dung_giua_chung"].as_str().unwrap().contains("Ctrl-C"));
        assert_eq!(files.iter().filter(|f| f.ends_with(".docx")).count(), done);
        // The ZIP holds what was done.
        let z = zip::ZipArchive::new(std::fs::File::open(d.path().join("tat-ca.zip")).unwrap()).unwrap();
        assert_eq!(z.len(), 2 * done + 1);
    }
}

// 8.7: private by default.

#[cfg(unix)]
#[test]
fn outputs_follow_the_umask_and_secret_plans_are_private() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let d = tempfile::tempdir().unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let mut secret: Value = serde_json::from_str(&std::fs::read_to_string(sample_path("seed-002.json")).unwrap()).unwrap();
    secret["do_mat"] = json!("mat");
    let sp = write(d.path(), "mat.json", &secret.to_string());
    let run = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_kehoach"));
        c.args(args);
        unsafe {
            c.pre_exec(|| {
                libc::umask(0o077);
                Ok(())
            });
        }
        c.output().unwrap()
    };
    let out = d.path().join("out");
    let o = run(&["render", s(&sample_path("seed-002.json")), "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&out.join("seed-002.docx")), 0o600, "umask 077 is honoured");
    let o = kehoach(&["render", s(&sample_path("seed-002.json")), "-o", s(&out)]);
    assert!(o.status.success());
    let o = kehoach(&["render", s(&sp), "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&out.join("mat.docx")), 0o600);
    assert_eq!(mode(&out.join("mat.pdf")), 0o600);
    // A batch: the secret unit's files, and the report and ZIP that hold it.
    let u = write(d.path(), "don-vi.json", &json!([{"ma": "Một"}, {"ma": "Hai", "do_mat": "mat"}]).to_string());
    let bout = d.path().join("batch");
    let o = batch(&sample_path("seed-002.json"), &u, &bout, &["--zip", s(&d.path().join("z.zip"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(mode(&bout.join("hai.docx")), 0o600);
    assert_ne!(mode(&bout.join("mot.docx")) & 0o044, 0, "an ordinary unit keeps the usual permissions");
    assert_eq!(mode(&bout.join("bao-cao.json")), 0o600);
    assert_eq!(mode(&d.path().join("z.zip")), 0o600);
}

// 8.7: previews in a private folder; 8.9: what preview says.

#[cfg(unix)]
#[test]
fn previews_go_to_a_private_folder_that_a_planted_link_cannot_take() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let d = tempfile::tempdir().unwrap();
    let tmp = d.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let uid = unsafe { libc::geteuid() };
    let run = |tmp: &Path| {
        Command::new(env!("CARGO_BIN_EXE_kehoach"))
            .args(["preview", s(&sample_path("seed-002.json"))])
            .env("TMPDIR", tmp)
            .env_remove("XDG_RUNTIME_DIR")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .unwrap()
    };
    let o = run(&tmp);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = PathBuf::from(stdout(&o).trim());
    let dir = path.parent().unwrap();
    assert_eq!(dir, tmp.join(format!("kehoach-xem-truoc-{uid}")));
    let meta = std::fs::symlink_metadata(dir).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o700);
    assert_eq!(meta.uid(), uid);
    // Someone plants a link under the name: it is not followed.
    let tmp2 = d.path().join("tmp2");
    let victim = d.path().join("ngoai");
    std::fs::create_dir_all(&tmp2).unwrap();
    std::fs::create_dir(&victim).unwrap();
    std::os::unix::fs::symlink(&victim, tmp2.join(format!("kehoach-xem-truoc-{uid}"))).unwrap();
    let o = run(&tmp2);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("không phải thư mục riêng"), "{}", stderr(&o));
    assert_eq!(std::fs::read_dir(&victim).unwrap().count(), 0, "nothing written through the link");
    let path = PathBuf::from(stdout(&o).trim());
    assert!(path.exists() && !path.starts_with(&victim));
    assert_eq!(std::fs::metadata(path.parent().unwrap()).unwrap().permissions().mode() & 0o777, 0o700);
}

#[cfg(unix)]
#[test]
fn preview_says_when_no_viewer_opened_it() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let bin = d.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let fake = bin.join("xdg-open");
    std::fs::write(&fake, "#!/bin/sh\nexit 3\n").unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let run = |path: &str| {
        Command::new(env!("CARGO_BIN_EXE_kehoach"))
            .args(["preview", s(&sample_path("seed-002.json"))])
            .env("TMPDIR", d.path())
            .env("DISPLAY", ":99")
            .env("PATH", path)
            .output()
            .unwrap()
    };
    let o = run(s(&bin));
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(!out.contains("Đã mở") && out.contains("chưa mở được") && out.contains("mã 3"), "{out}");
    // No xdg-open at all.
    let o = run(s(&d.path().join("khong-co")));
    assert!(stdout(&o).contains("không có chương trình xdg-open"), "{}", stdout(&o));
    // One that works.
    std::fs::write(&fake, "#!/bin/sh\nexit 0\n").unwrap();
    let o = run(s(&bin));
    assert!(stdout(&o).starts_with("Đã mở "), "{}", stdout(&o));
}

// 8.9: every message in Vietnamese.

#[test]
fn clap_speaks_vietnamese() {
    let english = ["Usage", "Options", "Commands", "Arguments", "Print help", "Print version", "default:", "possible values", "error:", "tip:", "[OPTIONS]"];
    for args in [vec!["--help"], vec!["render", "--help"], vec!["batch", "--help"], vec!["preview", "--help"], vec!["check", "--help"], vec!["new", "--help"], vec!["templates", "--help"], vec!["import", "--help"]] {
        let o = kehoach(&args);
        assert!(o.status.success(), "{args:?}");
        let text = stdout(&o);
        for w in english {
            assert!(!text.contains(w), "{args:?} says {w:?}:\n{text}");
        }
        assert!(text.contains("Cách dùng:") && text.contains("Tùy chọn:") && text.contains("In trợ giúp này"), "{args:?}:\n{text}");
        // Every option is described (on its line, or on the next when clap puts it there).
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.trim_start().starts_with('-')) {
            let same = line.trim().split("  ").filter(|p| !p.trim().is_empty()).count() >= 2;
            let next = lines.get(i + 1).is_some_and(|n| n.starts_with("          ") && !n.trim().is_empty());
            assert!(same || next, "{args:?}: no description: {line}");
        }
    }
    let help = stdout(&kehoach(&["render", "--help"]));
    assert!(help.contains("(mặc định: all)"), "{help}");
    for (args, want) in [
        (vec!["batch", "a.json"], "Lỗi: thiếu `--units <DANH_SÁCH>`"),
        (vec!["render", "a.json", "--format", "docs"], "chọn một trong: `docx`, `pdf`, `svg`, `all`; có phải `docx`?"),
        (vec!["rendr"], "không có lệnh `rendr`"),
        (vec!["render", "a.json", "--outt", "x"], "không có tùy chọn `--outt`; có phải `--out`?"),
        (vec!["batch", "a", "--units", "b", "-j", "0"], "cần một số nguyên từ 1 trở lên"),
        (vec!["render", "a.json", "--ma", "x"], "thiếu"),
    ] {
        let o = kehoach(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains(want), "{args:?}: {err}");
        for w in english {
            assert!(!err.contains(w), "{args:?} says {w:?}: {err}");
        }
    }
}

#[test]
fn new_writes_a_file_and_never_replaces_one() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("ke-hoach.json");
    let o = kehoach(&["new", "--regime", "hd05", "-o", s(&p)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.contains("\"the_thuc\": \"hd05\""));
    std::fs::write(&p, "của tôi").unwrap();
    let o = kehoach(&["new", "--regime", "nd30", "-o", s(&p)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("không ghi đè"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "của tôi");
}

#[test]
fn a_utf16_plan_as_powershell_writes_it_renders_and_windows_1258_is_explained() {
    let d = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(sample_path("seed-002.json")).unwrap();
    let p = d.path().join("ke-hoach.json");
    let bytes: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    std::fs::write(&p, bytes).unwrap();
    let out = d.path().join("out");
    let o = kehoach(&["render", s(&p), "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!std::fs::read(out.join("ke-hoach.docx")).unwrap().is_empty());
    // "Hòa" in Windows-1258 (o + combining grave 0xCC).
    std::fs::write(&p, b"{\"the_thuc\": \"nd30\", \"trich_yeu\": \"Ho\xCCa\"}").unwrap();
    let o = kehoach(&["check", s(&p)]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("không phải văn bản UTF-8") && err.contains("dòng 1, cột 38") && err.contains("Notepad") && err.contains("Windows-1258"), "{err}");
}

#[test]
fn templates_can_be_written_to_a_folder_once() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("mau");
    let o = kehoach(&["templates", "-o", s(&dir)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = tree(&dir);
    assert_eq!(files, ["chu-ky.xml", "dau-van-ban.xml", "ke-hoach.xml", "khoi.xml", "noi-dung.xml", "phu-luc.xml"]);
    assert_eq!(std::fs::read_to_string(dir.join("ke-hoach.xml")).unwrap(), std::fs::read_to_string(repo().join("templates/ke-hoach.xml")).unwrap());
    // They render as they are, as a --template folder.
    let out = d.path().join("out");
    let o = kehoach(&["render", s(&sample_path("seed-002.json")), "-o", s(&out), "--template", s(&dir)]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::write(dir.join("chu-ky.xml"), "sửa của tôi").unwrap();
    let o = kehoach(&["templates", "-o", s(&dir)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("không ghi đè"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(dir.join("chu-ky.xml")).unwrap(), "sửa của tôi");
}

#[test]
fn render_writes_the_pair_or_nothing() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    std::fs::create_dir_all(out.join("seed-002.pdf")).unwrap();
    std::fs::write(out.join("seed-002.docx"), b"cu").unwrap();
    let o = kehoach(&["render", s(&sample_path("seed-002.json")), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("seed-002.pdf") && stderr(&o).contains("thư mục"), "{}", stderr(&o));
    assert_eq!(std::fs::read(out.join("seed-002.docx")).unwrap(), b"cu");
    assert_eq!(tree(&out), ["seed-002.docx"]);
}
