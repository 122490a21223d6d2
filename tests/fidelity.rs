//! Fidelity: our PDF against LibreOffice's PDF of our DOCX. For every sample, the page counts must be
//! equal and at least 95 % of the text lines must hold the same words on the same page. The figures
//! are printed per sample (`cargo test --test fidelity -- --nocapture`; `scripts/fidelity.sh` also
//! renders both as PNG side by side).
//!
//! Both PDFs are read by poppler's `pdftotext -bbox-layout`; a line is the words of one page that
//! share a baseline, in reading order.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The lines of each page: (page, words of the line joined by spaces).
fn lines_of(pdftotext: &Path, pdf: &Path) -> Vec<Vec<String>> {
    let o = Command::new(pdftotext).arg("-bbox-layout").arg(pdf).arg("-").output().expect("pdftotext runs");
    assert!(o.status.success(), "pdftotext failed on {}", pdf.display());
    let xml = String::from_utf8(o.stdout).unwrap();
    // poppler writes XHTML with a DOCTYPE roxmltree refuses; the body is all we need.
    let start = xml.find("<doc>").expect("bbox output has <doc>");
    let end = xml.rfind("</doc>").expect("bbox output has </doc>") + "</doc>".len();
    let doc = roxmltree::Document::parse(&xml[start..end]).expect("bbox XML parses");
    let mut pages = Vec::new();
    for page in doc.descendants().filter(|n| n.has_tag_name("page")) {
        // Words keyed by their bottom edge (rounded to a quarter point), then by x.
        let mut rows: BTreeMap<i64, Vec<(f64, String)>> = BTreeMap::new();
        for w in page.descendants().filter(|n| n.has_tag_name("word")) {
            let f = |a: &str| w.attribute(a).unwrap().parse::<f64>().unwrap();
            let key = (f("yMax") * 4.0).round() as i64;
            rows.entry(key).or_default().push((f("xMin"), w.text().unwrap_or("").to_string()));
        }
        // Merge rows whose bottoms are within 1.5 pt (two columns of one table row).
        let mut merged: Vec<(i64, Vec<(f64, String)>)> = Vec::new();
        for (k, words) in rows {
            match merged.last_mut() {
                Some((lk, lw)) if k - *lk <= 6 => lw.extend(words),
                _ => merged.push((k, words)),
            }
        }
        let mut lines = Vec::new();
        for (_, mut words) in merged {
            words.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
            lines.push(words.into_iter().map(|w| w.1).collect::<Vec<_>>().join(" "));
        }
        pages.push(lines);
    }
    pages
}

struct Figure {
    pages_ours: usize,
    pages_lo: usize,
    matched: usize,
    total: usize,
    mismatches: Vec<String>,
}

fn compare(ours: &[Vec<String>], lo: &[Vec<String>]) -> Figure {
    let mut matched = 0;
    let mut total = 0;
    let mut mismatches = Vec::new();
    for p in 0..ours.len().max(lo.len()) {
        let a = ours.get(p).cloned().unwrap_or_default();
        let b = lo.get(p).cloned().unwrap_or_default();
        // Lines as multisets per page; the page number line counts like any other.
        let mut pool: BTreeMap<&str, usize> = BTreeMap::new();
        for l in &b {
            *pool.entry(l.as_str()).or_default() += 1;
        }
        for l in &a {
            match pool.get_mut(l.as_str()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    matched += 1;
                }
                _ => mismatches.push(format!("p{} ours: {l}", p + 1)),
            }
        }
        for (l, n) in pool {
            for _ in 0..n {
                mismatches.push(format!("p{} LibreOffice: {l}", p + 1));
            }
        }
        total += a.len().max(b.len());
    }
    Figure { pages_ours: ours.len(), pages_lo: lo.len(), matched, total, mismatches }
}

