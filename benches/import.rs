//! Import speed: `cargo bench --bench import`.
//!
//! Prints milliseconds per import (median of repeated runs, in-process) of 4–5 page DOCX files —
//! the samples as kehoach writes them, and the seeds typed in Word (tests/fixtures/import/) — and of
//! the seed texts, then of a whole `kehoach import` process. Figures, not a pass/fail test.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn time_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
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

fn pages(plan: &kehoach::Plan, engine: &kehoach::Engine) -> usize {
    match plan.clone().check() {
        Ok(c) => engine.pages(&c).unwrap().len(),
        Err(_) => 0,
    }
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let engine = kehoach::Engine::default();
    let bin = repo.join("target/release/kehoach");
    let dir = tempfile::tempdir().unwrap();
    println!("{:<34} {:>6} {:>8} {:>10} {:>12}", "input", "pages", "KB", "import ms", "process ms");
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    for s in ["seed-000", "seed-002", "seed-004", "xa-an-phu-2026", "dang-uy-xa-2026"] {
        let plan = kehoach::Plan::read(repo.join("samples").join(format!("{s}.json")).to_str().unwrap()).unwrap();
        inputs.push((format!("{s}.docx (kehoach)"), engine.docx(&plan.check().unwrap()).unwrap()));
    }
    for code in ["000", "002", "004"] {
        for kind in ["go-tay", "tu-dong", "tab"] {
            let name = format!("{code}-{kind}.docx");
            inputs
                .push((format!("{name} (python-docx)"), std::fs::read(repo.join("tests/fixtures/import").join(&name)).unwrap()));
        }
    }
    let seeds = repo.join("tests/fixtures/seeds");
    let mut seed_files: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    seed_files.sort();
    for p in seed_files {
        inputs.push((format!("{} (text)", &p.file_name().unwrap().to_string_lossy()[..3]), std::fs::read(&p).unwrap()));
    }
    for (name, bytes) in &inputs {
        let imp = kehoach::import::from_bytes(bytes).unwrap();
        let plan = kehoach::Plan::from_json(&imp.json()).unwrap();
        let ms = time_ms(50, || {
            kehoach::import::from_bytes(bytes).unwrap();
        });
        let process = if bin.exists() {
            let input = dir.path().join("in.bin");
            std::fs::write(&input, bytes).unwrap();
            let out = dir.path().join("out.json");
            format!(
                "{:.1}",
                time_ms(10, || {
                    let st = Command::new(&bin)
                        .args(["import", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--force"])
                        .output()
                        .unwrap();
                    assert!(st.status.success());
                })
            )
        } else {
            "(build --release)".into()
        };
        println!("{:<34} {:>6} {:>8.1} {:>10.2} {:>12}", name, pages(&plan, &engine), bytes.len() as f64 / 1024.0, ms, process);
    }
}
