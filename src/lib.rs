//! kehoach turns a structured plan (JSON) into an official Vietnamese KẾ HOẠCH, laid out by the
//! rules of thể thức of its regime: Nghị định 30/2020/NĐ-CP (state bodies), Hướng dẫn 05-HD/VPTW
//! (Party bodies, from 2026) and Hướng dẫn 36-HD/VPTW (older Party plans). It writes a DOCX that
//! stays editable in Word, and a PDF (and SVG pages) laid out with the same lines and page breaks.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let text = std::fs::read_to_string("samples/xa-an-phu-2026.json")?;
//! let plan = kehoach::Plan::from_json(&text)?;   // NFC, limits, errors with JSON path and line:col
//! let checked = plan.check()?;                   // Err: the findings; Ok: a CheckedPlan (+ warnings)
//! let engine = kehoach::Engine::default();       // built-in templates, bundled fonts
//! let docx: Vec<u8> = engine.docx(&checked)?;
//! let pdf: Vec<u8> = engine.pdf(&checked)?;
//! let pages: Vec<String> = engine.svg(&checked)?; // one SVG document per page
//! # assert!(docx.starts_with(b"PK") && pdf.starts_with(b"%PDF-") && pages[0].contains("<svg"));
//! # Ok(())
//! # }
//! ```
//!
//! Pipeline, one module each: [`plan`] (JSON → the plan model) → `regime` (the rules of each
//! regime as data, the numbering of items, and the checks: [`Plan::check`] is the one gate) →
//! `compose` (the regime applied, Tera templates, document markup) → [`document`] (the
//! format-neutral document: styles, sections, blocks) → [`layout`] (pages) → `export` (DOCX, PDF, SVG).
//! [`batch`] (one plan per subordinate unit) and the command line sit on top.

#![warn(missing_docs)]

pub mod batch;
pub(crate) mod compose;
pub mod document;
mod engine;
mod error;
pub(crate) mod export;
mod fonts;
pub mod import;
pub(crate) mod input;
pub mod layout;
mod memo;
pub mod output;
pub mod plan;
pub(crate) mod regime;
pub mod report;
#[cfg(feature = "serve")]
pub mod serve;

pub use engine::{Engine, Outputs, Part, Rendered};
pub use export::pdf::PdfOptions;
pub use export::pdf::SignBoxes;
pub use error::Error;
pub use fonts::FontSet;
pub use plan::Plan;
pub use plan::model::Regime;
pub use regime::check::{CheckOptions, CheckedPlan, Rejected};
pub use regime::rules::{Finding, MucDo};

/// The JSON Schema (draft 2020-12) of a plan, with a Vietnamese description of every field.
pub fn schema() -> String {
    plan::schema::plan_schema_string()
}

/// The starter plan of a regime (`kehoach new`): its placeholders (`[… tên xã]`) must be filled
/// before the checks let it through.
pub fn starter(regime: Regime) -> &'static str {
    plan::starter::for_regime(regime)
}

/// The built-in templates: (file name, what it holds, source).
pub fn builtin_templates() -> &'static [(&'static str, &'static str, &'static str)] {
    compose::template::BUILTIN
}

/// The signing boxes of a PDF (`--sign-boxes`): where the signature, the seal, the số and the date
/// are, in PDF points.
pub mod sign {
    pub use crate::export::pdf::sign::{Blank, FIELD_NAME, PageSize, Rect, SignBoxes, Slot};
}

/// The catalogue of the rules of thể thức, and how findings are counted.
pub mod rules {
    pub use crate::regime::rules::{Finding, MAX_PER_RULE, MucDo, RULES, Rule, has_errors, rule_info};
}
