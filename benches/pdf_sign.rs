//! The cost of a PDF ready to sign and to archive, per sample: `cargo bench --bench pdf_sign`.
//!
//! Prints milliseconds per plan (in-process, the fastest of 100 runs: on a machine shared with other
//! work the fastest run is the one least disturbed, and the differences between the columns are
//! smaller than a median's noise) for the ordinary PDF, the PDF
//! with `--signature-field`, with `--pdfa`, with both and the signing boxes, and the boxes alone;
//! and the sizes of the ordinary and the PDF/A file. Figures, not a pass/fail test.

use kehoach::{Outputs, PdfOptions};
use std::path::Path;
use std::time::Instant;

fn time_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let engine = kehoach::Engine::default();
    println!(
        "{:<18} {:>8} {:>9} {:>8} {:>10} {:>9} {:>8} {:>10}",
        "sample", "PDF ms", "field ms", "PDF/A ms", "all+boxes", "boxes ms", "PDF KB", "PDF/A KB"
    );
    for s in ["seed-000", "seed-002", "seed-004", "xa-an-phu-2026", "dang-uy-xa-2026"] {
        let path = repo.join("samples").join(format!("{s}.json"));
        let plan = kehoach::Plan::read(path.to_str().unwrap()).unwrap().check().unwrap();
        let with = |signature_field, pdfa, sign_boxes| Outputs { pdf: Some(PdfOptions { signature_field, pdfa }), sign_boxes, ..Outputs::default() };
        let run = |o: Outputs| time_ms(100, || drop(engine.render(&plan, &o).unwrap()));
        let plain = run(with(false, false, false));
        let field = run(with(true, false, false));
        let pdfa = run(with(false, true, false));
        let all = run(with(true, true, true));
        let boxes = time_ms(100, || drop(engine.sign_boxes(&plan).unwrap()));
        let size = |o: Outputs| engine.render(&plan, &o).unwrap().pdf.unwrap().len() as f64 / 1024.0;
        println!(
            "{:<18} {:>8.2} {:>9.2} {:>8.2} {:>10.2} {:>9.2} {:>8.1} {:>10.1}",
            s,
            plain,
            field,
            pdfa,
            all,
            boxes,
            size(with(false, false, false)),
            size(with(false, true, false))
        );
    }
}
