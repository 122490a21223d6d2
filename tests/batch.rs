//! `kehoach batch` as users run it: JSON and CSV units (as Excel saves them), one bad unit among good
//! ones, hostile ids, expressions about the unit in the text, the ZIP, the report, the review PDF,
//! atomic writes, and the same bytes whatever the number of threads.

mod common;
use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kehoach(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kehoach")).args(args).output().expect("runs")
}

/// Runs in `dir` (for the files a run writes in the current folder).
fn kehoach_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kehoach")).current_dir(dir).args(args).output().expect("runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every file under `dir`, as paths relative to it, sorted.
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

fn sample_path(name: &str) -> PathBuf {
    repo().join("samples").join(name)
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn report(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("bao-cao.json")).unwrap()).unwrap()
}

fn pdf_pages(bytes: &[u8]) -> usize {
    lopdf::Document::load_mem(bytes).expect("a PDF that reads back").get_pages().len()
}

/// The text of a DOCX's body.
fn docx_text(bytes: &[u8]) -> String {
    paragraphs(&part(bytes, "word/document.xml")).iter().map(|p| p.text.clone()).collect::<Vec<_>>().join("\n")
}

/// The variables the sample parent plan's expressions use, for a unit of our own.
fn xa(ten: &str, cap: &str) -> Value {
    json!({"ma": ten, "ten": ten, "cap": cap, "ap": "ấp", "tinh": "Đồng Tháp", "ty_le_truc_tuyen": 80, "ty_le_hai_long": 95})
}

