//! The plan: what a `plan.json` holds ([`model`]), how it is read ([`load`]: limits, NFC, errors
//! in Vietnamese with the field's path), its JSON Schema ([`schema`]) and the starter plans
//! ([`starter`]).

pub mod load;
pub mod model;
pub mod schema;
pub mod starter;
pub mod suggest;
