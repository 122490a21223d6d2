//! The one gate between a plan and its outputs (`Plan::check` → `CheckedPlan`), the findings it gives
//! (where each field is, as staff name it and by line and column), and what the checked plan prints
//! where the rules of thể thức decide it: item numbers, the closing mark, the trích yếu.

mod common;
use common::*;
use serde_json::{Value, json};

fn base(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(repo().join("samples").join(name)).unwrap()).unwrap()
}

fn plan(v: &Value) -> kehoach::Plan {
    kehoach::Plan::from_json(&serde_json::to_string_pretty(v).unwrap()).unwrap_or_else(|e| panic!("{e}"))
}

/// The paragraphs of the DOCX of `v`, as text.
fn texts(v: &Value) -> Vec<String> {
    let docx = kehoach::Engine::default().docx(&checked(plan(v))).unwrap();
    paragraphs(&part(&docx, "word/document.xml")).into_iter().map(|p| p.text).collect()
}

#[test]
fn a_plan_with_rule_errors_cannot_be_rendered() {
    let mut v = base("xa-an-phu-2026.json");
    v["ky_hieu"] = json!("KH - UBND");
    let rejected = plan(&v).check_with(&TODAY).expect_err("the rules refuse it");
    assert!(rejected.errors().any(|f| f.ma == "KH-SO-04"));
    let shown = rejected.to_string();
    assert!(shown.contains("1 lỗi") && shown.contains("KH-SO-04") && shown.contains("`ky_hieu`"), "{shown}");
    // As a library error it is bad input (exit 1), and says the same.
    let e = kehoach::Error::from(rejected);
    assert_eq!(e.exit_code(), 1);
    assert!(e.to_string().contains("KH-SO-04"));
    // Warnings travel with a plan that passes.
    let mut v = base("xa-an-phu-2026.json");
    v["trich_yeu"] = json!("Cải cách hành chính năm 2026.");
    let c = checked(plan(&v));
    assert!(c.findings().iter().any(|f| f.ma == "KH-TY-01"));
}

#[test]
fn findings_say_where_the_field_is() {
    let mut v = base("xa-an-phu-2026.json");
    v["ky_hieu"] = json!("KH - UBND");
    v["can_cu"][2] = json!("- Căn cứ Nghị quyết của HĐND xã");
    v["noi_dung"][1]["muc_con"][0]["tieu_de"] = json!("1. Thử");
    let text = serde_json::to_string_pretty(&v).unwrap();
    let f = kehoach::Plan::from_json(&text).unwrap().findings(&TODAY);
    let at = |ma: &str| f.iter().find(|x| x.ma == ma).unwrap_or_else(|| panic!("no {ma}: {f:#?}"));
    // The line and column are those of the key (or of the array element) in the text.
    let line_of = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let k = at("KH-SO-04");
    assert_eq!((k.vi_tri.as_deref(), k.dong), (Some("ký hiệu"), Some(line_of("\"ky_hieu\""))));
    assert_eq!(k.cot, Some(3));
    let c = at("KH-CC-02");
    assert_eq!((c.truong.as_str(), c.vi_tri.as_deref()), ("can_cu[2]", Some("căn cứ thứ 3")));
    assert_eq!(c.dong, Some(line_of("- Căn cứ Nghị quyết")));
    let n = at("KH-ND-04");
    assert_eq!(n.vi_tri.as_deref(), Some("mục II, khoản 1, tiêu đề"));
    assert_eq!(n.dong, Some(line_of("\"1. Thử\"")));
    // The JSON report carries them too.
    let j = serde_json::to_value(k).unwrap();
    assert_eq!((j["vi_tri"].as_str(), j["dong"].as_u64(), j["cot"].as_u64()), (Some("ký hiệu"), Some(k.dong.unwrap() as u64), Some(3)));
    // A plan built from a value has no text: no line, still the place.
    let f = kehoach::Plan::from_value(&v).unwrap().findings(&TODAY);
    let k = f.iter().find(|x| x.ma == "KH-SO-04").unwrap();
    assert_eq!((k.vi_tri.as_deref(), k.dong), (Some("ký hiệu"), None));
}

