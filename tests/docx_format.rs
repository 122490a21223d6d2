//! The formatting of each regime, read back from the DOCX's XML: page setup, page numbers, fonts,
//! sizes, emphasis, alignment, the ND 30 lines and the Party separators, nơi nhận and signature.

mod common;
use common::*;

fn twips_cm(t: i32) -> f64 {
    t as f64 / 1440.0 * 2.54
}

/// The length of a rule paragraph: its container width minus its indents.
fn rule_length(p: &P, container: i32) -> i32 {
    assert!(p.text.is_empty() && p.has("pBdr.bottom"), "not a rule: {p:?}");
    container - p.ppr_i32("ind", "left") - p.ppr_i32("ind", "right")
}

fn all_runs_tnr(ps: &[P]) {
    for p in ps {
        for r in &p.runs {
            assert!(r.fonts_tnr, "run without Times New Roman in ascii/hAnsi/cs/eastAsia: {:?} in {}", r.text, p.style);
        }
    }
}

fn style_runs<'a>(ps: &'a [P], style: &str) -> impl Iterator<Item = &'a R> {
    ps.iter().filter(move |p| p.style == style).flat_map(|p| p.runs.iter()).filter(|r| !r.text.trim().is_empty())
}

fn assert_runs(ps: &[P], style: &str, size: u32, bold: bool, italic: bool) {
    let mut n = 0;
    for r in style_runs(ps, style) {
        n += 1;
        assert_eq!(r.size, Some(size), "{style}: size of {:?}", r.text);
        assert_eq!(r.bold, bold, "{style}: bold of {:?}", r.text);
        assert_eq!(r.italic, italic, "{style}: italic of {:?}", r.text);
    }
    assert!(n > 0, "no runs of style {style}");
}

fn sect(doc: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(doc).unwrap()
}

fn sect_attr(doc: &roxmltree::Document, el: &str, attr: &str) -> i32 {
    doc.descendants()
        .find(|n| n.has_tag_name((W, el)) && n.ancestors().any(|a| a.has_tag_name((W, "sectPr"))))
        .and_then(|n| n.attribute((W, attr)))
        .unwrap_or_else(|| panic!("sectPr/{el}@{attr} missing"))
        .parse()
        .unwrap()
}

fn page_setup_and_numbers(docx: &[u8]) {
    let xml = part(docx, "word/document.xml");
    let d = sect(&xml);
    assert_eq!((sect_attr(&d, "pgSz", "w"), sect_attr(&d, "pgSz", "h")), (11906, 16838), "A4");
    assert_eq!(sect_attr(&d, "pgMar", "top"), 1134);
    assert_eq!(sect_attr(&d, "pgMar", "bottom"), 1134);
    assert_eq!(sect_attr(&d, "pgMar", "left"), 1701);
    assert_eq!(sect_attr(&d, "pgMar", "right"), 850);
    assert_eq!(sect_attr(&d, "pgMar", "header"), 567, "page number 10 mm from the top edge");
    assert!(d.descendants().any(|n| n.has_tag_name((W, "titlePg"))), "titlePg: no number on page 1");
    // The default header (pages 2+) holds a centred PAGE field; the first-page header is empty.
    let rels = part(docx, "word/_rels/document.xml.rels");
    let target = |id: &str| {
        let r = roxmltree::Document::parse(&rels).unwrap();
        r.descendants().find(|n| n.attribute("Id") == Some(id)).unwrap().attribute("Target").unwrap().to_string()
    };
    let refs: Vec<(String, String)> = d
        .descendants()
        .filter(|n| n.has_tag_name((W, "headerReference")))
        .map(|n| {
            let ty = n.attribute((W, "type")).unwrap().to_string();
            let id = n.attribute(("http://schemas.openxmlformats.org/officeDocument/2006/relationships", "id")).unwrap();
            (ty, target(id))
        })
        .collect();
    let default = &refs.iter().find(|(t, _)| t == "default").expect("default header").1;
    let first = &refs.iter().find(|(t, _)| t == "first").expect("first-page header").1;
    let h = part(docx, &format!("word/{default}"));
    assert!(h.contains("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"), "{h}");
    assert!(h.contains("<w:jc w:val=\"center\"/>"));
    assert!(h.contains("<w:sz w:val=\"28\"/>"), "page number 14 pt");
    assert!(!h.contains("NUMPAGES"), "no 'Trang x/y'");
    let f = part(docx, &format!("word/{first}"));
    assert!(!f.contains("PAGE") && !f.contains("<w:t"), "page 1 header must be empty: {f}");
    assert!(!xml.contains("footerReference"), "no number in the footer");
}

