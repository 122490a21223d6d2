//! JSON → plan → rules → DOCX and PDF: whatever the bytes, the engine answers with a plan or a Vietnamese
//! error, never a panic, a hang or a crash.

#![no_main]

use libfuzzer_sys::fuzz_target;

thread_local! {
    static ENGINE: kehoach::Engine = kehoach::Engine::new(None).expect("built-in templates load");
}

const OPTS: kehoach::regime::rules::Options = kehoach::regime::rules::Options { hom_nay: (2026, 8, 1) };

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match kehoach::plan::load::parse_plan_with_notes(text) {
        Ok((plan, notes)) => {
            let findings = kehoach::regime::rules::check(&plan, &notes, &OPTS);
            let _ = kehoach::regime::report::text("plan.json", &findings);
            let _ = kehoach::regime::report::lines(&findings);
            ENGINE.with(|e| {
                if let Ok((docx, pdf)) = e.docx_and_pdf(&plan, kehoach::fonts::FontSet::bundled()) {
                    assert!(docx.starts_with(b"PK"));
                    assert!(pdf.starts_with(b"%PDF-"));
                }
            });
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
        }
    }
});
