//! Render speed and size, per sample: `cargo bench --bench render`.
//!
//! Prints, for every sample: milliseconds per plan for the DOCX, the PDF and both (in-process,
//! median of repeated runs, templates and fonts loaded once as a long-running process would), for a
//! whole `kehoach render --format all` process, and for LibreOffice converting the same DOCX to PDF
//! (the usual route our PDF replaces), and how many times faster the process is; and the PDF's size.
//! Then the targets of issue 13 that these figures answer: one render process of the 5-page sample
//! `xa-an-phu-2026` within 12 ms and at least 130 times faster than LibreOffice in this same run,
//! DOCX + PDF in-process within 4 ms. Figures, not a pass/fail test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn time_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f(); // warm-up
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1000.0
            })
            .collect(),
    )
}

fn soffice() -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths).map(|d| d.join("soffice")).find(|p| p.exists())
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let samples = ["seed-000", "seed-002", "seed-004", "xa-an-phu-2026", "dang-uy-xa-2026"];
    let engine = kehoach::Engine::default();
    let dir = tempfile::tempdir().unwrap();
    let lo = soffice();
    println!(
        "{:<18} {:>5} {:>9} {:>9} {:>11} {:>12} {:>11} {:>9} {:>8}",
        "sample", "pages", "DOCX ms", "PDF ms", "both ms", "process ms", "soffice ms", "soffice/", "PDF KB"
    );
    let mut target: Option<(f64, f64, Option<f64>)> = None;
    for s in samples {
        let path = repo.join("samples").join(format!("{s}.json"));
        let plan = kehoach::Plan::read(path.to_str().unwrap()).unwrap().check().unwrap();
        let docx = time_ms(50, || {
            engine.docx(&plan).unwrap();
        });
        let pdf = time_ms(50, || {
            engine.pdf(&plan).unwrap();
        });
        let both = time_ms(50, || {
            engine.docx_and_pdf(&plan).unwrap();
        });
        let (docx_bytes, pdf_bytes) = engine.docx_and_pdf(&plan).unwrap();
        let pages = String::from_utf8_lossy(&pdf_bytes).matches("/Type /Page\n").count()
            + String::from_utf8_lossy(&pdf_bytes).matches("/Type/Page/").count();
        let out = dir.path().join(s);
        let process = time_ms(20, || {
            let st = Command::new(env!("CARGO_BIN_EXE_kehoach"))
                .args(["render", path.to_str().unwrap(), "--format", "all", "-o", out.to_str().unwrap()])
                .output()
                .unwrap();
            assert!(st.status.success());
        });
        let soffice_ms = lo.as_ref().map(|lo| {
            let docx_path = dir.path().join(format!("{s}.docx"));
            std::fs::write(&docx_path, &docx_bytes).unwrap();
            let profile = dir.path().join("lo-profile");
            let run = || {
                let o = Command::new(lo)
                    .arg(format!("-env:UserInstallation=file://{}", profile.display()))
                    .args(["--headless", "--infilter=MS Word 2007 XML", "--convert-to", "pdf", "--outdir"])
                    .arg(dir.path())
                    .arg(&docx_path)
                    .output()
                    .unwrap();
                assert!(o.status.success());
            };
            run(); // first start creates the profile
            median((0..3).map(|_| {
                let t = Instant::now();
                run();
                t.elapsed().as_secs_f64() * 1000.0
            }).collect())
        });
        let pages = if pages == 0 { "?".to_string() } else { pages.to_string() };
        println!(
            "{:<18} {:>5} {:>9.2} {:>9.2} {:>11.2} {:>12.1} {:>11} {:>9} {:>8.1}",
            s,
            pages,
            docx,
            pdf,
            both,
            process,
            soffice_ms.map(|m| format!("{m:.0}")).unwrap_or_else(|| "-".into()),
            soffice_ms.map(|m| format!("{:.0}x", m / process)).unwrap_or_else(|| "-".into()),
            pdf_bytes.len() as f64 / 1024.0
        );
        if s == "xa-an-phu-2026" {
            target = Some((process, both, soffice_ms));
        }
    }
    let met = |ok: bool| if ok { "met" } else { "NOT met" };
    let (process, both, soffice_ms) = target.expect("xa-an-phu-2026 measured");
    println!();
    println!("targets (issue 13), xa-an-phu-2026 (5 pages), figures from this run:");
    println!("  one `kehoach render --format all` process: {process:.1} ms (target <= 12 ms): {}", met(process <= 12.0));
    match soffice_ms {
        Some(m) => println!("  against soffice --convert-to pdf of its DOCX: {:.0}x ({m:.0} ms; target >= 130x): {}", m / process, met(m / process >= 130.0)),
        None => println!("  against soffice: not measured (no soffice on PATH)"),
    }
    println!("  DOCX + PDF in-process: {both:.2} ms (target <= 4 ms): {}", met(both <= 4.0));
}