fn body_paragraphs_justified(ps: &[P], first_line: i32) {
    let body: Vec<&P> = ps.iter().filter(|p| p.style == "body" && !p.in_table).collect();
    assert!(body.len() > 10);
    for p in body {
        assert_eq!(p.ppr("jc", "val"), Some("both"), "body justified: {}", p.text);
        assert_eq!(p.ppr_i32("ind", "firstLine"), first_line);
        assert!(p.ppr_i32("spacing", "before") + p.ppr_i32("spacing", "after") >= 120, "≥ 6 pt between paragraphs");
    }
}

fn core_props(docx: &[u8], title: &str, creator: &str) {
    let core = part(docx, "docProps/core.xml");
    assert!(core.contains(&format!("<dc:title>{title}</dc:title>")), "{core}");
    assert!(core.contains(&format!("<dc:creator>{creator}</dc:creator>")), "{core}");
}

#[test]
fn nd30_layout() {
    let docx = render_docx("xa-an-phu-2026.json");
    page_setup_and_numbers(&docx);
    let ps = paragraphs(&part(&docx, "word/document.xml"));
    all_runs_tnr(&ps);

    // Header: quốc hiệu 13 B, tiêu ngữ 14 B with a line as long as its text.
    assert_runs(&ps, "quoc_hieu", 26, true, false);
    assert_eq!(first(&ps, "quoc_hieu").text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert_runs(&ps, "tieu_ngu", 28, true, false);
    assert_eq!(first(&ps, "tieu_ngu").text, "Độc lập - Tự do - Hạnh phúc");
    let right_cell = 5670;
    let motto_line = rule_length(after(&ps, "tieu_ngu"), right_cell);
    assert!((twips_cm(motto_line) - 6.05).abs() < 0.05, "line under the tiêu ngữ = its text (6.05 cm): {}", twips_cm(motto_line));

    // Cơ quan: chủ quản 13 regular, ban hành 13 bold, a line of 1/3–1/2 of the text line.
    assert_runs(&ps, "co_quan_chu_quan", 26, false, false);
    assert_runs(&ps, "co_quan_ban_hanh", 26, true, false);
    let cq = first(&ps, "co_quan_ban_hanh");
    let longest = cq.text.split('\n').map(|l| kehoach::FontSet::bundled().text_width(l, 26, true, false)).fold(0.0, f64::max);
    let cq_line = rule_length(after(&ps, "co_quan_ban_hanh"), 3829) as f64;
    assert!(cq_line >= longest / 3.0 - 1.0 && cq_line <= longest / 2.0 + 1.0, "{cq_line} vs {longest}");

    // Số 13 upright with colon; date 14 italic; both centred.
    assert_runs(&ps, "so_ky_hieu", 26, false, false);
    assert_eq!(first(&ps, "so_ky_hieu").text, "Số: 15/KH-UBND");
    assert_runs(&ps, "dia_danh_ngay", 28, false, true);
    assert!(first(&ps, "dia_danh_ngay").text.contains(", ngày "));
    for s in ["so_ky_hieu", "dia_danh_ngay", "quoc_hieu", "co_quan_ban_hanh", "ten_loai", "trich_yeu"] {
        assert_eq!(first(&ps, s).ppr("jc", "val"), Some("center"), "{s} centred");
    }

    // Tên loại 14 B, trích yếu 14 B with a short line below.
    assert_runs(&ps, "ten_loai", 28, true, false);
    assert_eq!(first(&ps, "ten_loai").text, "KẾ HOẠCH");
    assert_runs(&ps, "trich_yeu", 28, true, false);
    let ty_line = rule_length(after(&ps, "trich_yeu"), 9354);
    assert!(ty_line > 1000 && ty_line < 4700, "short line under the trích yếu: {ty_line}");

    // Căn cứ italic, ";" then "." at the last.
    let can_cu: Vec<&P> = ps.iter().filter(|p| p.style == "can_cu").collect();
    assert!(can_cu.len() >= 2);
    assert!(style_runs(&ps, "can_cu").all(|r| r.italic && r.size == Some(28)));
    for p in &can_cu[..can_cu.len() - 1] {
        assert!(p.text.ends_with(';'), "{}", p.text);
    }
    assert!(can_cu.last().unwrap().text.ends_with('.'));

    // Body 14, justified, first line 1.27 cm, line spacing between single and 1.5.
    body_paragraphs_justified(&ps, 720);
    let b = first(&ps, "body");
    assert_eq!(b.ppr("spacing", "lineRule"), Some("auto"));
    assert!((240..=360).contains(&b.ppr_i32("spacing", "line")));
    let muc = first(&ps, "muc");
    assert!(muc.text.starts_with("I. ") && muc.text == muc.text.to_uppercase());
    assert!(muc.has("keepNext"));
    assert_runs(&ps, "muc", 28, true, false);

    // The body ends with "./." and keeps with the signature block.
    let closing = ps.iter().rev().find(|p| p.style == "body" && !p.in_table).unwrap();
    assert!(closing.text.ends_with("./."), "{}", closing.text);
    assert!(closing.has("keepNext"));

    // Nơi nhận: label 12 bold italic, items 11, last line "- Lưu: VT, …".
    assert_runs(&ps, "noi_nhan_nhan", 24, true, true);
    assert_eq!(first(&ps, "noi_nhan_nhan").text, "Nơi nhận:");
    assert_runs(&ps, "noi_nhan", 22, false, false);
    let items: Vec<&P> = ps.iter().filter(|p| p.style == "noi_nhan").collect();
    assert!(items.iter().any(|p| p.text.starts_with("- Lưu: VT")), "lưu line");
    assert!(items.iter().filter(|p| p.text.starts_with("- ")).all(|p| p.text.ends_with(';') || p.text.starts_with("- Lưu")));

    // Signature: TM. / KT. / PHÓ CHỦ TỊCH bold 14, name bold 14 with room for signature and seal.
    assert_runs(&ps, "quyen_han", 28, true, false);
    let qh: Vec<&str> = ps.iter().filter(|p| p.style == "quyen_han").map(|p| p.text.as_str()).collect();
    assert_eq!(qh, ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]);
    assert_runs(&ps, "chuc_vu", 28, true, false);
    assert_runs(&ps, "ho_ten", 28, true, false);
    assert!(first(&ps, "ho_ten").ppr_i32("spacing", "before") >= 1400, "≈ 2.5–3 cm for the signature");

    // The signature row never splits; the task table's header row repeats.
    let xml = part(&docx, "word/document.xml");
    assert!(xml.contains("<w:trPr><w:cantSplit/></w:trPr>"));
    assert!(xml.contains("<w:tblHeader/>"));
    core_props(&docx, "Cải cách hành chính năm 2026", "ỦY BAN NHÂN DÂN XÃ AN PHÚ");
}

