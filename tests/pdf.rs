//! Our PDF, read by programs written by others: poppler (`pdftotext`, `pdffonts`, `pdfinfo`), qpdf,
//! and pdfplumber (fonts, sizes and positions of the header elements, the margins, the lines).
//! Required in CI; skipped elsewhere when a tool is missing.

mod common;
use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

fn render_pdf(name: &str) -> Vec<u8> {
    kehoach::Engine::default().pdf(&checked(sample(name))).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn write_tmp(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn run(tool: &Path, args: &[&str], file: &Path) -> (bool, String) {
    let o = Command::new(tool).args(args).arg(file).output().expect("tool runs");
    (o.status.success(), String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr))
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn pdf_text_equals_docx_text() {
    let Some(pdftotext) = require("pdftotext (poppler-utils)", tool("PDFTOTEXT", &["pdftotext"])) else { return };
    let dir = tempfile::tempdir().unwrap();
    for s in SAMPLES.iter().chain(FIXTURES) {
        let pdf = write_tmp(dir.path(), "a.pdf", &render_pdf(s));
        let pages: usize = {
            let (_, info) = run(&tool("PDFINFO", &["pdfinfo"]).unwrap(), &[], &pdf);
            info.lines().find(|l| l.starts_with("Pages:")).unwrap().split_whitespace().last().unwrap().parse().unwrap()
        };
        // Page by page in content order, without the page number (the last text of a numbered
        // page: pages 2+ of the plan and of each phụ lục, whose numbers start again at 1).
        let numbers: Vec<Option<u32>> = kehoach::Engine::default().pages(&checked(sample(s))).unwrap().iter().map(|p| p.number).collect();
        assert_eq!(numbers.len(), pages, "{s}: the layout's pages are the PDF's");
        let mut text = String::new();
        for p in 1..=pages {
            let o = Command::new(&pdftotext).args(["-raw", "-f", &p.to_string(), "-l", &p.to_string()]).arg(&pdf).arg("-").output().unwrap();
            assert!(o.status.success());
            let t = String::from_utf8(o.stdout).unwrap();
            let mut lines: Vec<&str> = t.lines().filter(|l| !l.trim().is_empty()).collect();
            if let Some(n) = numbers[p - 1] {
                assert_eq!(lines.last().map(|l| l.trim()), Some(n.to_string().as_str()), "{s}: page {p} ends with its number");
                lines.pop();
            }
            text.push_str(&lines.join("\n"));
        }
        let ps = paragraphs(&part(&render_docx(s), "word/document.xml"));
        let docx_text: String = ps.iter().map(|p| p.text.as_str()).collect();
        // A task table's header row is printed again on each page the table runs onto.
        let header = squash("STT Nội dung Chủ trì Phối hợp Thời gian Sản phẩm");
        let mut pdf_text = squash(&text);
        if let Some(first) = pdf_text.find(&header) {
            let rest = pdf_text.split_off(first + header.len()).replace(&header, "");
            pdf_text.push_str(&rest);
        }
        let docx_text = squash(&docx_text);
        assert!(pdf_text == docx_text, "{s}: PDF text differs from DOCX text {}", first_difference(&pdf_text, &docx_text));
    }
}

#[test]
fn fonts_are_embedded_subsets_with_unicode_maps() {
    let Some(pdffonts) = require("pdffonts (poppler-utils)", tool("PDFFONTS", &["pdffonts"])) else { return };
    let dir = tempfile::tempdir().unwrap();
    for s in SAMPLES {
        let pdf = write_tmp(dir.path(), "a.pdf", &render_pdf(s));
        let (ok, out) = run(&pdffonts, &[], &pdf);
        assert!(ok, "{out}");
        let rows: Vec<&str> = out.lines().skip(2).collect();
        assert!(rows.len() >= 2, "{s}: {out}");
        for r in rows {
            let cols: Vec<&str> = r.split_whitespace().collect();
            let name = cols[0];
            assert!(name.len() > 7 && name.as_bytes()[6] == b'+' && name[..6].chars().all(|c| c.is_ascii_uppercase()), "{s}: subset tag: {r}");
            assert!(name.contains("LiberationSerif"), "{r}");
            // emb sub uni are the three yes/no columns before the object id.
            let n = cols.len();
            assert_eq!(&cols[n - 5..n - 2], &["yes", "yes", "yes"], "{s}: {r}");
        }
    }
}

#[test]
fn qpdf_finds_no_errors_and_metadata_is_vietnamese() {
    let Some(qpdf) = require("qpdf", tool("QPDF", &["qpdf"])) else { return };
    let Some(pdfinfo) = require("pdfinfo (poppler-utils)", tool("PDFINFO", &["pdfinfo"])) else { return };
    let dir = tempfile::tempdir().unwrap();
    for s in SAMPLES.iter().chain(FIXTURES) {
        let pdf = write_tmp(dir.path(), "a.pdf", &render_pdf(s));
        let (ok, out) = run(&qpdf, &["--check"], &pdf);
        assert!(ok && out.contains("No syntax or stream encoding errors"), "{s}: {out}");
    }
    let pdf = write_tmp(dir.path(), "b.pdf", &render_pdf("seed-002.json"));
    let (_, info) = run(&pdfinfo, &[], &pdf);
    assert!(info.contains("Title:           Phát động phong trào thi đua thực hiện thắng lợi nhiệm vụ"), "{info}");
    assert!(info.contains("Author:          ỦY BAN NHÂN DÂN HUYỆN CHÂU THÀNH"), "{info}");
    assert!(info.contains("Subject:         Kế hoạch"), "{info}");
    assert!(info.contains("A4") && info.contains("595.") && info.contains("841."), "{info}");
    assert!(!info.contains("PDF/X"), "no false PDF/X claim: {info}");
    // printpdf dated every file 1 January 1970: no date rather than a wrong one.
    assert!(!info.contains("1970") && !info.contains("CreationDate:") && !info.contains("ModDate:"), "{info}");
}

#[test]
fn same_plan_same_bytes() {
    assert_eq!(render_pdf("seed-004.json"), render_pdf("seed-004.json"));
    assert_ne!(render_pdf("seed-004.json"), render_pdf("seed-002.json"));
}

// --- Positions, fonts and sizes, read back with pdfplumber -------------------------------------

#[derive(Debug)]
struct TextLine {
    page: u64,
    baseline: f64,
    x0: f64,
    x1: f64,
    size: f64,
    fonts: Vec<String>,
    text: String,
}

struct Inspected {
    lines: Vec<TextLine>,
    rules: Vec<(u64, f64, f64, f64)>, // page, x0, x1, top
}

fn inspect(name: &str) -> Option<Inspected> {
    let py = require("python3 with pdfplumber", tool("KEHOACH_PYTHON", &["python3"]))?;
    let probe = Command::new(&py).args(["-c", "import pdfplumber"]).status().unwrap();
    if !probe.success() {
        require("the pdfplumber Python package", None);
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let pdf = write_tmp(dir.path(), "a.pdf", &render_pdf(name));
    let o = Command::new(&py).arg(repo().join("tests/pdf_inspect.py")).arg(&pdf).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let lines = v["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| TextLine {
            page: l["page"].as_u64().unwrap(),
            baseline: l["baseline"].as_f64().unwrap(),
            x0: l["x0"].as_f64().unwrap(),
            x1: l["x1"].as_f64().unwrap(),
            size: l["size"].as_f64().unwrap(),
            fonts: l["fonts"].as_array().unwrap().iter().map(|f| f.as_str().unwrap().to_string()).collect(),
            text: l["text"].as_str().unwrap().to_string(),
        })
        .collect();
    let rules = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["page"].as_u64().unwrap(), r["x0"].as_f64().unwrap(), r["x1"].as_f64().unwrap(), r["top"].as_f64().unwrap()))
        .collect();
    Some(Inspected { lines, rules })
}