#[test]
fn a_hand_written_number_moves_the_counting_on() {
    // I., a hand-written III., then an automatic mục: "IV.", never "III." twice.
    let mut v = base("xa-an-phu-2026.json");
    v["noi_dung"][1]["so_hieu"] = json!("III.");
    let docx = kehoach::Engine::default().docx(&checked(plan(&v))).unwrap();
    let ps = paragraphs(&part(&docx, "word/document.xml"));
    let heads: Vec<&str> = ps.iter().filter(|p| p.style == "muc").map(|p| p.text.split(' ').next().unwrap()).collect();
    assert_eq!(heads, ["I.", "III.", "IV.", "V."]);
    // …and the checks, which number the same way, see nothing to warn about after it.
    let f = plan(&v).findings(&TODAY);
    assert!(f.iter().all(|x| x.ma != "KH-ND-03" || x.truong == "noi_dung[1].so_hieu"), "{f:#?}");
}

#[test]
fn the_closing_mark_goes_after_the_last_line_of_the_body() {
    // Without a closing paragraph, a body that ends in task lines ends with "./." after the last
    // task line, not on the item above it.
    let mut v = base("xa-an-phu-2026.json");
    v["ket_thuc"] = json!([]);
    v["noi_dung"] = json!([{"tieu_de": "Tổ chức thực hiện", "muc_con": [
        {"van_ban": "Giao các phòng triển khai", "nhiem_vu": {"chu_tri": "Văn phòng", "thoi_gian": "Quý I năm 2026"}}
    ]}]);
    let t = texts(&v);
    assert!(t.iter().any(|p| p == "1. Giao các phòng triển khai"), "{t:#?}");
    assert!(t.iter().any(|p| p == "Thời gian thực hiện: Quý I năm 2026./."), "{t:#?}");
    assert_eq!(t.iter().filter(|p| p.contains("./.")).count(), 1);
    // A body that ends in a task table ends with "./." in the table's last cell, not on its heading.
    v["noi_dung"] = json!([{"tieu_de": "Tổ chức thực hiện", "trinh_bay_nhiem_vu": "bang", "muc_con": [
        {"van_ban": "Rà soát", "nhiem_vu": {"chu_tri": "Văn phòng", "san_pham": "Báo cáo"}}
    ]}]);
    let t = texts(&v);
    assert!(t.iter().any(|p| p == "I. TỔ CHỨC THỰC HIỆN"), "{t:#?}");
    assert!(t.iter().any(|p| p == "Báo cáo./."), "{t:#?}");
    assert_eq!(t.iter().filter(|p| p.contains("./.")).count(), 1);
}

#[test]
fn the_trich_yeu_prints_without_a_final_period() {
    let mut v = base("xa-an-phu-2026.json");
    v["trich_yeu"] = json!("Cải cách hành chính năm 2026.");
    let t = texts(&v);
    assert!(t.iter().any(|p| p == "Cải cách hành chính năm 2026"), "{t:#?}");
    assert!(!t.iter().any(|p| p == "Cải cách hành chính năm 2026."));
}

#[test]
fn an_empty_string_item_is_an_error_naming_it() {
    let mut v = base("xa-an-phu-2026.json");
    v["noi_dung"].as_array_mut().unwrap().push(json!(""));
    let rejected = plan(&v).check_with(&TODAY).expect_err("an empty item is refused");
    let e = rejected.errors().next().unwrap();
    assert_eq!((e.ma, e.truong.as_str(), e.vi_tri.as_deref()), ("KH-ND-02", "noi_dung[4]", Some("mục V")));
}

#[test]
fn no_body_is_a_warning() {
    let mut v = base("xa-an-phu-2026.json");
    v["noi_dung"] = json!([]);
    assert!(checked(plan(&v)).findings().iter().any(|f| f.ma == "KH-ND-05" && f.truong == "noi_dung"));
}
