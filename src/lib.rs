//! kehoach: turns a structured plan (JSON) into an official Vietnamese KẾ HOẠCH, laid out by the
//! rules of thể thức of its regime (Nghị định 30/2020/NĐ-CP; Hướng dẫn 05-HD/VPTW; Hướng dẫn
//! 36-HD/VPTW).
//!
//! Pipeline: [`load`] (JSON → [`model::Plan`]) → [`view`] (the regime's [`profile`] applied) →
//! [`template`] (Tera → document markup) → [`markup`] (→ [`document::Document`]) → [`docx`].

pub mod batch;
pub mod docx;
pub mod document;
pub mod error;
pub mod fonts;
pub mod inline;
pub mod load;
pub mod markup;

pub mod model;
pub mod output;
pub mod pdf;
pub mod profile;
pub mod render;
pub mod report;
pub mod rules;
pub mod schema;
pub mod starter;
pub mod template;
pub mod validate;
pub mod view;
pub mod vn;

pub use error::Error;
pub use render::Engine;
