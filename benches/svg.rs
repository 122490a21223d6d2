//! SVG pages, per sample: `cargo bench --bench svg`.
//!
//! Prints milliseconds to export all the pages of a plan as SVG (in-process, median of repeated
//! runs, templates and fonts loaded once), the PDF's time beside it, and the size of the SVG pages
//! (smallest, mean and largest); and what the preview pays on each pause in typing: the plan read
//! from its JSON, checked, laid out and written as SVG pages ("preview"), against issue 13's target
//! of 5 ms. Figures, not a pass/fail test.

use std::path::Path;
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

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let samples = ["seed-000", "seed-002", "seed-004", "xa-an-phu-2026", "dang-uy-xa-2026"];
    let engine = kehoach::Engine::default();
    println!("{:<18} {:>5} {:>8} {:>8} {:>11} {:>22}", "sample", "pages", "SVG ms", "PDF ms", "preview ms", "SVG KB/page min/mean/max");
    let mut worst: f64 = 0.0;
    for s in samples {
        let path = repo.join("samples").join(format!("{s}.json"));
        let plan = kehoach::Plan::read(path.to_str().unwrap()).unwrap().check().unwrap();
        let svg = time_ms(30, || {
            engine.svg(&plan).unwrap();
        });
        let pdf = time_ms(30, || {
            engine.pdf(&plan).unwrap();
        });
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let preview = time_ms(30, || {
            let plan = kehoach::Plan::from_value(&json).unwrap().check().unwrap();
            engine.svg(&plan).unwrap();
        });
        worst = worst.max(preview);
        let pages = engine.svg(&plan).unwrap();
        let kb: Vec<f64> = pages.iter().map(|p| p.len() as f64 / 1024.0).collect();
        let (min, max) = kb.iter().fold((f64::MAX, 0.0f64), |(a, b), k| (a.min(*k), b.max(*k)));
        let mean = kb.iter().sum::<f64>() / kb.len() as f64;
        println!("{s:<18} {:>5} {svg:>8.2} {pdf:>8.2} {preview:>11.2} {:>22}", pages.len(), format!("{min:.0} / {mean:.0} / {max:.0}"));
    }
    println!();
    println!("target (issue 13): read + check + layout + SVG for the preview <= 5 ms: slowest sample {worst:.2} ms: {}", if worst <= 5.0 { "met" } else { "NOT met" });
}
