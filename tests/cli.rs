//! The `kehoach` command as users run it: exit codes, Vietnamese messages naming the field, and no
//! file written on bad input.

mod common;
use common::*;
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn kehoach(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kehoach")).args(args).output().expect("runs")
}

fn kehoach_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().to_string()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// A sample plan with one change, written to `dir/name`.
fn broken_plan(dir: &std::path::Path, name: &str, edit: impl Fn(&mut serde_json::Value)) -> String {
    let text = std::fs::read_to_string(repo().join("samples/seed-002.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    edit(&mut v);
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    path.to_string_lossy().to_string()
}

#[test]
fn render_writes_docx_named_after_the_input() {
    let out = tempfile::tempdir().unwrap();
    let o = kehoach(&["render", repo().join("samples/seed-002.json").to_str().unwrap(), "-o", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files_in(out.path()), ["seed-002.docx", "seed-002.pdf"], "both formats by default");
    let bytes = std::fs::read(out.path().join("seed-002.docx")).unwrap();
    assert!(part(&bytes, "word/document.xml").contains("Số: 06/KH-UBND"));
}

#[test]
fn render_creates_the_output_folder() {
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("a/b");
    let o = kehoach(&["render", repo().join("samples/seed-004.json").to_str().unwrap(), "-o", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files_in(&dir), ["seed-004.docx", "seed-004.pdf"]);
}

#[test]
fn stdin_gives_ke_hoach_docx() {
    let out = tempfile::tempdir().unwrap();
    let plan = std::fs::read_to_string(repo().join("samples/seed-000.json")).unwrap();
    let o = kehoach_stdin(&["render", "-", "-o", out.path().to_str().unwrap()], &plan);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files_in(out.path()), ["ke-hoach.docx", "ke-hoach.pdf"]);
}

/// Bad input: exit 1, a Vietnamese message naming the field (and line/column), nothing written.
fn assert_rejected(plan: &str, must_contain: &[&str]) {
    let out = tempfile::tempdir().unwrap();
    let o = kehoach(&["render", plan, "-o", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let msg = stderr(&o);
    assert!(msg.starts_with("Lỗi: "), "{msg}");
    for m in must_contain {
        assert!(msg.contains(m), "message lacks {m:?}: {msg}");
    }
    assert!(files_in(out.path()).is_empty(), "nothing may be written: {:?}", files_in(out.path()));
}

#[test]
fn wrong_type_names_the_field() {
    let d = tempfile::tempdir().unwrap();
    let p = broken_plan(d.path(), "a.json", |v| v["so"] = serde_json::json!("06"));
    assert_rejected(&p, &["`so`", "cần số nguyên không âm", "dòng ", "cột "]);
    let p = broken_plan(d.path(), "b.json", |v| v["can_cu"][2] = serde_json::json!(14));
    assert_rejected(&p, &["`can_cu[2]`", "cần chuỗi ký tự nhưng gặp số 14", "dòng "]);
}

#[test]
fn impossible_date_is_rejected() {
    let d = tempfile::tempdir().unwrap();
    let p = broken_plan(d.path(), "a.json", |v| v["ngay"] = serde_json::json!("2022-02-30"));
    assert_rejected(&p, &["`ngay`", "2022-02-30", "không tồn tại"]);
}

#[test]
fn unknown_regime_is_rejected() {
    let d = tempfile::tempdir().unwrap();
    let p = broken_plan(d.path(), "a.json", |v| v["the_thuc"] = serde_json::json!("nd31"));
    assert_rejected(&p, &["`the_thuc`", "nd31", "nd30", "hd05", "hd36"]);
}

#[test]
fn misspelt_field_is_rejected() {
    let d = tempfile::tempdir().unwrap();
    let p = broken_plan(d.path(), "a.json", |v| {
        let luu = v["noi_nhan"]["luu"].take();
        v["noi_nhan"].as_object_mut().unwrap().remove("luu");
        v["noi_nhan"]["lu"] = luu;
    });
    assert_rejected(&p, &["`noi_nhan.lu`", "không có trường `lu`"]);
}

#[test]
fn control_character_is_rejected() {
    let d = tempfile::tempdir().unwrap();
    let p = broken_plan(d.path(), "a.json", |v| v["trich_yeu"] = serde_json::json!("Kế hoạch\u{0007}"));
    assert_rejected(&p, &["`trich_yeu`", "U+0007"]);
}

#[test]
fn tuq_in_a_party_plan_is_rejected() {
    let d = tempfile::tempdir().unwrap();
    let p = broken_plan(d.path(), "a.json", |v| {
        v["the_thuc"] = serde_json::json!("hd05");
        v["ky_hieu"] = serde_json::json!("KH/ĐU");
        v["nguoi_ky"]["quyen_han"] = serde_json::json!([{"loai": "tuq", "ten": "BÍ THƯ"}]);
    });
    assert_rejected(&p, &["`nguoi_ky.quyen_han[0].loai`", "TUQ."]);
}

#[test]
fn broken_json_and_missing_file() {
    let d = tempfile::tempdir().unwrap();
    let p = d.path().join("a.json");
    std::fs::write(&p, "{\n  \"the_thuc\": \"nd30\",\n  \"so\": 6,\n}\n").unwrap();
    assert_rejected(p.to_str().unwrap(), &["thừa dấu phẩy", "dòng 4"]);
    assert_rejected(d.path().join("khong-co.json").to_str().unwrap(), &["không tìm thấy"]);
}

#[test]
fn an_existing_output_is_not_damaged_by_a_failed_render() {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("a.docx");
    std::fs::write(&target, b"old").unwrap();
    let p = broken_plan(out.path(), "a.json", |v| v["ngay"] = serde_json::json!("2022-13-01"));
    let o = kehoach(&["render", &p, "-o", out.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(std::fs::read(&target).unwrap(), b"old");
    assert_eq!(files_in(out.path()), ["a.docx", "a.json"], "no temporary file left behind");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(kehoach(&["render"]).status.code(), Some(2));
    assert_eq!(kehoach(&["lam-gi-do"]).status.code(), Some(2));
    assert_eq!(kehoach(&["new", "--regime", "nd31"]).status.code(), Some(2));
}

#[test]
fn new_prints_a_plan_that_renders_once_its_placeholders_are_filled() {
    for regime in ["nd30", "hd05", "hd36"] {
        let o = kehoach(&["new", "--regime", regime]);
        assert!(o.status.success());
        let plan = String::from_utf8(o.stdout).unwrap();
        assert!(plan.contains(&format!("\"the_thuc\": \"{regime}\"")));
        // As printed, the starter is refused: each placeholder left is an error naming its field.
        let out = tempfile::tempdir().unwrap();
        let r = kehoach_stdin(&["render", "-", "-o", out.path().to_str().unwrap()], &plan);
        assert_eq!(r.status.code(), Some(1), "{regime}");
        let e = stderr(&r);
        assert!(e.contains("[KH-BB-03") && e.contains("`nguoi_ky.ho_ten`") && e.contains("“[… họ và tên người ký]”"), "{e}");
        assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
        // Filled in, it renders.
        let mut filled = plan.clone();
        while let Some(i) = filled.find("[… ") {
            let end = i + filled[i..].find(']').unwrap();
            let hint = filled[i + "[… ".len()..end].to_string();
            filled.replace_range(i..=end, &hint);
        }
        let r = kehoach_stdin(&["render", "-", "-o", out.path().to_str().unwrap()], &filled);
        assert!(r.status.success(), "{regime}: {}", stderr(&r));
    }
}

#[test]
fn check_reports_each_file() {
    let d = tempfile::tempdir().unwrap();
    let bad = broken_plan(d.path(), "bad.json", |v| v["ngay"] = serde_json::json!("2022-02-30"));
    let good = repo().join("samples/seed-002.json");
    let o = kehoach(&["check", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = kehoach(&["check", good.to_str().unwrap(), &bad]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("bad.json") && stderr(&o).contains("`ngay`"));
}

#[test]
fn templates_lists_the_builtins() {
    let o = kehoach(&["templates"]);
    assert!(o.status.success());
    let s = String::from_utf8(o.stdout).unwrap();
    for t in ["ke-hoach.xml", "dau-van-ban.xml", "noi-dung.xml", "chu-ky.xml"] {
        assert!(s.contains(t), "{s}");
    }
}

#[test]
fn a_template_folder_overrides_a_builtin() {
    let d = tempfile::tempdir().unwrap();
    let tdir = d.path().join("mau");
    std::fs::create_dir(&tdir).unwrap();
    let builtin = std::fs::read_to_string(repo().join("templates/chu-ky.xml")).unwrap();
    std::fs::write(tdir.join("chu-ky.xml"), builtin.replace("{{ v.nguoi_ky.ho_ten }}", "Ông {{ v.nguoi_ky.ho_ten }}")).unwrap();
    let out = d.path().join("out");
    let plan = repo().join("samples/seed-002.json");
    let o = kehoach(&["render", plan.to_str().unwrap(), "-o", out.to_str().unwrap(), "--template", tdir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let bytes = std::fs::read(out.join("seed-002.docx")).unwrap();
    assert!(part(&bytes, "word/document.xml").contains("Ông Lê Ngọc Ân"));

    // A broken template: exit 1, the file and line named, nothing written.
    std::fs::write(tdir.join("chu-ky.xml"), "<table layout=\"chu_ky\">\n{% for x in %}\n</table>\n").unwrap();
    let out2 = d.path().join("out2");
    let o = kehoach(&["render", plan.to_str().unwrap(), "-o", out2.to_str().unwrap(), "--template", tdir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let msg = stderr(&o);
    assert!(msg.contains("chu-ky.xml") && msg.contains("dòng 2"), "{msg}");
    assert!(!out2.exists());
}

#[test]
fn render_all_writes_docx_and_pdf() {
    let out = tempfile::tempdir().unwrap();
    let plan = repo().join("samples/seed-004.json");
    let o = kehoach(&["render", plan.to_str().unwrap(), "-o", out.path().to_str().unwrap(), "--format", "all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files_in(out.path()), ["seed-004.docx", "seed-004.pdf"]);
    assert!(std::fs::read(out.path().join("seed-004.pdf")).unwrap().starts_with(b"%PDF-"));
    let o = kehoach(&["render", plan.to_str().unwrap(), "-o", out.path().join("p").to_str().unwrap(), "--format", "pdf"]);
    assert!(o.status.success());
    assert_eq!(files_in(&out.path().join("p")), ["seed-004.pdf"]);
}

#[test]
fn font_dir_uses_the_offices_fonts() {
    let d = tempfile::tempdir().unwrap();
    let fonts = d.path().join("fonts");
    std::fs::create_dir(&fonts).unwrap();
    for f in ["Regular", "Bold", "Italic", "BoldItalic"] {
        std::fs::copy(repo().join(format!("fonts/LiberationSerif-{f}.ttf")), fonts.join(format!("{f}.ttf"))).unwrap();
    }
    let plan = repo().join("samples/seed-002.json");
    let out = d.path().join("out");
    let o = kehoach(&["render", plan.to_str().unwrap(), "-o", out.to_str().unwrap(), "--format", "pdf", "--font-dir", fonts.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(out.join("seed-002.pdf").exists());
    // A folder without the four faces: exit 1, in Vietnamese, nothing written.
    std::fs::remove_file(fonts.join("Italic.ttf")).unwrap();
    let out2 = d.path().join("out2");
    let o = kehoach(&["render", plan.to_str().unwrap(), "-o", out2.to_str().unwrap(), "--format", "all", "--font-dir", fonts.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("thiếu kiểu nghiêng"), "{}", stderr(&o));
    assert!(!out2.exists());
}

#[test]
fn preview_without_a_display_prints_the_path() {
    let o = Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["preview", repo().join("samples/seed-004.json").to_str().unwrap()])
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let path = String::from_utf8(o.stdout).unwrap().trim().to_string();
    assert!(path.ends_with("seed-004.pdf"), "{path}");
    assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF-"));
}

#[test]
fn check_groups_findings_by_field_and_exits_1_on_errors() {
    let d = tempfile::tempdir().unwrap();
    let p = broken_plan(d.path(), "a.json", |v| {
        v["ky_hieu"] = serde_json::json!("Số: 06/KH-UBND");
        v["nguoi_ky"]["ho_ten"] = serde_json::json!("TS. Lê Ngọc Ân");
    });
    let o = kehoach(&["check", &p]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(out.contains("3 lỗi"), "{out}");
    // One heading per field, its findings under it, each with its rule and clause.
    let ky = out.find("  `ky_hieu` (ký hiệu, dòng ").expect(&out);
    let so1 = out.find("lỗi [KH-SO-01]").expect(&out);
    let so2 = out.find("lỗi [KH-SO-02]").expect(&out);
    let ten = out.find("  `nguoi_ky.ho_ten` (họ tên người ký, dòng ").expect(&out);
    assert!(ky < so1 && so1 < so2 && so2 < ten, "{out}");
    assert!(out.contains("theo: NĐ 30/2020, Phụ lục I, Phần I, mục II.3"), "{out}");
    assert_eq!(out.matches("`ky_hieu`").count(), 1, "grouped: {out}");
}

#[test]
fn check_with_only_warnings_exits_0() {
    // seed-000 mixes "hóa" and "hoá": a warning, not an error.
    let o = kehoach(&["check", repo().join("samples/seed-000.json").to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("cảnh báo [KH-MA-03]") && out.contains("“hóa”") && out.contains("“hoá”"), "{out}");
}

#[test]
fn check_json_is_for_machines() {
    let d = tempfile::tempdir().unwrap();
    let bad = broken_plan(d.path(), "bad.json", |v| v["ky_hieu"] = serde_json::json!("KH - UBND"));
    let unreadable = broken_plan(d.path(), "unreadable.json", |v| v["so"] = serde_json::json!("06"));
    let good = repo().join("samples/seed-002.json");
    let o = kehoach(&["check", "--format", "json", good.to_str().unwrap(), &bad, &unreadable]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(v[0]["hop_le"], true);
    assert_eq!(v[1]["hop_le"], false);
    assert_eq!(v[1]["so_loi"], 1);
    let f = &v[1]["phat_hien"][0];
    assert_eq!((f["ma"].as_str(), f["muc_do"].as_str(), f["truong"].as_str()), (Some("KH-SO-04"), Some("loi"), Some("ky_hieu")));
    assert!(f["thong_bao"].as_str().unwrap().contains("khoảng trắng") && f["can_cu"].as_str().unwrap().contains("NĐ 30"));
    assert_eq!(v[2]["loi_doc"]["truong"], "so");
    assert!(v[2]["loi_doc"]["dong"].as_u64().is_some());
}

#[test]
fn render_refuses_to_write_on_a_rule_error_and_names_it() {
    let out = tempfile::tempdir().unwrap();
    let p = broken_plan(out.path(), "a.json", |v| v["noi_nhan"]["luu"] = serde_json::json!("Lưu: VT, VP"));
    let o = kehoach(&["render", &p, "-o", out.path().join("o").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let msg = stderr(&o);
    assert!(msg.starts_with("Lỗi: `noi_nhan.luu` (dòng lưu, dòng ") && msg.contains("KH-NN-01"), "{msg}");
    assert!(!out.path().join("o").exists());
}

#[test]
fn render_prints_warnings_and_writes() {
    let out = tempfile::tempdir().unwrap();
    let o = kehoach(&["render", repo().join("samples/seed-000.json").to_str().unwrap(), "-o", out.path().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).starts_with("Cảnh báo: ") && stderr(&o).contains("KH-MA-03"), "{}", stderr(&o));
    assert_eq!(files_in(out.path()), ["seed-000.docx", "seed-000.pdf"]);
}

#[test]
fn schema_prints_a_draft_2020_12_schema() {
    let o = kehoach(&["schema"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(v["additionalProperties"], false);
    assert!(v["properties"]["ky_hieu"]["description"].as_str().unwrap().contains("Ký hiệu"));
}