#[test]
fn our_pdf_matches_libreoffice_line_for_line() {
    let Some(soffice) = require("LibreOffice (soffice)", tool("SOFFICE", &["soffice", "libreoffice"])) else { return };
    let Some(pdftotext) = require("pdftotext (poppler-utils)", tool("PDFTOTEXT", &["pdftotext"])) else { return };
    let dir = std::env::var("KEHOACH_FIDELITY_DIR").map(PathBuf::from).unwrap_or_else(|_| tempfile::tempdir().unwrap().keep());
    std::fs::create_dir_all(dir.join("lo")).unwrap();
    let engine = kehoach::Engine::default();
    let names: Vec<&str> = SAMPLES.iter().chain(FIXTURES).copied().collect();
    let mut docs = Vec::new();
    for s in &names {
        let (docx, pdf) = engine.docx_and_pdf(&checked(sample(s))).unwrap();
        let stem = s.trim_end_matches(".json");
        std::fs::write(dir.join(format!("{stem}.docx")), docx).unwrap();
        std::fs::write(dir.join(format!("{stem}.pdf")), pdf).unwrap();
        docs.push(dir.join(format!("{stem}.docx")));
    }
    let o = Command::new(&soffice)
        .arg(format!("-env:UserInstallation=file://{}", dir.join("lo-profile").display()))
        .args(["--headless", "--infilter=MS Word 2007 XML", "--convert-to", "pdf", "--outdir"])
        .arg(dir.join("lo"))
        .args(&docs)
        .output()
        .expect("soffice runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    eprintln!("\n{:<24} {:>10} {:>10} {:>14} {:>8}", "mẫu / sample", "trang ta", "trang LO", "dòng khớp", "%");
    let mut failures = Vec::new();
    for s in &names {
        let stem = s.trim_end_matches(".json");
        let ours = lines_of(&pdftotext, &dir.join(format!("{stem}.pdf")));
        let lo = lines_of(&pdftotext, &dir.join("lo").join(format!("{stem}.pdf")));
        let f = compare(&ours, &lo);
        let pct = 100.0 * f.matched as f64 / f.total.max(1) as f64;
        eprintln!("{:<24} {:>10} {:>10} {:>8}/{:<5} {:>7.1}%", stem, f.pages_ours, f.pages_lo, f.matched, f.total, pct);
        if std::env::var("KEHOACH_FIDELITY_VERBOSE").is_ok() {
            for m in &f.mismatches {
                eprintln!("    {m}");
            }
        }
        if f.pages_ours != f.pages_lo || pct < 95.0 {
            failures.push(format!("{stem}: {} vs {} pages, {pct:.1}% of lines", f.pages_ours, f.pages_lo));
        }
    }
    assert!(failures.is_empty(), "fidelity below target: {failures:?} (files in {})", dir.display());
}

/// The drawn shapes below "Nơi nhận" on its page, left of the page's middle (the braces of the
/// recipient groups), as bounding boxes (x0, x1, top, bottom in pt): strokes that touch are one.
fn braces_of(py: &Path, pdf: &Path) -> Vec<(f64, f64, f64, f64)> {
    let o = Command::new(py).arg(repo().join("tests/pdf_inspect.py")).arg(pdf).output().expect("python runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let heading = v["lines"].as_array().unwrap().iter().find(|l| l["text"].as_str().unwrap().starts_with("Nơi nhận")).expect("a Nơi nhận line");
    let (page, below) = (heading["page"].as_u64().unwrap(), heading["baseline"].as_f64().unwrap());
    let f = |s: &serde_json::Value, k: &str| s[k].as_f64().unwrap();
    let mut boxes: Vec<(f64, f64, f64, f64)> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .chain(v["curves"].as_array().unwrap())
        .filter(|s| s["page"].as_u64() == Some(page) && f(s, "top") > below && f(s, "x1") < 297.0)
        // Not the underline of a word (a brace's strokes make a shape taller than they are long).
        .filter(|s| f(s, "bottom") - f(s, "top") > 0.5 || f(s, "x1") - f(s, "x0") < 10.0)
        .map(|s| (f(s, "x0"), f(s, "x1"), f(s, "top"), f(s, "bottom")))
        .collect();
    boxes.sort_by(|a, b| a.2.partial_cmp(&b.2).unwrap());
    let mut out: Vec<(f64, f64, f64, f64)> = Vec::new();
    for b in boxes {
        match out.last_mut() {
            Some(o) if b.2 <= o.3 + 0.5 && b.0 <= o.1 + 0.5 && b.1 >= o.0 - 0.5 => {
                *o = (o.0.min(b.0), o.1.max(b.1), o.2.min(b.2), o.3.max(b.3));
            }
            _ => out.push(b),
        }
    }
    out
}

#[test]
fn word_draws_each_group_brace_where_our_pdf_draws_it() {
    // The brace of a nơi nhận group is Word's Right Brace shape in the DOCX; LibreOffice's PDF of
    // our DOCX must show it at the place and length our PDF draws it (within half a point).
    let Some(soffice) = require("LibreOffice (soffice)", tool("SOFFICE", &["soffice", "libreoffice"])) else { return };
    let Some(py) = require("python3 with pdfplumber", tool("KEHOACH_PYTHON", &["python3"])) else { return };
    let dir = tempfile::tempdir().unwrap();
    let engine = kehoach::Engine::default();
    let names = ["seed-004.json", "xa-an-phu-2026.json", "dang-uy-khoi-2026.json", "phu-luc-nd30.json"];
    let mut docs = Vec::new();
    for s in names {
        let (docx, pdf) = engine.docx_and_pdf(&checked(sample(s))).unwrap();
        let stem = s.trim_end_matches(".json");
        std::fs::write(dir.path().join(format!("{stem}.docx")), docx).unwrap();
        std::fs::write(dir.path().join(format!("{stem}.pdf")), pdf).unwrap();
        docs.push(dir.path().join(format!("{stem}.docx")));
    }
    let o = Command::new(&soffice)
        .arg(format!("-env:UserInstallation=file://{}", dir.path().join("lo-profile").display()))
        .args(["--headless", "--infilter=MS Word 2007 XML", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path().join("lo"))
        .args(&docs)
        .output()
        .expect("soffice runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut groups = 0;
    for s in names {
        let stem = s.trim_end_matches(".json");
        let ours = braces_of(&py, &dir.path().join(format!("{stem}.pdf")));
        let lo = braces_of(&py, &dir.path().join("lo").join(format!("{stem}.pdf")));
        let plan: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(repo().join("samples").join(s)).unwrap()).unwrap();
        let want = plan["noi_nhan"]["muc"].as_array().unwrap().iter().filter(|m| m.get("ghi_chu").is_some()).count();
        assert_eq!(ours.len(), want, "{stem}: one brace per group in our PDF: {ours:?}");
        assert_eq!(lo.len(), want, "{stem}: one brace per group in LibreOffice's PDF of our DOCX: {lo:?}");
        for (a, b) in ours.iter().zip(&lo) {
            let close = (a.0 - b.0).abs() <= 0.5 && (a.1 - b.1).abs() <= 0.5 && (a.2 - b.2).abs() <= 0.5 && (a.3 - b.3).abs() <= 0.5;
            assert!(close, "{stem}: our brace {a:?}, LibreOffice's {b:?}");
            assert!(a.3 - a.2 > 20.0 && a.1 - a.0 > 4.0, "{stem}: a brace is taller than one line and has a width: {a:?}");
        }
        groups += want;
    }
    assert!(groups >= 5, "the samples have groups to compare: {groups}");
}
