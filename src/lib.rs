//! kehoach: turns a structured plan (JSON) into an official Vietnamese KẾ HOẠCH, laid out by the
//! rules of thể thức of its regime (Nghị định 30/2020/NĐ-CP; Hướng dẫn 05-HD/VPTW; Hướng dẫn
//! 36-HD/VPTW).
//!
//! Pipeline: [`plan`] (JSON → the plan model) → [`regime`] (the rules of each regime, as data, and
//! the checks) → [`compose`] (the regime applied, Tera templates, document markup) →
//! [`document`] (the format-neutral document) → [`layout`] (pages) → [`export`] (DOCX, PDF).
//! [`batch`] and the command line sit on top.

pub mod batch;
pub mod compose;
pub mod document;
pub mod engine;
pub mod error;
pub mod export;
pub mod fonts;
pub mod input;
pub mod layout;
pub mod output;
pub mod plan;
pub mod regime;

pub use engine::Engine;
pub use error::Error;
