//! Phụ lục (issue 12, item 1): each starts a section of its own on a new page (landscape for
//! "ngang"), its heading and reference line come from the plan, and its pages are numbered from 1.

mod common;
use common::*;

fn plan_json(name: &str) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(repo().join("samples").join(name)).unwrap()).unwrap()
}

fn from_json(v: &serde_json::Value) -> kehoach::CheckedPlan {
    checked(kehoach::Plan::from_json(&v.to_string()).unwrap_or_else(|e| panic!("{e}")))
}

fn page_text(p: &kehoach::layout::Page) -> String {
    p.items
        .iter()
        .filter_map(|i| match i {
            kehoach::layout::Item::Text { span, .. } => Some(span.text.as_str()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("")
}

/// The first line of text on a page.
fn first_line(p: &kehoach::layout::Page) -> String {
    p.items
        .iter()
        .find_map(|i| match i {
            kehoach::layout::Item::Text { span, .. } => Some(span.text.trim().to_string()),
            _ => None,
        })
        .unwrap_or_default()
}

#[test]
fn each_phu_luc_starts_its_own_numbered_section() {
    let plan = checked(sample("phu-luc-nd30.json"));
    let engine = kehoach::Engine::default();
    let pages = engine.pages(&plan).unwrap();
    // "Phụ lục I" / "Phụ lục II" each open a page (the body names them too, but not at a page top).
    let heads: Vec<usize> = (0..pages.len()).filter(|&i| first_line(&pages[i]).starts_with("Phụ lục")).collect();
    assert_eq!(heads.len(), 2, "pages opening with a phụ lục heading: {heads:?}");
    let (a, b) = (heads[0], heads[1]);
    assert_eq!(first_line(&pages[a]), "Phụ lục I");
    assert_eq!(first_line(&pages[b]), "Phụ lục II");
    // Numbering restarts: the first page of each phụ lục shows no number, as page 1 of the plan.
    assert_eq!(pages[a].number, None);
    assert_eq!(pages[b].number, None);
    assert!(pages[a].setup.width < pages[a].setup.height, "phụ lục I is portrait");
    assert!(pages[b].setup.width > pages[b].setup.height, "phụ lục II is landscape");
    let kem = "(Kèm theo Kế hoạch số 42/KH-UBND ngày 09 tháng 3 năm 2026 của Ủy ban nhân dân xã Mỹ Hiệp)";
    let text = page_text(&pages[b]);
    // Lines are joined without their break, so compare without spaces.
    assert!(text.replace(' ', "").contains(&kem.replace(' ', "")), "{text}");

    let docx = engine.docx(&plan).unwrap();
    let doc = part(&docx, "word/document.xml");
    assert_eq!(doc.matches("<w:pgNumType w:start=\"1\"/>").count(), 2, "two restarts");
    assert_eq!(doc.matches("w:orient=\"landscape\"").count(), 1);
    assert_eq!(doc.matches("<w:titlePg/>").count(), 3, "the plan and each phụ lục hide their first number");
    let paras = paragraphs(&doc);
    let line = paras.iter().find(|p| p.text.starts_with("(Kèm theo")).expect("reference line");
    assert_eq!(line.text, kem);
    assert!(line.runs.iter().all(|r| r.italic), "the reference line is italic");
}

#[test]
fn a_long_phu_luc_numbers_its_pages_from_one() {
    let mut v = plan_json("phu-luc-nd30.json");
    let many: Vec<serde_json::Value> = (0..60).map(|i| serde_json::json!(format!("Chỉ tiêu bổ sung số {i}: nội dung đủ dài để chiếm một dòng trọn vẹn trên trang giấy A4 của phụ lục."))).collect();
    v["phu_luc"][0]["noi_dung"][1]["muc_con"] = serde_json::Value::Array(many);
    let pages = kehoach::Engine::default().pages(&from_json(&v)).unwrap();
    let first = pages.iter().position(|p| first_line(p) == "Phụ lục I").unwrap();
    let second = pages.iter().position(|p| first_line(p) == "Phụ lục II").unwrap();
    assert!(second - first >= 3, "phụ lục I runs over several pages");
    let numbers: Vec<Option<u32>> = pages[first..second].iter().map(|p| p.number).collect();
    let want: Vec<Option<u32>> = (1..=numbers.len() as u32).map(|n| (n > 1).then_some(n)).collect();
    assert_eq!(numbers, want);
    // The plan's own pages before it keep their numbers (1 hidden, then 2, …).
    assert_eq!(pages[1].number, Some(2));
}

#[test]
fn a_draft_gets_the_blank_reference_line_of_its_regime() {
    let mut v = plan_json("phu-luc-nd30.json");
    v.as_object_mut().unwrap().remove("so");
    v["ngay"] = "2026".into();
    let doc = part(&kehoach::Engine::default().docx(&from_json(&v)).unwrap(), "word/document.xml");
    let line = paragraphs(&doc).into_iter().find(|p| p.text.starts_with("(Kèm theo")).unwrap();
    assert!(line.text.starts_with("(Kèm theo Kế hoạch số       /KH-UBND ngày"), "{}", line.text);
    assert!(line.text.contains("năm 2026 của Ủy ban nhân dân xã Mỹ Hiệp)"), "{}", line.text);

    // A Party plan: Arabic numbers, "số 05-KH/ĐU" form, the body's name in normal case.
    let mut v = plan_json("dang-uy-xa-2026.json");
    v["phu_luc"] = serde_json::json!([
        {"tieu_de": "Danh sách chi bộ", "noi_dung": ["Chi bộ ấp 1."]},
        {"tieu_de": "Lịch tổ chức", "noi_dung": ["Tháng 8 năm 2026."], "huong": "ngang"}
    ]);
    let plan = from_json(&v);
    let doc = part(&kehoach::Engine::default().docx(&plan).unwrap(), "word/document.xml");
    let texts: Vec<String> = paragraphs(&doc).into_iter().map(|p| p.text).collect();
    assert!(texts.iter().any(|t| t == "Phụ lục 1") && texts.iter().any(|t| t == "Phụ lục 2"), "{texts:?}");
    let kem = texts.iter().find(|t| t.starts_with("(Kèm theo")).unwrap();
    let so = plan.plan().so.unwrap();
    assert!(kem.starts_with(&format!("(Kèm theo Kế hoạch số {so:02}-{} ngày", plan.plan().ky_hieu)), "{kem}");
}

#[test]
fn a_single_phu_luc_is_not_numbered() {
    let mut v = plan_json("phu-luc-nd30.json");
    v["phu_luc"].as_array_mut().unwrap().truncate(1);
    let doc = part(&kehoach::Engine::default().docx(&from_json(&v)).unwrap(), "word/document.xml");
    let texts: Vec<String> = paragraphs(&doc).into_iter().map(|p| p.text).collect();
    assert!(texts.iter().any(|t| t == "Phụ lục"), "{texts:?}");
    assert!(!texts.iter().any(|t| t == "Phụ lục I"));
}

#[test]
fn phu_luc_rieng_writes_each_phu_luc_as_a_file_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["render", repo().join("samples/phu-luc-nd30.json").to_str().unwrap(), "--phu-luc", "rieng", "-o"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut names: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        ["phu-luc-nd30-phu-luc-1.docx", "phu-luc-nd30-phu-luc-1.pdf", "phu-luc-nd30-phu-luc-2.docx", "phu-luc-nd30-phu-luc-2.pdf", "phu-luc-nd30.docx", "phu-luc-nd30.pdf"]
    );
    let texts = |f: &str| -> Vec<String> {
        let docx = std::fs::read(dir.path().join(f)).unwrap();
        paragraphs(&part(&docx, "word/document.xml")).into_iter().map(|p| p.text).collect()
    };
    let main = texts("phu-luc-nd30.docx");
    assert!(main.iter().any(|t| t == "Lê Thị Thu Hà"), "the plan keeps its signature");
    assert!(!main.iter().any(|t| t.starts_with("(Kèm theo")), "the plan's file has no phụ lục");
    let second = texts("phu-luc-nd30-phu-luc-2.docx");
    assert_eq!(second.iter().find(|t| !t.is_empty()).map(String::as_str), Some("Phụ lục II"));
    assert!(!second.iter().any(|t| t == "Lê Thị Thu Hà"));
    let doc2 = part(&std::fs::read(dir.path().join("phu-luc-nd30-phu-luc-2.docx")).unwrap(), "word/document.xml");
    assert!(doc2.contains("w:orient=\"landscape\"") && doc2.contains("<w:pgNumType w:start=\"1\"/>"));

    // The library: the parts of the whole, and no part that is not there.
    let engine = kehoach::Engine::default();
    let plan = checked(sample("phu-luc-nd30.json"));
    let want = kehoach::Outputs { pdf: Some(kehoach::PdfOptions::default()), ..Default::default() };
    let whole = engine.pages(&plan).unwrap().len();
    let mut sum = 0;
    for part in [kehoach::Part::KeHoach, kehoach::Part::PhuLuc(0), kehoach::Part::PhuLuc(1)] {
        let pdf = engine.render_part(&plan, part, &want).unwrap().pdf.unwrap();
        sum += lopdf::Document::load_mem(&pdf).unwrap().get_pages().len();
    }
    assert_eq!(sum, whole);
    let e = engine.render_part(&plan, kehoach::Part::PhuLuc(2), &want).unwrap_err().to_string();
    assert!(e.contains("không có phụ lục thứ 3"), "{e}");
    let field = kehoach::Outputs { pdf: Some(kehoach::PdfOptions { signature_field: true, pdfa: false }), ..Default::default() };
    assert!(engine.render_part(&plan, kehoach::Part::PhuLuc(0), &field).is_err());

    // With the signing options, the field and the boxes are the plan's; the phụ lục files are
    // archival PDFs too.
    let dir = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kehoach"))
        .args(["render", repo().join("samples/phu-luc-nd30.json").to_str().unwrap(), "--phu-luc", "rieng", "--signature-field", "--pdfa", "--sign-boxes"])
        .arg(dir.path().join("boxes.json"))
        .arg("-o")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let main = std::fs::read(dir.path().join("phu-luc-nd30.pdf")).unwrap();
    let pl = std::fs::read(dir.path().join("phu-luc-nd30-phu-luc-2.pdf")).unwrap();
    let has = |b: &[u8], s: &str| b.windows(s.len()).any(|w| w == s.as_bytes());
    assert!(has(&main, "/FT /Sig") || has(&main, "/FT/Sig"));
    assert!(!has(&pl, "/FT /Sig") && !has(&pl, "/FT/Sig"));
    assert!(has(&pl, "pdfaid:part"), "the phụ lục file is PDF/A too");
    assert!(dir.path().join("boxes.json").exists());
}
