//! JSON → plan → rules → DOCX and PDF: whatever the bytes, the engine answers with a plan or a Vietnamese
//! error, never a panic, a hang or a crash.

#![no_main]

use libfuzzer_sys::fuzz_target;

thread_local! {
    static ENGINE: kehoach::Engine = kehoach::Engine::default();
}

const OPTS: kehoach::CheckOptions = kehoach::CheckOptions { hom_nay: (2026, 8, 1) };

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match kehoach::Plan::from_json(text) {
        Ok(plan) => {
            let findings = plan.findings(&OPTS);
            let _ = kehoach::report::text("plan.json", &findings);
            let _ = kehoach::report::lines(&findings);
            if let Ok(checked) = plan.check_with(&OPTS) {
                ENGINE.with(|e| {
                    let (docx, pdf) = e.docx_and_pdf(&checked).expect("a checked plan renders");
                    assert!(docx.starts_with(b"PK"));
                    assert!(pdf.starts_with(b"%PDF-"));
                });
            }
        }
        Err(e) => {
            assert!(!e.to_string().is_empty());
        }
    }
});
