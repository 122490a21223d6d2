//! The library as another program embeds it: without the command line's dependencies, and only
//! through the small API at the crate root.

use std::process::Command;

/// `cargo tree -e normal --no-default-features` lists none of the command line's crates.
#[test]
fn the_library_alone_pulls_in_no_cli_crates() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let o = Command::new(cargo)
        .args(["tree", "-e", "normal", "--no-default-features", "--prefix", "none", "--offline"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tree = String::from_utf8_lossy(&o.stdout);
    assert!(tree.lines().any(|l| l.starts_with("tera ")), "not a dependency tree:\n{tree}");
    for cli in ["clap ", "indicatif ", "opener ", "mimalloc "] {
        assert!(!tree.lines().any(|l| l.starts_with(cli)), "{cli} is a dependency of the library:\n{tree}");
    }
}

#[test]
fn a_plan_goes_through_the_api_and_the_gate() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/seed-004.json")).unwrap();
    let plan = kehoach::Plan::from_json(&text).unwrap();
    let checked = plan.clone().check().unwrap();
    let engine = kehoach::Engine::default();
    let (docx, pdf) = engine.docx_and_pdf(&checked).unwrap();
    assert_eq!(engine.docx(&checked).unwrap(), docx);
    assert_eq!(engine.pdf(&checked).unwrap(), pdf);
    assert_eq!(engine.pages(&checked).unwrap().len(), 4);
    // A plan the rules refuse gives its findings, and nothing to render.
    let mut bad = plan;
    bad.ky_hieu = serde_json::from_str("\"KH–KKTKT\"").unwrap();
    let rejected = bad.check().unwrap_err();
    assert!(rejected.errors().any(|f| f.ma == "KH-SO-05"), "{rejected}");
}
