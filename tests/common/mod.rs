//! Helpers shared by the integration tests: render a sample, and read the DOCX back as XML
//! (with roxmltree, independently of the writer's own types).

#![allow(dead_code)]

#[cfg(feature = "serve")]
pub mod serve;

use std::io::Read;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A plan from `samples/` or, failing that, from `tests/fixtures/`.
pub fn sample(name: &str) -> kehoach::Plan {
    let mut path = repo().join("samples").join(name);
    if !path.exists() {
        path = repo().join("tests/fixtures").join(name);
    }
    kehoach::Plan::read(path.to_str().unwrap()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The day the tests check plans on (a fixed day, so date rules give the same findings every day).
pub const TODAY: kehoach::CheckOptions = kehoach::CheckOptions { hom_nay: (2026, 8, 1) };

/// A plan through the checks, which it must pass.
pub fn checked(plan: kehoach::Plan) -> kehoach::CheckedPlan {
    plan.check_with(&TODAY).unwrap_or_else(|e| panic!("{e}"))
}

pub fn render_docx(name: &str) -> Vec<u8> {
    kehoach::Engine::default().docx(&checked(sample(name))).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// One part of a ZIP package, as text.
pub fn part(docx: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("DOCX is a ZIP");
    let mut f = z.by_name(name).unwrap_or_else(|_| panic!("part {name} missing"));
    let mut s = String::new();
    f.read_to_string(&mut s).unwrap();
    s
}

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A paragraph read back from `word/document.xml`.
#[derive(Debug, Clone)]
pub struct P {
    pub style: String,
    pub text: String,
    /// Attributes of pPr children, e.g. ("jc", "val") → "both".
    pub ppr: Vec<(String, String, String)>,
    /// Each run's properties: (size, bold, italic, underline, fonts ok) with its text.
    pub runs: Vec<R>,
    /// Is the paragraph inside a table?
    pub in_table: bool,
}

#[derive(Debug, Clone)]
pub struct R {
    pub text: String,
    pub size: Option<u32>,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    pub fonts_tnr: bool,
}

impl P {
    pub fn ppr(&self, el: &str, attr: &str) -> Option<&str> {
        self.ppr.iter().find(|(e, a, _)| e == el && a == attr).map(|(_, _, v)| v.as_str())
    }
    pub fn has(&self, el: &str) -> bool {
        self.ppr.iter().any(|(e, _, _)| e == el)
    }
    pub fn ppr_i32(&self, el: &str, attr: &str) -> i32 {
        self.ppr(el, attr).map(|v| v.parse().unwrap()).unwrap_or(0)
    }
}

fn wattr<'a>(n: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    n.attribute((W, name))
}

fn on(n: roxmltree::Node, tag: &str) -> bool {
    n.children().any(|c| c.tag_name().name() == tag && wattr(c, "val").is_none_or(|v| v != "0" && v != "false"))
}

pub fn paragraphs(xml: &str) -> Vec<P> {
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let mut out = Vec::new();
    for p in doc.descendants().filter(|n| n.has_tag_name((W, "p"))) {
        let ppr_node = p.children().find(|c| c.has_tag_name((W, "pPr")));
        let mut style = String::new();
        let mut ppr = Vec::new();
        if let Some(pp) = ppr_node {
            for el in pp.descendants().filter(|n| n.is_element() && *n != pp) {
                if el.has_tag_name((W, "pStyle")) {
                    style = wattr(el, "val").unwrap_or("").to_string();
                }
                // Properties of the paragraph itself (not of its mark's rPr).
                if el.ancestors().any(|a| a.has_tag_name((W, "rPr"))) {
                    continue;
                }
                let name = el.tag_name().name().to_string();
                if el.attributes().len() == 0 {
                    ppr.push((name.clone(), String::new(), String::new()));
                }
                for a in el.attributes() {
                    ppr.push((name.clone(), a.name().to_string(), a.value().to_string()));
                }
                // Border sides: record them under "pBdr.<side>".
                if el.parent().is_some_and(|pa| pa.has_tag_name((W, "pBdr"))) {
                    ppr.push((format!("pBdr.{name}"), "val".into(), wattr(el, "val").unwrap_or("").into()));
                }
            }
        }
        let mut runs = Vec::new();
        for r in p.children().filter(|c| c.has_tag_name((W, "r"))) {
            let rpr = r.children().find(|c| c.has_tag_name((W, "rPr")));
            let text: String = r
                .descendants()
                .filter(|n| n.has_tag_name((W, "t")))
                .filter_map(|n| n.text())
                .collect::<String>()
                + if r.children().any(|c| c.has_tag_name((W, "br"))) { "\n" } else { "" };
            let (size, bold, italic, underline, fonts_tnr) = match rpr {
                Some(rp) => {
                    let size = rp
                        .children()
                        .find(|c| c.has_tag_name((W, "sz")))
                        .and_then(|c| wattr(c, "val"))
                        .and_then(|v| v.parse().ok());
                    let fonts = rp.children().find(|c| c.has_tag_name((W, "rFonts")));
                    let tnr = fonts.is_some_and(|f| {
                        ["ascii", "hAnsi", "cs", "eastAsia"].iter().all(|k| wattr(f, k) == Some("Times New Roman"))
                    });
                    let u = rp.children().any(|c| c.has_tag_name((W, "u")) && wattr(c, "val") != Some("none"));
                    (size, on(rp, "b"), on(rp, "i"), u, tnr)
                }
                None => (None, false, false, false, false),
            };
            runs.push(R { text, size, bold, italic, underline, fonts_tnr });
        }
        let text = runs.iter().map(|r| r.text.as_str()).collect();
        let in_table = p.ancestors().any(|a| a.has_tag_name((W, "tc")));
        out.push(P { style, text, ppr, runs, in_table });
    }
    out
}

/// The first paragraph of a style.
pub fn first<'a>(ps: &'a [P], style: &str) -> &'a P {
    ps.iter().find(|p| p.style == style).unwrap_or_else(|| panic!("no paragraph of style {style}"))
}

