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
