//! `kehoach schema` checked by a JSON Schema validator written by others (the `jsonschema` package
//! from PyPI, installed by `.ci/run`): the schema is a valid draft 2020-12 schema, every sample and
//! fixture validates against it, and it rejects what the loader rejects (a misspelt key, a wrong type,
//! a malformed date).

mod common;
use common::*;
use std::process::Command;

/// A Python that can `import jsonschema`: `$KEHOACH_PYTHON`, the virtual environment `.ci/run`
/// makes, or `python3`.
fn python() -> Option<std::path::PathBuf> {
    let cache = std::env::var("XDG_CACHE_HOME")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::path::PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache"));
    let venv = cache.join("kehoach-ci/python/bin/python");
    let candidates: Vec<std::path::PathBuf> = std::env::var("KEHOACH_PYTHON")
        .map(|p| vec![std::path::PathBuf::from(p)])
        .unwrap_or_else(|_| vec![venv, "python3".into()]);
    let found = candidates.into_iter().find(|p| {
        Command::new(p).args(["-c", "import jsonschema"]).output().is_ok_and(|o| o.status.success())
    });
    require("Python with the jsonschema package (pip install jsonschema)", found)
}

const SCRIPT: &str = r#"
import json, sys
from jsonschema import Draft202012Validator
schema = json.load(open(sys.argv[1], encoding="utf-8"))
Draft202012Validator.check_schema(schema)
v = Draft202012Validator(schema)
out = {}
for path in sys.argv[2:]:
    doc = json.load(open(path, encoding="utf-8"))
    out[path] = sorted(e.message for e in v.iter_errors(doc))
print(json.dumps(out, ensure_ascii=False))
"#;

/// Validates each file with the schema `kehoach schema` prints; returns the errors per file.
fn validate(py: &std::path::Path, files: &[std::path::PathBuf]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_kehoach")).arg("schema").output().unwrap();
    assert!(o.status.success());
    let schema = dir.path().join("kehoach.schema.json");
    std::fs::write(&schema, &o.stdout).unwrap();
    let script = dir.path().join("validate.py");
    std::fs::write(&script, SCRIPT).unwrap();
    let o = Command::new(py).arg(&script).arg(&schema).args(files).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

fn sample_paths() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = SAMPLES.iter().map(|s| repo().join("samples").join(s)).collect();
    v.extend(FIXTURES.iter().map(|s| repo().join("tests/fixtures").join(s)));
    for r in ["nd30", "hd05", "hd36"] {
        v.push(repo().join(format!("src/plan/starter/{r}.json")));
    }
    v
}

#[test]
fn every_sample_fixture_and_starter_validates() {
    let Some(py) = python() else { return };
    let files = sample_paths();
    let report = validate(&py, &files);
    for f in &files {
        let errors = &report[f.to_str().unwrap()];
        assert_eq!(errors, &serde_json::json!([]), "{}: {errors}", f.display());
    }
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let Some(py) = python() else { return };
    let base: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("samples/xa-an-phu-2026.json")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Box<dyn Fn(&mut serde_json::Value)>, &str)> = vec![
        ("misspelt-top.json", Box::new(|v| v["kyhieu"] = "KH-UBND".into()), "kyhieu"),
        (
            "misspelt-deep.json",
            Box::new(|v| v["noi_dung"][0]["tieu_dee"] = "X".into()),
            "tieu_dee",
        ),
        ("misspelt-signer.json", Box::new(|v| v["nguoi_ky"]["hoten"] = "A".into()), "hoten"),
        ("wrong-type.json", Box::new(|v| v["so"] = "06".into()), "06"),
        ("bad-date.json", Box::new(|v| v["ngay"] = "16/01/2026".into()), "16/01/2026"),
        ("bad-regime.json", Box::new(|v| v["the_thuc"] = "nd31".into()), "nd31"),
        ("missing.json", Box::new(|v| { v.as_object_mut().unwrap().remove("ky_hieu"); }), "ky_hieu"),
    ];
    let mut files = Vec::new();
    for (name, edit, _) in &cases {
        let mut v = base.clone();
        edit(&mut v);
        let p = dir.path().join(name);
        std::fs::write(&p, serde_json::to_string(&v).unwrap()).unwrap();
        // The loader rejects each of them too.
        assert!(kehoach::Plan::from_json(&serde_json::to_string(&v).unwrap()).is_err(), "{name}");
        files.push(p);
    }
    // And "$schema" is allowed by both.
    let mut with_schema = base.clone();
    with_schema["$schema"] = "./kehoach.schema.json".into();
    let ok = dir.path().join("with-schema.json");
    std::fs::write(&ok, serde_json::to_string(&with_schema).unwrap()).unwrap();
    kehoach::Plan::from_json(&serde_json::to_string(&with_schema).unwrap()).unwrap();
    files.push(ok.clone());

    let report = validate(&py, &files);
    for ((name, _, word), f) in cases.iter().zip(&files) {
        let errors = report[f.to_str().unwrap()].as_array().unwrap();
        assert!(!errors.is_empty(), "{name}: the schema accepted it");
        assert!(errors.iter().any(|e| e.as_str().unwrap().contains(word)), "{name}: {errors:?}");
    }
    assert_eq!(report[ok.to_str().unwrap()], serde_json::json!([]));
}
