//! Input that office staff (or a fuzzer) can feed by hand must never crash the engine: limits on
//! size and nesting with a clear message, long lists, control characters, right-to-left and
//! zero-width marks, emoji, very long words.

mod common;
use common::*;

use serde_json::{Value, json};

fn base() -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo().join("samples/xa-an-phu-2026.json")).unwrap()).unwrap()
}

fn load(v: &Value) -> Result<kehoach::Plan, kehoach::Error> {
    kehoach::Plan::from_json(&serde_json::to_string_pretty(v).unwrap())
}

/// Parses, checks and renders both formats; returns the findings and the DOCX (the PDF is checked
/// to be whole and to carry the plan's last recipient: no text may fall off a page).
fn full_run(v: &Value) -> (Vec<kehoach::Finding>, Vec<u8>) {
    let plan = checked(load(v).unwrap_or_else(|e| panic!("{e}")));
    let findings = plan.findings().to_vec();
    let engine = kehoach::Engine::default();
    let docx = engine.docx(&plan).unwrap_or_else(|e| panic!("{e}"));
    let pages = engine.pages(&plan).unwrap_or_else(|e| panic!("{e}"));
    // Nothing is placed below the bottom margin of any page.
    for (i, page) in pages.iter().enumerate() {
        let bottom = (page.setup.height - page.setup.bottom) as f64 + 1.0;
        for it in &page.items {
            if let kehoach::layout::Item::Text { baseline, span, .. } = it {
                assert!(*baseline <= bottom, "page {}: {:?} at {baseline} below the margin", i + 1, span.text);
            }
        }
    }
    let pdf = engine.pdf(&plan).unwrap_or_else(|e| panic!("{e}"));
    assert!(pdf.starts_with(b"%PDF-"));
    (findings, docx)
}

fn nested(depth: usize) -> Value {
    let mut node = json!({"tieu_de": "Mục sâu nhất", "van_ban": "Nội dung."});
    for _ in 1..depth {
        node = json!({"tieu_de": "Mục", "muc_con": [node]});
    }
    node
}

#[test]
fn twenty_levels_render_and_twenty_one_are_refused_with_the_path_and_line() {
    let mut v = base();
    v["noi_dung"] = json!([nested(kehoach::plan::MAX_NESTING)]);
    full_run(&v);

    v["noi_dung"] = json!([nested(kehoach::plan::MAX_NESTING + 1)]);
    let e = load(&v).unwrap_err().to_string();
    let path = format!("noi_dung[0]{}", ".muc_con[0]".repeat(kehoach::plan::MAX_NESTING));
    assert!(e.starts_with(&format!("`{path}`: các mục lồng nhau quá sâu")), "{e}");
    assert!(e.contains("tối đa 20 cấp") && e.contains("(dòng "), "{e}");
}

#[test]
fn absurd_nesting_anywhere_is_an_error_not_a_crash() {
    for deep in [
        format!("{{\"the_thuc\": \"nd30\", \"noi_dung\": {}{}}}", "[".repeat(100_000), "]".repeat(100_000)),
        format!("{{\"the_thuc\": \"nd30\", \"x\": {}1{}}}", "{\"a\":".repeat(50_000), "}".repeat(50_000)),
        format!("{}{}", "[".repeat(200_000), "]".repeat(200_000)),
        "{\"noi_dung\": [".to_string() + &"{\"muc_con\": [".repeat(10_000),
    ] {
        let e = kehoach::Plan::from_json(&deep).unwrap_err().to_string();
        assert!(!e.is_empty());
    }
}

#[test]
fn oversized_input_is_refused_with_a_message() {
    let big = format!("{{\"the_thuc\": \"nd30\", \"trich_yeu\": \"{}\"}}", "a".repeat(kehoach::plan::MAX_INPUT_BYTES));
    let e = kehoach::Plan::from_json(&big).unwrap_err().to_string();
    assert!(e.contains("quá lớn") && e.contains("tối đa 2 MB"), "{e}");
}

#[test]
fn lists_up_to_the_item_limit_render() {
    // Five lists of 3,000 (the titled sections count twice, the node and its title): with the sample's own strings, 18,200 of MAX_ITEMS (20,000).
    let mut v = base();
    let n = 3_000;
    v["can_cu"] = json!((0..n).map(|i| format!("Căn cứ văn bản số {i}")).collect::<Vec<_>>());
    v["noi_dung"][1]["muc_con"] = json!((0..n).map(|i| format!("Nhiệm vụ thứ {i}.")).collect::<Vec<_>>());
    v["noi_dung"][2]["muc_con"] = json!((0..n).map(|i| json!({"kieu": "muc", "tieu_de": format!("Mục {i}")})).collect::<Vec<_>>());
    v["noi_nhan"]["muc"] = json!((0..n).map(|i| format!("Đơn vị {i}")).collect::<Vec<_>>());
    v["mo_dau"] = json!((0..n).map(|i| format!("Đoạn {i}.")).collect::<Vec<_>>());
    let t = std::time::Instant::now();
    let (findings, docx) = full_run(&v);
    let secs = t.elapsed().as_secs_f64();
    let xml = part(&docx, "word/document.xml");
    assert!(xml.contains("Đơn vị 2999;") && xml.contains("Nhiệm vụ thứ 2999.") && xml.contains("Căn cứ văn bản số 2999."));
    // 3,000 empty titled sections: listed up to the cap, the rest counted.
    assert!(findings.iter().filter(|f| f.ma == "KH-ND-01").count() <= kehoach::rules::MAX_PER_RULE + 1);
    assert!(secs < 120.0, "took {secs:.1} s");
    // One more list of 2,000 goes over the limit: refused while reading, naming the place.
    v["ket_thuc"] = json!((0..2_000).map(|i| format!("Đoạn kết {i}.")).collect::<Vec<_>>());
    let e = load(&v).unwrap_err().to_string();
    assert!(e.contains("hơn 20.000 mục và chuỗi") && e.contains("[") && e.contains("(dòng "), "{e}");
}

