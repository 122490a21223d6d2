//! Errors, worded in Vietnamese for the office staff who read them, each naming what to fix.

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// Something in the plan: the field's path (`can_cu[2]`), what is wrong, and where in the file.
    Field { path: String, message: String, line: Option<usize>, column: Option<usize> },
    /// A template that does not parse or render: its file, line and column.
    Template { file: String, line: Option<usize>, column: Option<usize>, message: String },
    /// Reading or writing a file.
    Io { path: String, message: String },
}

impl Error {
    pub fn field(path: impl Into<String>, message: impl Into<String>) -> Error {
        Error::Field { path: path.into(), message: message.into(), line: None, column: None }
    }

    pub fn io(path: impl fmt::Display, e: impl fmt::Display) -> Error {
        Error::Io { path: path.to_string(), message: e.to_string() }
    }

    /// The process exit code for this error: 1, bad input (nothing was written).
    pub fn exit_code(&self) -> i32 {
        1
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Field { path, message, line, column } => {
                if path.is_empty() || path == "." {
                    write!(f, "{message}")?;
                } else {
                    write!(f, "`{path}`: {message}")?;
                }
                match (line, column) {
                    (Some(l), Some(c)) => write!(f, " (dòng {l}, cột {c})"),
                    (Some(l), None) => write!(f, " (dòng {l})"),
                    _ => Ok(()),
                }
            }
            Error::Template { file, line, column, message } => {
                write!(f, "mẫu `{file}`")?;
                match (line, column) {
                    (Some(l), Some(c)) => write!(f, ", dòng {l}, cột {c}")?,
                    (Some(l), None) => write!(f, ", dòng {l}")?,
                    _ => {}
                }
                write!(f, ": {message}")
            }
            Error::Io { path, message } => write!(f, "không đọc/ghi được `{path}`: {message}"),
        }
    }
}

impl std::error::Error for Error {}
