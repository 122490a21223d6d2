//! Every sample's DOCX and PDF, byte for byte, as they were when this file was last blessed: a
//! change to the engine that changes an output shows up here, and is either a bug or a change to
//! bless on purpose (`KEHOACH_BLESS=1 cargo test --test golden`, then say in the commit why the
//! bytes changed).

mod common;
use common::*;

/// FNV-1a, 64 bits: enough to tell two outputs apart, and the same on every machine.
fn fnv(data: &[u8]) -> u64 {
    let mut h = 0xcbf29ce484222325u64;
    for b in data {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

#[test]
fn outputs_are_the_blessed_bytes() {
    let engine = kehoach::Engine::default();
    let mut got = String::new();
    for name in SAMPLES.iter().chain(FIXTURES) {
        let (docx, pdf) = engine.docx_and_pdf(&checked(sample(name))).unwrap();
        got.push_str(&format!("{name} docx {:016x} {}\n", fnv(&docx), docx.len()));
        got.push_str(&format!("{name} pdf {:016x} {}\n", fnv(&pdf), pdf.len()));
    }
    let path = repo().join("tests/fixtures/golden.txt");
    if std::env::var("KEHOACH_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).expect("tests/fixtures/golden.txt (KEHOACH_BLESS=1 writes it)");
    let diff: Vec<String> = want
        .lines()
        .zip(got.lines())
        .filter(|(w, g)| w != g)
        .map(|(w, g)| format!("  was {w}\n  now {g}"))
        .collect();
    assert!(diff.is_empty() && want.lines().count() == got.lines().count(), "outputs changed:\n{}", diff.join("\n"));
}