impl Inspected {
    fn line(&self, starts: &str) -> &TextLine {
        self.lines.iter().find(|l| l.text.starts_with(starts)).unwrap_or_else(|| panic!("no line starting {starts:?}"))
    }
}

fn font(l: &TextLine) -> &str {
    assert_eq!(l.fonts.len(), 1, "one font expected: {l:?}");
    &l.fonts[0]
}

const MM: f64 = 72.0 / 25.4;

#[test]
fn nd30_elements_read_back_from_the_pdf() {
    let Some(d) = inspect("seed-002.json") else { return };
    let qh = d.line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
    assert_eq!((qh.size, font(qh)), (13.0, "LiberationSerif-Bold"));
    let tn = d.line("Độc lập - Tự do - Hạnh phúc");
    assert_eq!((tn.size, font(tn)), (14.0, "LiberationSerif-Bold"));
    // The line under the tiêu ngữ is as long as its text, just below it.
    let under = d
        .rules
        .iter()
        .find(|r| r.0 == 1 && r.3 > tn.baseline && r.3 < tn.baseline + 8.0 && r.1 > tn.x0 - 5.0)
        .expect("line under the tiêu ngữ");
    assert!((under.1 - tn.x0).abs() < 0.6 && (under.2 - tn.x1).abs() < 0.6, "{under:?} vs {tn:?}");
    let so = d.line("Số: 06/KH-UBND");
    assert_eq!((so.size, font(so)), (13.0, "LiberationSerif"));
    let date = d.line("Châu Thành, ngày 20 tháng 01 năm 2022");
    assert_eq!((date.size, font(date)), (14.0, "LiberationSerif-Italic"));
    assert!((date.baseline - so.baseline).abs() < 1.5, "Số and date on one row");
    let tl = d.line("KẾ HOẠCH");
    assert_eq!((tl.size, font(tl)), (14.0, "LiberationSerif-Bold"));
    assert!(((tl.x0 + tl.x1) / 2.0 - (30.0 + (210.0 - 45.0) / 2.0) * MM).abs() < 1.0, "tên loại centred on the text area");
    // Margins: left 30 mm; justified lines end at the right margin (15 mm); first line indented 1.27 cm.
    let body: Vec<&TextLine> = d.lines.iter().filter(|l| l.size == 14.0 && l.fonts == ["LiberationSerif"] && l.page == 1).collect();
    let left = body.iter().map(|l| l.x0).fold(f64::MAX, f64::min);
    assert!((left - 30.0 * MM).abs() < 0.3, "left margin {left}");
    let right = body.iter().map(|l| l.x1).fold(0.0, f64::max);
    assert!(right <= (210.0 - 15.0) * MM + 0.3 && right > (210.0 - 15.0) * MM - 1.5, "right margin {right}");
    let first = d.line("Căn cứ Chỉ thị số 12/CT-UBND");
    assert!((first.x0 - (30.0 * MM + 36.0)).abs() < 0.3, "first-line indent: {}", first.x0);
    // Nơi nhận 12 bold italic, items 11; signer 14 bold.
    let nn = d.line("Nơi nhận:");
    assert_eq!((nn.size, font(nn)), (12.0, "LiberationSerif-BoldItalic"));
    assert_eq!(d.line("- Lưu: VT").size, 11.0);
    let name = d.line("Lê Ngọc Ân");
    assert_eq!((name.size, font(name)), (14.0, "LiberationSerif-Bold"));
    // Page numbers: none on page 1, centred at the top from page 2, 14 pt.
    let numbers: Vec<&TextLine> = d.lines.iter().filter(|l| l.text.trim().parse::<u64>().is_ok() && l.baseline < 20.0 * MM).collect();
    assert!(numbers.iter().all(|l| l.page >= 2 && l.size == 14.0 && l.text.trim() == l.page.to_string()));
    assert_eq!(numbers.len() as u64, d.lines.iter().map(|l| l.page).max().unwrap() - 1);
    assert!(d.lines.iter().filter(|l| l.page == 1).all(|l| l.baseline > 20.0 * MM), "nothing above the top margin on page 1");
}