/// The paragraph right after the first one of `style`.
pub fn after<'a>(ps: &'a [P], style: &str) -> &'a P {
    let i = ps.iter().position(|p| p.style == style).unwrap_or_else(|| panic!("no paragraph of style {style}"));
    &ps[i + 1]
}

/// The seed texts: copies of `shared/seeds/` kept in the repository, so the tests run from a clean
/// clone alone.
pub fn seeds_dir() -> PathBuf {
    repo().join("tests").join("fixtures").join("seeds")
}

/// Finds an external tool: `$env` if set, else the first of `candidates` that exists or is on PATH.
pub fn tool(env: &str, candidates: &[&str]) -> Option<PathBuf> {
    if let Ok(p) = std::env::var(env) {
        return Some(PathBuf::from(p));
    }
    for c in candidates {
        let p = Path::new(c);
        if p.is_absolute() || c.contains('/') {
            let p = if p.is_absolute() { p.to_path_buf() } else { repo().join(p) };
            if p.exists() {
                return Some(p);
            }
        } else if let Some(paths) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&paths) {
                if dir.join(c).exists() {
                    return Some(dir.join(c));
                }
            }
        }
    }
    None
}

/// In CI every external checker must be present; elsewhere a missing one skips its test.
pub fn require(name: &str, found: Option<PathBuf>) -> Option<PathBuf> {
    if found.is_none() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{name} is required in CI but was not found (does .ci/run install it?)");
        }
        // Written to the terminal directly, past the test harness's capture, so a test that did not
        // run never looks like one that passed.
        use std::io::Write;
        let test = std::thread::current().name().unwrap_or("?").to_string();
        let _ = writeln!(
            std::io::stderr().lock(),
            "SKIPPED (not run): {test}: {name} not installed (run .ci/run to install the external checkers)"
        );
    }
    found
}

pub const SAMPLES: &[&str] = &["seed-000.json", "seed-002.json", "seed-004.json", "xa-an-phu-2026.json", "dang-uy-xa-2026.json", "phu-luc-nd30.json", "dang-uy-khoi-2026.json"];

/// Test plans that exercise what the samples do not (stamps, drafts, every list kind).
pub const FIXTURES: &[&str] = &["du-thao-day-du.json"];

/// Where two texts first differ, with some context, for a readable failure.
pub fn first_difference(a: &str, b: &str) -> String {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let i = a.iter().zip(&b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let ctx = |v: &[char]| v[i.saturating_sub(60)..(i + 60).min(v.len())].iter().collect::<String>();
    format!("at char {i}:\n  left:  …{}…\n  right: …{}…", ctx(&a), ctx(&b))
}

/// A sample's PDF and its SVG pages, with the bundled fonts.
pub fn render_pdf_and_svg(name: &str) -> (Vec<u8>, Vec<String>) {
    let engine = kehoach::Engine::default();
    let plan = checked(sample(name));
    let pdf = engine.pdf(&plan).unwrap_or_else(|e| panic!("{name}: {e}"));
    let svg = engine.svg(&plan).unwrap_or_else(|e| panic!("{name}: {e}"));
    (pdf, svg)
}

/// Headless Chromium (Debian's `chromium`), for screenshots of pages.
pub fn chromium() -> Option<PathBuf> {
    tool("CHROMIUM", &["chromium", "chromium-browser", "google-chrome"])
}

/// A screenshot of `url` in a `width`×`height` viewport (CSS pixels, device scale 1), by a fresh
/// headless Chromium with a profile of its own, nothing fetched from the network, and `env` set.
pub fn chromium_screenshot(chromium: &Path, url: &str, png: &Path, width: u32, height: u32, env: &[(&str, &Path)]) {
    let profile = tempfile::tempdir().unwrap();
    let o = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            // Lets the page finish whatever it started (images, their fonts) before the shot.
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("--window-size={width},{height}"))
        .arg(url)
        .envs(env.iter().map(|(k, v)| (*k, *v)))
        .output()
        .expect("chromium runs");
    assert!(
        o.status.success() && png.exists(),
        "chromium failed on {url}: {}",
        String::from_utf8_lossy(&o.stderr).lines().filter(|l| !l.contains("dbus")).collect::<Vec<_>>().join("\n")
    );
}