#[test]
fn json_units_are_merge_patches_of_the_plan() {
    let d = tempfile::tempdir().unwrap();
    let units = json!([
        {"ma": "Xã Tân Hồng", "so": 7, "co_quan_ban_hanh": ["ỦY BAN NHÂN DÂN", "XÃ TÂN HỒNG"],
         "nguoi_ky": {"ho_ten": "Lê Văn Bình"}},
        {"ma": "Xã Tràm Chim", "so": null, "dia_danh": "Tràm Chim"},
    ]);
    let u = write(d.path(), "don-vi.json", &units.to_string());
    let out = d.path().join("out");
    let o = kehoach(&["batch", s(&sample_path("seed-002.json")), "--format", "docx", "--units", s(&u), "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(tree(&out), ["bao-cao.json", "xa-tan-hong.docx", "xa-tram-chim.docx"]);
    let a = docx_text(&std::fs::read(out.join("xa-tan-hong.docx")).unwrap());
    assert!(a.contains("Số: 07/KH-UBND") && a.contains("XÃ TÂN HỒNG") && a.contains("Lê Văn Bình"), "{a}");
    // Untouched fields keep the parent's values; an object merges (the signer keeps the title).
    assert!(a.contains("Châu Thành, ngày 20 tháng 01 năm 2022") && a.contains("CHỦ TỊCH"), "{a}");
    // `null` removes the field: no number yet.
    let b = docx_text(&std::fs::read(out.join("xa-tram-chim.docx")).unwrap());
    assert!(b.contains("/KH-UBND") && !b.contains("Số: 06/"), "{b}");
    assert!(b.contains("Tràm Chim, ngày 20 tháng 01 năm 2022"), "{b}");
}

#[test]
fn csv_units_set_fields_by_path() {
    let d = tempfile::tempdir().unwrap();
    let csv = "ma,so,nguoi_ky.ho_ten,co_quan_ban_hanh[1],can_cu[3]\n\
               Phường Mỹ Tho,12,Trần Thị Lan,PHƯỜNG MỸ THO,\"Căn cứ Kế hoạch số 1/KH-UBND ngày 02 tháng 01 năm 2022 của Ủy ban nhân dân tỉnh, thành phố\"\n\
               Xã Mỹ Hiệp,,Võ Minh Trí,XÃ MỸ HIỆP,\n";
    let u = write(d.path(), "don-vi.csv", csv);
    let out = d.path().join("out");
    let o = kehoach(&["batch", s(&sample_path("seed-002.json")), "--units", s(&u), "-o", s(&out), "--format", "all"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(tree(&out), ["bao-cao.json", "phuong-my-tho.docx", "phuong-my-tho.pdf", "xa-my-hiep.docx", "xa-my-hiep.pdf"]);
    let a = docx_text(&std::fs::read(out.join("phuong-my-tho.docx")).unwrap());
    assert!(a.contains("Số: 12/KH-UBND") && a.contains("PHƯỜNG MỸ THO") && a.contains("Trần Thị Lan"), "{a}");
    assert!(a.contains("của Ủy ban nhân dân tỉnh, thành phố"), "a fourth căn cứ was appended: {a}");
    // An empty cell leaves the parent's value.
    let b = docx_text(&std::fs::read(out.join("xa-my-hiep.docx")).unwrap());
    assert!(b.contains("Số: 06/KH-UBND") && b.contains("XÃ MỸ HIỆP") && !b.contains("tỉnh, thành phố"), "{b}");
    let r = report(&out);
    assert_eq!(r["don_vi"][0]["dong"], 2);
    assert_eq!(r["don_vi"][1]["dong"], 3);
}

#[test]
fn excel_csv_with_bom_crlf_semicolons_and_quoted_line_breaks() {
    let d = tempfile::tempdir().unwrap();
    for (name, sep) in [("phay.csv", ","), ("cham-phay.csv", ";")] {
        let rows = [
            ["ma", "co_quan_ban_hanh", "nguoi_ky.ho_ten", "mo_dau"].join(sep),
            [
                "Xã Tân Hòa",
                "\"ỦY BAN NHÂN DÂN\r\nXÃ TÂN HÒA\"",
                "Nguyễn Văn An",
                "\"Ủy ban nhân dân xã ban hành Kế hoạch, gồm: \"\"mục đích\"\"; nội dung; tổ chức thực hiện\"",
            ]
            .join(sep),
            ["Xã Hòa Long", "\"ỦY BAN NHÂN DÂN\r\nXÃ HÒA LONG\"", "\"Lê Thị, Bình\"", ""].join(sep),
            // Excel leaves rows of empty cells under the data.
            [""; 4].join(sep),
        ];
        let text = format!("\u{feff}{}\r\n", rows.join("\r\n"));
        let u = write(d.path(), name, &text);
        let out = d.path().join(name.replace(".csv", ""));
        let o = kehoach(&["batch", s(&sample_path("seed-002.json")), "--format", "docx", "--units", s(&u), "-o", s(&out)]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        assert_eq!(tree(&out), ["bao-cao.json", "xa-hoa-long.docx", "xa-tan-hoa.docx"], "{name}");
        let a = docx_text(&std::fs::read(out.join("xa-tan-hoa.docx")).unwrap());
        assert!(a.contains("XÃ TÂN HÒA") && !a.contains('\r'), "{name}: {a}");
        assert!(a.contains("gồm: \"mục đích\"; nội dung; tổ chức thực hiện"), "{name}: {a}");
        let b = docx_text(&std::fs::read(out.join("xa-hoa-long.docx")).unwrap());
        assert!(b.contains("Lê Thị, Bình") && b.contains("XÃ HÒA LONG"), "{name}: {b}");
        // Line numbers count the quoted line break.
        let r = report(&out);
        assert_eq!((r["don_vi"][0]["dong"].clone(), r["don_vi"][1]["dong"].clone()), (json!(2), json!(4)), "{name}");
        assert_eq!(r["tong_ket"]["so_don_vi"], 2);
    }
}

#[test]
fn a_bad_unit_fails_alone() {
    let d = tempfile::tempdir().unwrap();
    let units = json!([
        {"ma": "Xã Một", "so": 1},
        {"ma": "Xã Hai", "ngay": "2026-02-30"},
        {"ma": "Xã Ba", "ky_hieu": "KH - UBND"},
        {"ma": "Xã Bốn", "so": "số 4"},
        {"ma": "Xã Năm", "ky_hieuu": "KH-UBND"},
        "Xã Sáu",
        {"ma": "Xã Bảy", "so": 7},
    ]);
    let u = write(d.path(), "don-vi.json", &units.to_string());
    let out = d.path().join("out");
    let o = kehoach(&["batch", s(&sample_path("seed-002.json")), "--format", "docx", "--units", s(&u), "-o", s(&out), "-j", "2"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(tree(&out), ["bao-cao.json", "xa-bay.docx", "xa-mot.docx"]);
    let err = stderr(&o);
    for m in [
        "Lỗi: đơn vị `Xã Hai` (thứ 2): `ngay`: ngày 2026-02-30 không tồn tại",
        "Lỗi: đơn vị `Xã Ba` (thứ 3): `ky_hieu`:",
        "Lỗi: đơn vị `Xã Bốn` (thứ 4): `so`: cần số nguyên không âm nhưng gặp chuỗi \"số 4\"",
        "Lỗi: đơn vị `Xã Năm` (thứ 5): `ky_hieuu`:",
        "có phải `ky_hieu`?",
        "Lỗi: đơn vị thứ 6: mỗi đơn vị phải là một đối tượng",
        "5/7 đơn vị có lỗi",
    ] {
        assert!(err.contains(m), "missing {m:?} in:\n{err}");
    }
    // In the order of the units file.
    assert!(err.find("`Xã Hai`").unwrap() < err.find("`Xã Ba`").unwrap() && err.find("`Xã Bốn`").unwrap() < err.find("thứ 6").unwrap());
    let r = report(&out);
    let units = r["don_vi"].as_array().unwrap();
    assert_eq!(units.len(), 7);
    assert_eq!(units[1]["ma"], "Xã Hai");
    assert_eq!(units[1]["trang_thai"], "loi");
    assert_eq!(units[1]["tep"], json!([]));
    assert_eq!(units[1]["loi"][0]["truong"], "ngay");
    assert!(units[2]["loi"].as_array().unwrap().iter().any(|e| e["truong"] == "ky_hieu" && e["ma"] == "KH-SO-04"), "{}", units[2]);
    assert_eq!(units[3]["loi"][0]["truong"], "so");
    assert_eq!(units[6]["trang_thai"], "da_xuat");
    assert_eq!(units[6]["tep"], json!(["xa-bay.docx"]));
    assert_eq!(r["tong_ket"], json!({"so_don_vi": 7, "da_xuat": 2, "loi": 5, "so_tep": 2, "co_canh_bao": 0}));
}

#[test]
fn hostile_ids_never_leave_the_folder() {
    let d = tempfile::tempdir().unwrap();
    let ids = ["../x", "/etc/passwd", "CON", "", "..", "Phường Đông Hưng Thuận", "aux.txt", "C:\\Windows\\win.ini", "....", "\u{1b}[2J\u{1b}[31mxã Đỏ\u{7}"];
    let units: Vec<Value> = ids.iter().map(|id| json!({"ma": id})).collect();
    let u = write(d.path(), "don-vi.json", &Value::Array(units).to_string());
    let out = d.path().join("a").join("out");
    let o = kehoach(&["batch", s(&sample_path("seed-002.json")), "--format", "docx", "--units", s(&u), "-o", s(&out)]);
    // The ids with nothing to name a file after fail alone; the others are written.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        tree(&out),
        ["2j-31mxa-do.docx", "aux-txt.docx", "bao-cao.json", "c-windows-win-ini.docx", "don-vi-con.docx", "etc-passwd.docx", "phuong-dong-hung-thuan.docx", "x.docx"]
    );
    let err = stderr(&o);
    assert!(err.contains("đơn vị thứ 4: đơn vị không có mã") && err.contains("mã `..` không có chữ hay số"), "{err}");
    // Nothing next to the output folder, nothing above it.
    assert_eq!(tree(&d.path().join("a")).iter().filter(|p| !p.starts_with("out/")).count(), 0);
    assert_eq!(tree(d.path()).iter().filter(|p| !p.starts_with("a/")).collect::<Vec<_>>(), ["don-vi.json"]);
    let r = report(&out);
    assert_eq!(r["don_vi"][0]["ma"], "../x");
    assert_eq!(r["don_vi"][0]["ten_tep"], "x");
    assert_eq!(r["don_vi"][9]["ma"], "\u{1b}[2J\u{1b}[31mxã Đỏ\u{7}", "the report keeps the id as given");
}

#[test]
fn control_characters_in_ids_are_escaped_when_echoed() {
    let d = tempfile::tempdir().unwrap();
    let csv = "ma,ngay\n\u{1b}[2J\u{1b}[31mxã Đỏ\u{7}\u{202e},2026-02-30\n";
    let u = write(d.path(), "don-vi.csv", csv);
    let out = d.path().join("out");
    let o = kehoach(&["batch", s(&sample_path("seed-002.json")), "--format", "docx", "--units", s(&u), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}') && !err.contains('\u{202e}'), "{err:?}");
    assert!(err.contains("đơn vị `\\u{1b}[2J\\u{1b}[31mxã Đỏ\\u{7}\\u{202e}` (dòng 2)"), "{err}");
}

#[test]
fn file_names_depend_on_the_id_alone_and_clashes_are_refused_before_any_work() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    // Ids that differ only in tone marks would share a name: refused, listed, nothing written.
    let units = json!([{"ma": "xã Phú An"}, {"ma": "xã Phù An"}, {"ma": "xã Phú An 2"}, {"ma": "xã Phụ An"}, {"ma": "Xã Tân Hòa"}, {"ma": "XÃ TÂN HÒA"}]);
    let u = write(d.path(), "don-vi.json", &units.to_string());
    let o = kehoach(&["batch", s(&sample_path("seed-002.json")), "--format", "docx", "--units", s(&u), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("2 tên tệp trùng nhau"), "{err}");
    assert!(err.contains("`xa-phu-an`: đơn vị `xã Phú An` (thứ 1), đơn vị `xã Phù An` (thứ 2), đơn vị `xã Phụ An` (thứ 4)"), "{err}");
    assert!(err.contains("`xa-tan-hoa`: đơn vị `Xã Tân Hòa` (thứ 5), đơn vị `XÃ TÂN HÒA` (thứ 6)") && err.contains("cột `ma`"), "{err}");
    assert!(tree(&out).is_empty(), "{:?}", tree(&out));
    // A CSV with a `ma` column for the ones that clash (an empty `ma` is the first column).
    let csv = "ten,ma\nxã Phú An,\nxã Phù An,xã Phù An (Tây Ninh)\nxã Phú An 2,\n";
    let u = write(d.path(), "don-vi.csv", csv);
    let o = kehoach(&["batch", s(&sample_path("seed-002.json")), "--format", "docx", "--units", s(&u), "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(tree(&out), ["bao-cao.json", "xa-phu-an-2.docx", "xa-phu-an-tay-ninh.docx", "xa-phu-an.docx"]);
    let r = report(&out);
    assert_eq!((r["don_vi"][1]["ma"].clone(), r["don_vi"][1]["ten_tep"].clone()), (json!("xã Phù An (Tây Ninh)"), json!("xa-phu-an-tay-ninh")));
    let text = docx_text(&std::fs::read(out.join("xa-phu-an-2.docx")).unwrap());
    assert!(text.contains("KẾ HOẠCH"));
}

#[test]
fn expressions_about_the_unit_are_rendered_and_their_errors_named() {
    let d = tempfile::tempdir().unwrap();
    let mut bad = xa("xã Tân Phú", "xã");
    bad.as_object_mut().unwrap().remove("ty_le_hai_long");
    let units = json!([xa("phường Mỹ Phước Tây", "phường"), bad, xa("xã Ba Sao", "xã")]);
    let u = write(d.path(), "don-vi.json", &units.to_string());
    let out = d.path().join("out");
    let o = kehoach(&["batch", s(&sample_path("xa-mau-2026.json")), "--format", "docx", "--units", s(&u), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(tree(&out), ["bao-cao.json", "phuong-my-phuoc-tay.docx", "xa-ba-sao.docx"]);
    let a = docx_text(&std::fs::read(out.join("phuong-my-phuoc-tay.docx")).unwrap());
    for m in [
        "UBND TỈNH ĐỒNG THÁP",
        "PHƯỜNG MỸ PHƯỚC TÂY",
        "Ủy ban nhân dân phường Mỹ Phước Tây ban hành Kế hoạch",
        "trực tuyến toàn trình đạt từ 80% trở lên",
        "đạt từ 95% trở lên",
        "Trưởng ấp",
    ] {
        assert!(a.contains(m), "missing {m:?}");
    }
    assert!(!a.contains("{{") && !a.contains("don_vi"), "{a}");
    let err = stderr(&o);
    assert!(
        err.contains("Lỗi: đơn vị `xã Tân Phú` (thứ 2): `noi_dung[1].muc_con[0].muc_con[4]`: biểu thức trong chuỗi")
            && err.contains("không có giá trị `ty_le_hai_long`"),
        "{err}"
    );
    let r = report(&out);
    assert_eq!(r["don_vi"][1]["loi"][0]["truong"], "noi_dung[1].muc_con[0].muc_con[4]");
}

#[test]
fn zip_holds_every_output_and_the_report() {
    let d = tempfile::tempdir().unwrap();
    let units = json!([{"ma": "Xã Một"}, {"ma": "Xã Hai", "ngay": "2026-13-01"}, {"ma": "Xã Ba"}]);
    let u = write(d.path(), "don-vi.json", &units.to_string());
    let zip_path = d.path().join("zip").join("ket-qua.zip");
    let o = kehoach_in(d.path(), &["batch", s(&sample_path("seed-004.json")), "--units", s(&u), "--format", "all", "--zip", s(&zip_path)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // Without -o the files go only into the ZIP; the report is also written in the current folder.
    assert_eq!(tree(&d.path().join("zip")), ["ket-qua.zip"]);
    assert_eq!(tree(d.path()), ["bao-cao.json", "don-vi.json", "zip/ket-qua.zip"]);
    let mut z = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let names: Vec<String> = (0..z.len()).map(|i| z.by_index(i).unwrap().name().to_string()).collect();
    assert_eq!(names, ["xa-mot.docx", "xa-mot.pdf", "xa-ba.docx", "xa-ba.pdf", "bao-cao.json"]);
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut bytes).unwrap();
        let name = f.name().to_string();
        match name.rsplit('.').next().unwrap() {
            "docx" => {
                assert!(bytes.starts_with(b"PK\x03\x04"), "{name}");
                assert!(docx_text(&bytes).contains("KẾ HOẠCH"), "{name}");
            }
            "pdf" => {
                assert!(bytes.starts_with(b"%PDF-"), "{name}");
                assert!(pdf_pages(&bytes) >= 1);
            }
            _ => {
                let r: Value = serde_json::from_slice(&bytes).unwrap();
                assert_eq!(r["tong_ket"]["da_xuat"], 2);
                assert_eq!(r["zip"], s(&zip_path));
                assert_eq!(r["thu_muc"], Value::Null);
            }
        }
    }
}

#[test]
fn the_report_lists_every_unit_in_order() {
    let d = tempfile::tempdir().unwrap();
    let units = json!([{"ma": "Xã Một"}, {"ma": "Xã Hai", "trich_yeu": "Kế hoạch cải cách hành chính."}]);
    let u = write(d.path(), "don-vi.json", &units.to_string());
    let out = d.path().join("out");
    let o = kehoach(&["batch", s(&sample_path("seed-002.json")), "--units", s(&u), "-o", s(&out), "--format", "pdf"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let r = report(&out);
    assert_eq!(r["chuong_trinh"], format!("kehoach {}", env!("CARGO_PKG_VERSION")));
    assert_eq!(r["tep_don_vi"], s(&u));
    assert_eq!(r["dinh_dang"], json!(["pdf"]));
    assert_eq!(r["loi_tep_don_vi"], Value::Null);
    let a = &r["don_vi"][0];
    assert_eq!((a["stt"].clone(), a["ma"].clone(), a["ten_tep"].clone()), (json!(1), json!("Xã Một"), json!("xa-mot")));
    assert_eq!(a["trang_thai"], "da_xuat");
    assert_eq!(a["tep"], json!(["xa-mot.pdf"]));
    let pages = pdf_pages(&std::fs::read(out.join("xa-mot.pdf")).unwrap());
    assert_eq!(a["so_trang"], pages);
    // Warnings of the rules of thể thức are listed, and do not stop the unit.
    let b = &r["don_vi"][1];
    assert_eq!(b["trang_thai"], "da_xuat");
    assert!(b["phat_hien"].as_array().unwrap().iter().any(|f| f["truong"] == "trich_yeu" && f["muc_do"] == "canh_bao"), "{b}");
    assert_eq!(r["tong_ket"]["co_canh_bao"], 1);
    assert!(stderr(&o).contains("Cảnh báo: 1 đơn vị có cảnh báo"), "{}", stderr(&o));
}

#[test]
fn review_pdf_has_every_page_in_order() {
    let d = tempfile::tempdir().unwrap();
    let units = json!([{"ma": "A"}, {"ma": "B", "ngay": "x"}, {"ma": "C", "trich_yeu": "Kế hoạch ngắn"}, {"ma": "D"}]);
    let u = write(d.path(), "don-vi.json", &units.to_string());
    let out = d.path().join("out");
    let review = d.path().join("ban-xem.pdf");
    let o = kehoach(&[
        "batch",
        s(&sample_path("seed-000.json")),
        "--units",
        s(&u),
        "-o",
        s(&out),
        "--format",
        "pdf",
        "--review",
        s(&review),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let sum: usize = ["a", "c", "d"].iter().map(|n| pdf_pages(&std::fs::read(out.join(format!("{n}.pdf"))).unwrap())).sum();
    let bytes = std::fs::read(&review).unwrap();
    assert_eq!(pdf_pages(&bytes), sum);
    // Each unit's pages in order: C's title page comes after A's pages.
    if let Some(pdftotext) = tool("PDFTOTEXT", &["pdftotext"]) {
        let o = Command::new(pdftotext).arg(&review).arg("-").output().unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        let pages: Vec<&str> = text.split('\u{c}').collect();
        let a_pages = pdf_pages(&std::fs::read(out.join("a.pdf")).unwrap());
        assert!(pages[a_pages].contains("Kế hoạch ngắn"), "{}", pages[a_pages]);
    }
}

#[test]
fn no_temporary_file_is_left() {
    let d = tempfile::tempdir().unwrap();
    let units = json!([{"ma": "Một"}, {"ma": "Hai", "so": "x"}, {"ma": "Ba"}]);
    let u = write(d.path(), "don-vi.json", &units.to_string());
    let out = d.path().join("out");
    let o = kehoach(&[
        "batch",
        s(&sample_path("seed-004.json")),
        "--units",
        s(&u),
        "-o",
        s(&out),
        "--format",
        "all",
        "--zip",
        s(&out.join("tat-ca.zip")),
        "--review",
        s(&out.join("ban-xem.pdf")),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let files = tree(&out);
    assert_eq!(files, ["ba.docx", "ba.pdf", "ban-xem.pdf", "bao-cao.json", "mot.docx", "mot.pdf", "tat-ca.zip"]);
    assert!(!files.iter().any(|f| f.ends_with(".tmp") || f.starts_with('.')));
}

#[test]
fn one_thread_or_four_give_the_same_bytes() {
    let d = tempfile::tempdir().unwrap();
    let units: Vec<Value> = (1..=12)
        .map(|i| {
            let mut u = xa(&format!("xã Thử Nghiệm {i}"), "xã");
            u["so"] = json!(i);
            if i == 5 {
                u["ngay"] = json!("2026-02-30");
            }
            u
        })
        .collect();
    let u = write(d.path(), "don-vi.json", &Value::Array(units).to_string());
    let run = |j: &str| {
        let out = d.path().join(format!("j{j}"));
        let o = kehoach(&[
            "batch",
            s(&sample_path("xa-mau-2026.json")),
            "--units",
            s(&u),
            "-o",
            s(&out),
            "--format",
            "all",
            "-j",
            j,
            "--zip",
            s(&out.join("z/tat-ca.zip")),
            "--review",
            s(&out.join("z/ban-xem.pdf")),
        ]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        out
    };
    let (a, b) = (run("1"), run("4"));
    let files = tree(&a);
    assert_eq!(files.len(), 11 * 2 + 3);
    assert_eq!(files, tree(&b));
    for f in &files {
        let (x, y) = (std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap());
        // The report names its own output folder, which differs between the two runs.
        let norm = |v: &[u8], dir: &Path| String::from_utf8_lossy(v).replace(s(dir), "DIR");
        if f == "bao-cao.json" {
            assert_eq!(norm(&x, &a), norm(&y, &b), "{f}");
        } else if f.ends_with(".zip") {
            let entries = |bytes: Vec<u8>| {
                let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
                (0..z.len())
                    .map(|i| {
                        let mut e = z.by_index(i).unwrap();
                        let mut v = Vec::new();
                        std::io::Read::read_to_end(&mut e, &mut v).unwrap();
                        (e.name().to_string(), v)
                    })
                    .collect::<Vec<_>>()
            };
            let (ex, ey) = (entries(x), entries(y));
            assert_eq!(ex.len(), 11 * 2 + 1);
            for ((nx, bx), (ny, by)) in ex.iter().zip(&ey) {
                assert_eq!(nx, ny);
                if nx == "bao-cao.json" {
                    assert_eq!(norm(bx, &a), norm(by, &b));
                } else {
                    assert!(bx == by, "{nx} in the ZIP differs between -j 1 and -j 4");
                }
            }
        } else {
            assert!(x == y, "{f} differs between -j 1 and -j 4");
        }
    }
}

#[test]
fn the_200_units_sample_gives_199_plans_and_names_the_broken_one() {
    let out = tempfile::tempdir().unwrap();
    let o = kehoach(&[
        "batch",
        s(&sample_path("xa-mau-2026.json")),
        "--format",
        "docx",
        "--units",
        s(&sample_path("don-vi-200.csv")),
        "-o",
        s(out.path()),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("Lỗi: đơn vị `xã Cần Đăng` (dòng 139): `ngay`: ngày 2026-02-30 không tồn tại"), "{err}");
    assert!(err.contains("1/200 đơn vị có lỗi"), "{err}");
    let files = tree(out.path());
    assert_eq!(files.iter().filter(|f| f.ends_with(".docx")).count(), 199);
    // The units whose names differ only in tone marks, or are the same in two provinces, have a `ma`.
    for f in ["xa-chau-thanh-dong-thap.docx", "xa-chau-thanh-an-giang.docx", "xa-tan-thanh.docx", "xa-tan-thanh-dong-thap.docx", "xa-tan-thanh-an-giang.docx"] {
        assert!(files.contains(&f.to_string()), "{f} missing");
    }
    let text = docx_text(&std::fs::read(out.path().join("xa-tan-thanh-dong-thap.docx")).unwrap());
    assert!(text.contains("XÃ TÂN THẠNH") && text.contains("Ủy ban nhân dân xã Tân Thạnh"), "{text}");
    let r = report(out.path());
    assert_eq!(r["tong_ket"], json!({"so_don_vi": 200, "da_xuat": 199, "loi": 1, "so_tep": 199, "co_canh_bao": 0}));
    let text = docx_text(&std::fs::read(out.path().join("phuong-sa-dec.docx")).unwrap());
    assert!(text.contains("PHƯỜNG SA ĐÉC") && text.contains("Trưởng các khu phố") && !text.contains("{{"), "{text}");
    // No progress bar when standard error is not a terminal.
    assert!(!err.contains('\u{1b}') && !err.contains("đơn vị ·"), "{err}");
}

#[test]
fn a_broken_units_file_still_gives_the_units_before_the_break() {
    let d = tempfile::tempdir().unwrap();
    let u = write(d.path(), "don-vi.json", "[\n  {\"ma\": \"Một\"},\n  {\"ma\": \"Hai\"},\n  {\"ma\": \"Ba\" \"so\": 3}\n]\n");
    let out = d.path().join("out");
    let o = kehoach(&["batch", s(&sample_path("seed-002.json")), "--format", "docx", "--units", s(&u), "-o", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(tree(&out), ["bao-cao.json", "hai.docx", "mot.docx"]);
    let err = stderr(&o);
    assert!(err.contains("thiếu dấu phẩy") && err.contains("dòng 4") && err.contains("sau đơn vị thứ 2"), "{err}");
    assert!(report(&out)["loi_tep_don_vi"].as_str().unwrap().contains("dòng 4"));
}

#[test]
fn whole_run_errors_write_nothing() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("out");
    let plan = s(&sample_path("seed-002.json")).to_string();
    let cases: Vec<(String, &str, Vec<&str>)> = vec![
        (write(d.path(), "a.csv", "ma,ky_hieuu\nx,y\n").to_string_lossy().into(), "a", vec!["cột 2", "`ky_hieuu`", "có phải `ky_hieu`?"]),
        (write(d.path(), "b.csv", "ma,nguoi_ky.ho_tenn\nx,y\n").to_string_lossy().into(), "b", vec!["`nguoi_ky.ho_tenn`", "có phải `ho_ten`?"]),
        (write(d.path(), "c.json", "[]").to_string_lossy().into(), "c", vec!["trống"]),
        (write(d.path(), "d.json", "{\"ma\": 1}").to_string_lossy().into(), "d", vec!["danh sách"]),
        (d.path().join("khong-co.csv").to_string_lossy().into(), "e", vec!["không tìm thấy"]),
    ];
    for (units, tag, must) in cases {
        let o = kehoach(&["batch", &plan, "--format", "docx", "--units", &units, "-o", s(&out)]);
        assert_eq!(o.status.code(), Some(1), "{tag}: {}", stderr(&o));
        let err = stderr(&o);
        for m in must {
            assert!(err.contains(m), "{tag}: missing {m:?} in {err}");
        }
    }
    assert!(tree(&out).iter().all(|f| f == "bao-cao.json"), "{:?}", tree(&out));
    assert_eq!(kehoach(&["batch", &plan]).status.code(), Some(2));
    assert_eq!(kehoach(&["batch", &plan, "--format", "docx", "--units", "x.csv", "-j", "0"]).status.code(), Some(2));
}

#[test]
fn a_long_review_is_written_in_parts_and_joined_in_order() {
    // 101 plans of 4 pages: more than one part of the review PDF (400 pages).
    let d = tempfile::tempdir().unwrap();
    let units: Vec<Value> = (1..=101).map(|i| json!({"ma": format!("Đơn vị {i}"), "co_quan_ban_hanh": ["KHỐI THI ĐUA", format!("ĐƠN VỊ SỐ {i}")]})).collect();
    let u = write(d.path(), "don-vi.json", &Value::Array(units).to_string());
    let out = d.path().join("out");
    let review = d.path().join("ban-xem.pdf");
    let o = kehoach(&[
        "batch",
        s(&sample_path("seed-004.json")),
        "--units",
        s(&u),
        "-o",
        s(&out),
        "--format",
        "pdf",
        "--review",
        s(&review),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let one = pdf_pages(&std::fs::read(out.join("don-vi-1.pdf")).unwrap());
    let bytes = std::fs::read(&review).unwrap();
    assert!(101 * one > 400, "the review must need more than one part");
    assert_eq!(pdf_pages(&bytes), 101 * one);
    assert!(String::from_utf8_lossy(&o.stdout).contains(&format!("({} trang)", 101 * one)));
    if let Some(qpdf) = require("qpdf", tool("QPDF", &["qpdf"])) {
        let c = Command::new(qpdf).arg("--check").arg(&review).output().unwrap();
        assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stdout));
    }
    if let Some(pdftotext) = require("pdftotext", tool("PDFTOTEXT", &["pdftotext"])) {
        // The first page of the last unit, in the second part.
        let first = (100 * one + 1).to_string();
        let o = Command::new(pdftotext).args(["-f", &first, "-l", &first]).arg(&review).arg("-").output().unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(text.contains("ĐƠN VỊ SỐ 101"), "{text}");
    }
    assert!(!tree(d.path()).iter().any(|f| f.ends_with(".tmp")));
}

#[test]
fn phu_luc_rieng_writes_each_phu_luc_of_each_unit_as_files_of_its_own() {
    let d = tempfile::tempdir().unwrap();
    let plan = sample_path("phu-luc-nd30.json");
    let units = write(d.path(), "dv.json", &json!([{"ma": "Ấp 1"}, {"ma": "Ấp 2", "so": 9}]).to_string());
    let out = d.path().join("out");
    let review = d.path().join("xem.pdf");
    let o = kehoach(&["batch", s(&plan), "--units", s(&units), "-o", s(&out), "--phu-luc", "rieng", "--review", s(&review)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut want = Vec::new();
    for u in ["ap-1", "ap-2"] {
        for stem in [u.to_string(), format!("{u}-phu-luc-1"), format!("{u}-phu-luc-2")] {
            want.push(format!("{stem}.docx"));
            want.push(format!("{stem}.pdf"));
        }
    }
    want.push("bao-cao.json".into());
    want.sort();
    assert_eq!(tree(&out), want);
    // The same files as `render --phu-luc rieng` of that unit: the DOCX byte for byte, the PDF with
    // the same pages (a batch deflates faster).
    let one = d.path().join("mot");
    let o = kehoach(&["render", s(&plan), "--units", s(&units), "--ma", "Ấp 2", "-o", s(&one), "--phu-luc", "rieng"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for stem in ["ap-2", "ap-2-phu-luc-1", "ap-2-phu-luc-2"] {
        assert_eq!(std::fs::read(out.join(format!("{stem}.docx"))).unwrap(), std::fs::read(one.join(format!("{stem}.docx"))).unwrap(), "{stem}");
        let (a, b) = (std::fs::read(out.join(format!("{stem}.pdf"))).unwrap(), std::fs::read(one.join(format!("{stem}.pdf"))).unwrap());
        assert_eq!(pdf_pages(&a), pdf_pages(&b), "{stem}");
    }
    // The plan's files have no phụ lục; each phụ lục's file has its own and nothing of the plan.
    let plan_text = docx_text(&std::fs::read(out.join("ap-2.docx")).unwrap());
    assert!(!plan_text.contains("(Kèm theo Kế hoạch"), "{plan_text}");
    let pl1 = docx_text(&std::fs::read(out.join("ap-2-phu-luc-1.docx")).unwrap());
    assert!(pl1.contains("Phụ lục I") && pl1.contains("(Kèm theo Kế hoạch số 09/"), "{pl1}");
    assert!(!pl1.contains("Nơi nhận"));
    // The report names every file; the review has each unit's whole plan, phụ lục included.
    let r = report(&out);
    let files: Vec<&str> = r["don_vi"][0]["tep"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert_eq!(files.len(), 6, "{files:?}");
    let whole = kehoach(&["render", s(&plan), "--units", s(&units), "--ma", "Ấp 1", "-o", s(&d.path().join("ca")), "--format", "pdf"]);
    assert!(whole.status.success(), "{}", stderr(&whole));
    let whole_pages = pdf_pages(&std::fs::read(d.path().join("ca/ap-1.pdf")).unwrap());
    assert_eq!(pdf_pages(&std::fs::read(&review).unwrap()), 2 * whole_pages);
    assert!(whole_pages > pdf_pages(&std::fs::read(out.join("ap-1.pdf")).unwrap()));
}

#[test]
fn phu_luc_rieng_refuses_a_unit_named_as_another_units_phu_luc() {
    let d = tempfile::tempdir().unwrap();
    let plan = sample_path("phu-luc-nd30.json");
    let units = write(d.path(), "dv.json", &json!([{"ma": "A"}, {"ma": "A phu luc 1"}]).to_string());
    let out = d.path().join("out");
    let o = kehoach(&["batch", s(&plan), "--units", s(&units), "-o", s(&out), "--phu-luc", "rieng"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("`a-phu-luc-1`") && e.contains("trùng"), "{e}");
    assert!(tree(&out).is_empty(), "{:?}", tree(&out));
    // Without it the two names are distinct.
    let o = kehoach(&["batch", s(&plan), "--units", s(&units), "-o", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn render_ma_finds_any_unit_of_a_json_units_file() {
    // The unit wanted is found before the end of the array: the rest is left unread, and that is
    // no error (it was reported as "trailing characters" for any unit but the last).
    let d = tempfile::tempdir().unwrap();
    let plan = sample_path("phu-luc-nd30.json");
    let units = write(d.path(), "dv.json", "[{\"ma\": \"A\"}, {\"ma\": \"B\"}, {\"ma\": \"C\"}]");
    for ma in ["A", "B", "C"] {
        let out = d.path().join(ma);
        let o = kehoach(&["render", s(&plan), "--units", s(&units), "--ma", ma, "-o", s(&out), "--format", "docx"]);
        assert!(o.status.success(), "{ma}: {}", stderr(&o));
        assert!(out.join(format!("{}.docx", ma.to_lowercase())).exists());
    }
    // A file broken before the unit wanted still is an error.
    let broken = write(d.path(), "hong.json", "[{\"ma\": \"A\"} {\"ma\": \"B\"}]");
    let o = kehoach(&["render", s(&plan), "--units", s(&broken), "--ma", "B", "-o", s(&d.path().join("x"))]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
}