#[test]
fn hd05_layout() {
    let docx = render_docx("dang-uy-xa-2026.json");
    page_setup_and_numbers(&docx);
    let settings = part(&docx, "word/settings.xml");
    assert!(settings.contains("<w:mirrorMargins/>"), "HD 05: margins mirrored on back pages");
    let ps = paragraphs(&part(&docx, "word/document.xml"));
    all_runs_tnr(&ps);

    assert!(!ps.iter().any(|p| p.style == "quoc_hieu"), "no quốc hiệu on a Party plan");
    assert_runs(&ps, "tieu_de", 30, true, false);
    assert_eq!(first(&ps, "tieu_de").text, "ĐẢNG CỘNG SẢN VIỆT NAM");
    let title_line = rule_length(after(&ps, "tieu_de"), 5386);
    assert!((twips_cm(title_line) - 7.29).abs() < 0.05, "line = title width: {}", twips_cm(title_line));

    assert_runs(&ps, "co_quan_chu_quan", 28, false, false);
    assert_runs(&ps, "co_quan_ban_hanh", 28, true, false);
    // A star under the issuing body, and no line under it.
    let star = after(&ps, "co_quan_ban_hanh");
    assert_eq!((star.style.as_str(), star.text.as_str()), ("duoi_co_quan", "*"));
    assert!(!star.has("pBdr.bottom"));

    assert_eq!(first(&ps, "so_ky_hieu").text, "Số 12-KH/ĐU");
    assert_runs(&ps, "so_ky_hieu", 28, false, false);
    assert_runs(&ps, "dia_danh_ngay", 28, false, true);
    assert_runs(&ps, "ten_loai", 32, true, false);
    assert_runs(&ps, "trich_yeu", 28, true, false);
    let sep = after(&ps, "trich_yeu");
    assert_eq!(sep.text, "-----", "exactly five hyphens under the trích yếu");

    // Căn cứ upright with "- ", body 14 exactly 18–22 pt, first line ≈ 10 mm.
    let can_cu: Vec<&P> = ps.iter().filter(|p| p.style == "can_cu").collect();
    assert!(can_cu.iter().all(|p| p.text.starts_with("- ")));
    assert!(can_cu.last().unwrap().text.ends_with('.'));
    assert!(style_runs(&ps, "can_cu").all(|r| !r.italic));
    body_paragraphs_justified(&ps, 567);
    let b = first(&ps, "body");
    assert_eq!(b.ppr("spacing", "lineRule"), Some("exact"));
    assert!((360..=440).contains(&b.ppr_i32("spacing", "line")));
    assert!(first(&ps, "muc").text.starts_with("I- "));

    let closing = ps.iter().rev().find(|p| p.style == "body" && !p.in_table).unwrap();
    assert!(closing.text.ends_with('.') && !closing.text.ends_with("./."), "{}", closing.text);

    // Nơi nhận: label 14 upright underlined, items 12 with ";", "- Lưu <office>." without colon or VT.
    assert_runs(&ps, "noi_nhan_nhan", 28, false, false);
    assert!(style_runs(&ps, "noi_nhan_nhan").all(|r| r.underline));
    assert_runs(&ps, "noi_nhan", 24, false, false);
    let luu = ps.iter().find(|p| p.style == "noi_nhan" && p.text.starts_with("- Lưu")).unwrap();
    assert_eq!(luu.text, "- Lưu Văn phòng Đảng uỷ.");

    // T/M bold; chức vụ capitals, not bold; name bold.
    assert_eq!(first(&ps, "quyen_han").text, "T/M ĐẢNG UỶ");
    assert_runs(&ps, "quyen_han", 28, true, false);
    assert_runs(&ps, "chuc_vu", 28, false, false);
    assert_runs(&ps, "ho_ten", 28, true, false);
}

