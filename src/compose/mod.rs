//! Composing the document: the regime applied to the plan ([`view`]), the Tera templates
//! ([`template`]) that arrange it as document markup, and the reader of that markup ([`markup`])
//! that gives the format-neutral [`crate::document::Document`].

pub mod inline;
pub mod markup;
pub mod template;
pub mod view;