#[test]
fn hd05_elements_read_back_from_the_pdf() {
    let Some(d) = inspect("dang-uy-xa-2026.json") else { return };
    let td = d.line("ĐẢNG CỘNG SẢN VIỆT NAM");
    assert_eq!((td.size, font(td)), (15.0, "LiberationSerif-Bold"));
    assert!(d.rules.iter().any(|r| r.0 == 1 && (r.1 - td.x0).abs() < 0.6 && (r.2 - td.x1).abs() < 0.6), "line = title width");
    assert_eq!(d.line("*").size, 14.0);
    let so = d.line("Số 12-KH/ĐU");
    assert_eq!((so.size, font(so)), (14.0, "LiberationSerif"));
    assert_eq!(d.line("-----").size, 14.0);
    let tl = d.line("KẾ HOẠCH");
    assert_eq!((tl.size, font(tl)), (16.0, "LiberationSerif-Bold"));
    // Body 14 pt at exactly 18 pt line pitch.
    let body: Vec<&TextLine> = d.lines.iter().filter(|l| l.page == 2 && l.size == 14.0).collect();
    let pitches: Vec<f64> = body.windows(2).map(|w| w[1].baseline - w[0].baseline).collect();
    assert!(pitches.iter().any(|p| (p - 18.0).abs() < 0.11), "{pitches:?}");
    // Mirrored margins: page 2 (a back page) has its 30 mm margin on the right.
    let left2 = body.iter().map(|l| l.x0).fold(f64::MAX, f64::min);
    assert!((left2 - 15.0 * MM).abs() < 0.3, "back page left margin {left2}");
    let nn = d.line("Nơi nhận:");
    assert_eq!((nn.size, font(nn)), (14.0, "LiberationSerif"));
    assert!(d.rules.iter().any(|r| (r.1 - nn.x0).abs() < 0.6 && (r.2 - nn.x1).abs() < 0.6 && r.3 > nn.baseline), "Nơi nhận: underlined");
    let cv = d.line("PHÓ BÍ THƯ");
    assert_eq!(font(cv), "LiberationSerif", "Party chức vụ not bold");
}