#[test]
fn hd36_separators() {
    let docx = render_docx("seed-000.json");
    let ps = paragraphs(&part(&docx, "word/document.xml"));
    assert_eq!(first(&ps, "so_ky_hieu").text, "Số 75-KH/ĐUK");
    let items: Vec<&P> = ps.iter().filter(|p| p.style == "noi_nhan").collect();
    let (luu, rest) = items.split_last().unwrap();
    assert!(rest.iter().all(|p| p.text.ends_with(',')), "HD 36 separates nơi nhận with commas");
    assert_eq!(luu.text, "- Lưu VP, BTG Đảng ủy Khối.");
    assert!(first(&ps, "muc").text.starts_with("I. "), "HD 36-era numbering");
    assert_eq!(first(&ps, "quyen_han").text, "T/M BAN THƯỜNG VỤ");
}

#[test]
fn same_input_same_bytes() {
    assert_eq!(render_docx("seed-002.json"), render_docx("seed-002.json"));
}

#[test]
fn draft_with_stamps_and_every_list_kind() {
    let docx = render_docx("du-thao-day-du.json");
    let ps = paragraphs(&part(&docx, "word/document.xml"));
    let boxed = |p: &P| ["top", "left", "bottom", "right"].iter().all(|s| p.has(&format!("pBdr.{s}")));

    // Circulation stamp: top right, boxed, before the header table.
    let pv = &ps[0];
    assert_eq!((pv.style.as_str(), pv.text.as_str()), ("pham_vi_luu_hanh", "LƯU HÀNH NỘI BỘ"));
    assert!(boxed(pv) && pv.ppr("jc", "val") == Some("right") && !pv.in_table);
    // Secrecy and urgency: boxed, bold, under Số; the draft marker italic under Số.
    assert_eq!(first(&ps, "dau_mat").text, "MẬT");
    assert!(boxed(first(&ps, "dau_mat")));
    assert_eq!(first(&ps, "dau_khan").text, "THƯỢNG KHẨN");
    assert!(boxed(first(&ps, "dau_khan")));
    assert_runs(&ps, "dau_khan", 26, true, false);
    assert_eq!(first(&ps, "du_thao").text, "Dự thảo lần 2");
    assert_runs(&ps, "du_thao", 26, false, true);
    // No number yet: the blank form; only the year of the date.
    let so = &first(&ps, "so_ky_hieu").text;
    assert!(so.starts_with("Số: ") && so.ends_with("/KH-SNV") && so.contains("   "), "{so}");
    let date = &first(&ps, "dia_danh_ngay").text;
    assert!(date.starts_with("An Giang, ngày ") && date.ends_with("năm 2026") && !date.contains("tháng 0"), "{date}");

    // Labels of every kind, in order (after the opening sentence).
    let body: Vec<&str> = ps.iter().filter(|p| !p.in_table && ["muc", "khoan", "tiet", "diem", "body"].contains(&p.style.as_str())).map(|p| p.text.as_str()).collect();
    let starts = ["I. NỘI DUNG", "1. Kiểm tra", "1.1. Thể thức", "a) Phần đầu", "Quốc hiệu", "b) Phần", "1.2. Các bước", "(1) Bước một", "(2) Bước hai", "2. Các điểm", "* Lưu ý", "* Lưu ý", "3. Danh mục", "• Mục chấm", "• Mục có con", "+ Ý cộng", "Đoạn văn thường thứ nhất", "Đoạn văn thường thứ hai", "4.1- Mục đánh số riêng"];
    for (i, s) in starts.iter().enumerate() {
        assert!(body[i + 1].starts_with(s), "block {i}: {:?} should start with {s:?}", body[i + 1]);
    }
    // User text is escaped, not read as markup; emphasis marks become runs.
    assert!(body.iter().any(|t| t.contains("& số, ký hiệu <văn bản>.")));
    let lu_y = ps.iter().find(|p| p.text == "* Lưu ý hai.").unwrap();
    assert!(lu_y.runs.iter().any(|r| r.text == "hai" && r.bold));
    assert_runs(&ps, "tiet", 28, true, true);
    assert_runs(&ps, "diem", 28, false, true);

    // TL. signer; a group note keeps its own brackets, with nothing added after it; the typist mark after the lưu line.
    assert_eq!(first(&ps, "quyen_han").text, "TL. GIÁM ĐỐC");
    let items: Vec<&str> = ps.iter().filter(|p| p.style == "noi_nhan").map(|p| p.text.as_str()).collect();
    assert_eq!(items, ["- Như trên;", "- UBND tỉnh;", "(để báo cáo)", "- Bộ Nội vụ;", "- Các phòng thuộc Sở;", "- Lưu: VT, VP."]);
    assert_eq!(first(&ps, "ky_hieu_soan_thao").text, "PL.(300)");
    // The group's names sit in a cell with Word's Right Brace shape at their right, floating (it
    // moves no text), the note centred beside them.
    let xml = part(&docx, "word/document.xml");
    assert_eq!(xml.matches("<a:prstGeom prst=\"rightBrace\">").count(), 1);
    assert!(xml.contains("layoutInCell=\"1\"") && xml.contains("<wp:wrapNone/>"));
    assert!(!xml.contains("<w:tcBorders>"), "no cell border stands for the brace any more");
    assert!(xml.contains("<w:vMerge w:val=\"restart\"/><w:vAlign w:val=\"center\"/>"));
}