#[test]
fn control_characters_are_refused_with_the_field() {
    for c in ['\u{0000}', '\u{0007}', '\u{001B}', '\u{FFFE}', '\u{FFFF}'] {
        let mut v = base();
        v["noi_dung"][0]["muc_con"][1] = json!(format!("Có ký tự {c} lạ"));
        let e = load(&v).unwrap_err().to_string();
        assert!(e.contains("`noi_dung[0].muc_con[1]`") && e.contains(&format!("U+{:04X}", c as u32)), "{e}");
    }
    // Tabs and line breaks are text.
    let mut v = base();
    v["trich_yeu"] = json!("Cải cách\thành chính\r\nnăm 2026");
    full_run(&v);
}

#[test]
fn right_to_left_and_zero_width_marks_are_removed_and_reported() {
    let mut v = base();
    v["ky_hieu"] = json!("KH\u{200B}-UBND\u{200F}");
    v["trich_yeu"] = json!("\u{202E}Cải cách hành chính\u{202C} năm 2026\u{FEFF}");
    v["nguoi_ky"]["ho_ten"] = json!("\u{2067}Nguyễn Thanh Tùng\u{2069}");
    let (findings, docx) = full_run(&v);
    let xml = part(&docx, "word/document.xml");
    for c in ['\u{200B}', '\u{200F}', '\u{202E}', '\u{202C}', '\u{FEFF}', '\u{2067}', '\u{2069}'] {
        assert!(!xml.contains(c), "U+{:04X} printed", c as u32);
    }
    assert!(xml.contains("Số: 15/KH-UBND"));
    let info: Vec<&str> = findings.iter().filter(|f| f.ma == "KH-MA-04").map(|f| f.truong.as_str()).collect();
    assert_eq!(info, ["ky_hieu", "trich_yeu", "nguoi_ky.ho_ten"]);
    // The cleaned ký hiệu passes the ký hiệu rules.
    assert!(!findings.iter().any(|f| f.ma.starts_with("KH-SO")), "{findings:#?}");
}

#[test]
fn emoji_and_symbols_render_and_are_warned_about() {
    let mut v = base();
    v["noi_dung"][0]["muc_con"][0] = json!("Chào mừng 🎉🇻🇳 👨‍👩‍👧 năm mới ✅ 𝐁𝐨𝐥𝐝 漢字 עברית");
    v["nguoi_ky"]["chuc_danh_duoi_ten"] = json!("☎ 0123");
    let (findings, docx) = full_run(&v);
    assert!(part(&docx, "word/document.xml").contains("🎉"));
    let paths: Vec<&str> = findings.iter().filter(|f| f.ma == "KH-MA-05").map(|f| f.truong.as_str()).collect();
    assert_eq!(paths, ["noi_dung[0].muc_con[0]", "nguoi_ky.chuc_danh_duoi_ten"]);
}

#[test]
fn very_long_words_and_texts_render() {
    let mut v = base();
    let word = "Nghiêng".repeat(20_000);
    v["trich_yeu"] = json!(word.clone());
    v["co_quan_ban_hanh"] = json!(["ỦY BAN NHÂN DÂN", "X".repeat(5_000)]);
    v["noi_dung"][0]["tieu_de"] = json!(format!("**{}*", "*".repeat(5_000)));
    v["noi_dung"][0]["muc_con"][0] = json!(format!("{} {}", "a".repeat(100_000), "*b*".repeat(10_000)));
    v["nguoi_ky"]["ho_ten"] = json!("Tùng".repeat(3_000));
    v["noi_nhan"]["muc"][0]["muc"][0] = json!("https://".to_string() + &"x".repeat(10_000));
    let (_, docx) = full_run(&v);
    assert!(part(&docx, "word/document.xml").contains(&word));
}

#[test]
fn markup_characters_are_text() {
    let mut v = base();
    v["trich_yeu"] = json!("Cải cách <b>hành</b> & \"chính\" ]]> <?xml?> <!-- x --> {{ v.x }} {% if %}");
    v["noi_dung"][0]["muc_con"][0] = json!("<w:p/> &amp; &#0; \\ / ' ` * ** *** ****");
    v["ky_hieu"] = json!("KH-UBND&<>");
    let (_, docx) = full_run(&v);
    let xml = part(&docx, "word/document.xml");
    assert!(roxmltree::Document::parse(&xml).is_ok());
    assert!(xml.contains("{{ v.x }}") && xml.contains("&lt;b&gt;hành&lt;/b&gt;"), "text escaped as it is");
}
