//! `kehoach serve`: `cargo bench --bench serve`.
//!
//! Prints (medians; figures, not a pass/fail test):
//! - the server's time for one re-render of a 5-page plan as the page asks for it on each edit:
//!   the plan read and checked, laid out and written as SVG pages — in-process, and as a
//!   `POST /api/preview` over 127.0.0.1 (with the JSON of the pages);
//! - the time from an input event in the page to the frame showing the updated pages, in headless
//!   Chromium (benches/serve_latency.py, Playwright; skipped with a note when not installed);
//! - 50 concurrent `POST /api/render?format=pdf` against 127.0.0.1 (one request per client, all
//!   started at once, each bounded to 60 s): throughput and p50/p99 latency.

use std::path::Path;
use std::time::{Duration, Instant};

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1]
}

fn time_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut v: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    median(&mut v)
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let plan_path = repo.join("samples/seed-002.json");
    let text = std::fs::read_to_string(&plan_path).unwrap();
    let engine = kehoach::Engine::default();
    let pages = engine.svg(&kehoach::Plan::from_json(&text).unwrap().check().unwrap()).unwrap().len();

    let inproc = time_ms(40, || {
        let checked = kehoach::Plan::from_json(&text).unwrap().check().unwrap();
        engine.svg(&checked).unwrap();
    });
    println!("re-render of seed-002 ({pages} pages: read + check + layout + SVG), in-process: {inproc:.2} ms (target ≤ 20 ms)");

    // The server, in-process, on 127.0.0.1 and a free port.
    let router = kehoach::serve::router(kehoach::serve::Config::default()).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
        rt.block_on(async move {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(l.local_addr().unwrap()).unwrap();
            kehoach::serve::serve(l, router, async move {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
    });
    let addr = rx.recv().unwrap();
    let url = format!("http://{addr}");
    let agent: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(60))).build().into();
    let post = |path: &str| -> Vec<u8> {
        let mut r = agent.post(&format!("{url}{path}")).send(text.as_bytes()).unwrap();
        r.body_mut().with_config().limit(100 << 20).read_to_vec().unwrap()
    };
    let mut size = 0;
    let http = time_ms(40, || size = post("/api/preview").len());
    println!("POST /api/preview over 127.0.0.1 (findings + {pages} SVG pages, {} KB of JSON): {http:.2} ms", size / 1024);

    // Chromium: input event → updated page.
    let py = std::env::var("KEHOACH_PYTHON").unwrap_or_else(|_| "python3".into());
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let o = std::process::Command::new(&py)
        .arg(repo.join("benches/serve_latency.py"))
        .arg(format!("{url}/"))
        .arg(&chromium)
        .arg(&plan_path)
        .arg("20")
        .output();
    match o {
        Ok(o) if o.status.success() => {
            let runs: Vec<(f64, serde_json::Value)> = serde_json::from_slice(&o.stdout).unwrap();
            let mut v: Vec<f64> = runs.iter().map(|r| r.0).collect();
            let (min, max) = v.iter().fold((f64::MAX, 0.0f64), |(a, b), x| (a.min(*x), b.max(*x)));
            let med = median(&mut v);
            let part = |k: &str| median(&mut runs.iter().map(|r| r.1[k].as_f64().unwrap()).collect::<Vec<_>>());
            println!(
                "Chromium, input event → frame with the updated pages ({} edits of the trích yếu): median {med:.0} ms, min {min:.0}, max {max:.0} (target ≤ 150 ms); median parts: debounce {:.0}, request {:.0}, DOM {:.0}, frame {:.0}",
                v.len(), part("wait"), part("request"), part("dom"), part("frame")
            );
        }
        Ok(o) => println!("Chromium: not measured ({})", String::from_utf8_lossy(&o.stderr).lines().last().unwrap_or("")),
        Err(e) => println!("Chromium: not measured ({py}: {e})"),
    }

    // 50 concurrent renders.
    let want = post("/api/render?format=pdf");
    let n = 50;
    let start = Instant::now();
    let mut lat: Vec<f64> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..n)
            .map(|_| {
                s.spawn(|| {
                    let t = Instant::now();
                    let got = post("/api/render?format=pdf");
                    assert!(got == want, "a concurrent render differs");
                    t.elapsed().as_secs_f64() * 1000.0
                })
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let wall = start.elapsed().as_secs_f64();
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    println!(
        "{n} concurrent POST /api/render?format=pdf ({pages}-page PDF, {} KB; {cores} cores): {wall:.2} s, {:.0} renders/s, latency p50 {:.0} ms, p99 {:.0} ms",
        want.len() / 1024,
        n as f64 / wall,
        pct(&mut lat, 0.5),
        pct(&mut lat, 0.99)
    );
    let _ = stop.send(());
    server.join().unwrap();
}