#[test]
fn a_landscape_task_table_is_a_section_of_its_own() {
    let docx = render_docx("du-thao-day-du.json");
    let xml = part(&docx, "word/document.xml");
    let d = roxmltree::Document::parse(&xml).unwrap();
    let sects: Vec<roxmltree::Node> = d.descendants().filter(|n| n.has_tag_name((W, "sectPr"))).collect();
    assert_eq!(sects.len(), 3, "portrait, landscape, portrait");
    let size = |s: &roxmltree::Node| {
        let p = s.children().find(|c| c.has_tag_name((W, "pgSz"))).unwrap();
        (p.attribute((W, "w")).unwrap().to_string(), p.attribute((W, "h")).unwrap().to_string(), p.attribute((W, "orient")).map(str::to_string))
    };
    assert_eq!(size(&sects[0]), ("11906".into(), "16838".into(), None));
    assert_eq!(size(&sects[1]), ("16838".into(), "11906".into(), Some("landscape".into())));
    assert_eq!(size(&sects[2]), ("11906".into(), "16838".into(), None));
    // Only the first section has a first page without a number; all show the page-number header.
    let has = |s: &roxmltree::Node, tag: &str| s.children().any(|c| c.has_tag_name((W, tag)));
    assert!(has(&sects[0], "titlePg") && !has(&sects[1], "titlePg") && !has(&sects[2], "titlePg"));
    assert!(sects.iter().all(|s| s.children().any(|c| c.has_tag_name((W, "headerReference")) && c.attribute((W, "type")) == Some("default"))));
    // The landscape table spans the landscape text width (297 − 30 − 15 mm).
    let tbl = d.descendants().filter(|n| n.has_tag_name((W, "tbl"))).find(|t| t.descendants().any(|n| n.has_tag_name((W, "tblHeader")))).unwrap();
    let w: i32 = tbl.descendants().find(|n| n.has_tag_name((W, "tblW"))).unwrap().attribute((W, "w")).unwrap().parse().unwrap();
    assert!((16838 - 1701 - 850 - w).abs() < 10, "{w}");
}
