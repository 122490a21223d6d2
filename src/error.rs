//! Errors, worded in Vietnamese for the office staff who read them, each naming what to fix. Bad
//! input (exit code 1) is told apart from a fault of the engine itself ([`Error::Internal`], exit
//! code 3), which is never the user's to fix.

use crate::regime::check::Rejected;
use std::fmt;
use std::sync::Arc;

/// What went wrong, in Vietnamese, naming what to fix.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Something in the plan (or another input file): the field's path (`can_cu[2]`), what is
    /// wrong, and where in the file.
    #[error("{}", located(path, message, *line, *column))]
    Field {
        /// The field's JSON path, `can_cu[2]`; empty for the file as a whole.
        path: String,
        /// What is wrong and what to do.
        message: String,
        /// Where in the text, when the input was text.
        line: Option<usize>,
        /// See `line`.
        column: Option<usize>,
    },
    /// An input file as a whole (too large, not text, not a plan): what it is and what is wrong.
    #[error("{message}")]
    Input {
        /// What is wrong with it.
        message: String,
    },
    /// A template that does not parse or render: its file, line and column.
    #[error("mẫu `{file}`{}: {message}", at(*line, *column))]
    Template {
        /// The template's file name.
        file: String,
        /// Where in it.
        line: Option<usize>,
        /// See `line`.
        column: Option<usize>,
        /// What is wrong.
        message: String,
    },
    /// Reading or writing a file.
    #[error("không đọc/ghi được `{path}`: {message}")]
    Io {
        /// The file or folder.
        path: String,
        /// What went wrong, in Vietnamese.
        message: String,
        /// The system's error.
        #[source]
        source: Option<Arc<std::io::Error>>,
    },
    /// The rules of thể thức found errors in the plan.
    #[error(transparent)]
    Rejected(#[from] Rejected),
    /// A fault of the engine, not of the input: `what` failed.
    #[error("lỗi bên trong kehoach khi {what}: {detail} (đây không phải lỗi của kế hoạch; xin báo cho người phát triển)")]
    Internal {
        /// What the engine was doing.
        what: String,
        /// What failed.
        detail: String,
    },
}

fn located(path: &str, message: &str, line: Option<usize>, column: Option<usize>) -> String {
    let mut s = if path.is_empty() || path == "." { message.to_string() } else { format!("`{path}`: {message}") };
    match (line, column) {
        (Some(l), Some(c)) => s.push_str(&format!(" (dòng {l}, cột {c})")),
        (Some(l), None) => s.push_str(&format!(" (dòng {l})")),
        _ => {}
    }
    s
}

fn at(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(", dòng {l}, cột {c}"),
        (Some(l), None) => format!(", dòng {l}"),
        _ => String::new(),
    }
}

impl Error {
    /// Something wrong in a field of the plan.
    pub fn field(path: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Field { path: path.into(), message: message.into(), line: None, column: None }
    }

    /// An input file as a whole is wrong.
    pub fn input(message: impl Into<String>) -> Error {
        Error::Input { message: message.into() }
    }

    /// A file could not be read or written, for a reason told in `message`.
    pub fn io(path: impl fmt::Display, message: impl fmt::Display) -> Error {
        Error::Io { path: path.to_string(), message: message.to_string(), source: None }
    }

    /// A file could not be read or written: the system's error, in Vietnamese, kept as the source.
    pub fn from_io(path: impl fmt::Display, e: std::io::Error) -> Error {
        Error::Io { path: path.to_string(), message: crate::plan::load::vn_io(&e), source: Some(Arc::new(e)) }
    }

    /// The engine failed at `what` (building a DOCX or PDF in memory, subsetting a font…).
    pub fn internal(what: impl Into<String>, detail: impl fmt::Display) -> Error {
        Error::Internal { what: what.into(), detail: detail.to_string() }
    }

    /// The process exit code for this error: 1 for bad input (nothing was written), 3 for a fault
    /// of the engine.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Internal { .. } => 3,
            _ => 1,
        }
    }
}
