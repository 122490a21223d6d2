//! The plan: what a `plan.json` holds ([`model`]), how it is read (`load`: limits, NFC, errors
//! in Vietnamese with the field's path), its JSON Schema (`schema`) and the starter plans
//! (`starter`).

pub(crate) mod load;
pub mod model;
pub(crate) mod positions;
pub(crate) mod schema;
pub(crate) mod starter;
pub(crate) mod suggest;

use crate::error::Error;
pub use load::{InputNotes, MAX_INPUT_BYTES};
pub use model::{MAX_ITEMS, MAX_TEXT_CHARS};
pub use model::{MAX_NESTING, Plan};
pub use positions::Position;

impl Plan {
    /// Reads a plan from its JSON text: NFC-normalised, within the size limits, every error in
    /// Vietnamese with the field's path and the line and column.
    pub fn from_json(text: &str) -> Result<Plan, Error> {
        load::parse_plan(text)
    }

    /// Reads a plan from JSON already parsed (errors name the field's path; there is no line).
    pub fn from_value(value: &serde_json::Value) -> Result<Plan, Error> {
        load::plan_from_value(value).map(|(plan, _)| plan)
    }

    /// Reads a plan from a file, or from standard input when `path` is "-".
    pub fn read(path: &str) -> Result<Plan, Error> {
        load::read_plan(path)
    }

    /// What the loader changed in the input while reading it.
    pub fn notes(&self) -> &InputNotes {
        &self.notes
    }

    /// The line and column of each of `paths` in the JSON text the plan was read from (none for a
    /// plan read from a value).
    pub fn positions(&self, paths: &[&str]) -> std::collections::HashMap<String, positions::Position> {
        match &self.source {
            Some(text) => positions::locate(text, paths),
            None => Default::default(),
        }
    }
}

/// The text of a plan file, or of standard input for "-", as [`Plan::read`] reads it: at most
/// [`MAX_INPUT_BYTES`], from a regular file, a named pipe or standard input (a folder or a device
/// is refused by name), UTF-8 or UTF-16 with a byte-order mark.
pub fn read_text(path: &str) -> Result<String, Error> {
    load::read_plan_text(path)
}

/// The first string of a plan's JSON text that holds a Tera expression (`{{ … }}` or `{% … %}`),
/// with its path: such a plan is a batch's parent plan, not one to print as it is.
pub fn first_expression(text: &str) -> Option<(String, String)> {
    load::first_expression(text)
}