#[test]
fn a_landscape_task_table_gets_landscape_pages() {
    let Some(pdfinfo) = require("pdfinfo (poppler-utils)", tool("PDFINFO", &["pdfinfo"])) else { return };
    let dir = tempfile::tempdir().unwrap();
    let pdf = write_tmp(dir.path(), "a.pdf", &render_pdf("du-thao-day-du.json"));
    let (_, info) = run(&pdfinfo, &["-f", "1", "-l", "99"], &pdf);
    let sizes: Vec<&str> = info.lines().filter(|l| l.starts_with("Page") && l.contains("size:")).collect();
    // Page 1 portrait; the table and the heading that keeps with it on a landscape page; the rest portrait.
    assert_eq!(sizes.len(), 3, "{info}");
    assert!(sizes[0].contains("595.3 x 841.9"), "{info}");
    assert!(sizes[1].contains("841.9 x 595.3"), "page 2 is landscape: {info}");
    assert!(sizes[2].contains("595.3 x 841.9"), "{info}");
    let o = Command::new(tool("PDFTOTEXT", &["pdftotext"]).unwrap()).args(["-f", "2", "-l", "2"]).arg(&pdf).arg("-").output().unwrap();
    let page2 = String::from_utf8(o.stdout).unwrap();
    assert!(page2.contains("II. LỊCH KIỂM TRA") && page2.contains("STT"), "the heading goes with its table: {page2}");
}
