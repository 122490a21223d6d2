//! Where a field is in the plan's JSON text: line and column of `can_cu[2]` or
//! `noi_dung[1].muc_con[0].tieu_de`, so a finding about a field can point at it in the file.
//!
//! serde_json gives positions only for its own errors, so this is a small scanner of its own: one
//! pass over the text that follows object keys and array indices and records where the values whose
//! paths were asked for begin (the key's line, for an object member, which is what an editor shows).
//! It reads text serde_json has already accepted; on anything else it stops and gives what it has.

use std::collections::{HashMap, HashSet};

/// A line and a column, both from 1; the column counts characters.
pub type Position = (usize, usize);

/// The positions of `wanted` paths (and of their nearest present parent, for a path that names a
/// line of a string field such as `co_quan_ban_hanh[1]` written as one string).
pub fn locate(text: &str, wanted: &[&str]) -> HashMap<String, Position> {
    let mut need: HashSet<String> = HashSet::new();
    for w in wanted {
        let mut p = *w;
        loop {
            need.insert(p.to_string());
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => break,
            }
        }
    }
    let mut s = Scanner { b: text.as_bytes(), i: 0, line: 1, col: 1, need: &need, found: HashMap::new() };
    let mut path = String::new();
    s.ws();
    let _ = s.value(&mut path, (1, 1), 0);
    let found = s.found;
    let mut out = HashMap::new();
    for w in wanted {
        let mut p = *w;
        loop {
            if let Some(pos) = found.get(p) {
                out.insert(w.to_string(), *pos);
                break;
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None => break,
            }
        }
    }
    out
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    line: usize,
    col: usize,
    need: &'a HashSet<String>,
    found: HashMap<String, Position>,
}

/// Deeper than serde_json reads (128) is not a plan.
const MAX_DEPTH: usize = 256;

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn bump(&mut self) {
        let c = self.b[self.i];
        self.i += 1;
        if c == b'\n' {
            self.line += 1;
            self.col = 1;
        } else if c & 0xC0 != 0x80 {
            // A character starts here (not a UTF-8 continuation byte).
            self.col += 1;
        }
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.bump();
        }
    }

    fn here(&self) -> Position {
        (self.line, self.col)
    }

    /// A value starting here; `at` is where its path is said to be.
    fn value(&mut self, path: &mut String, at: Position, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        if self.need.contains(path.as_str()) {
            self.found.entry(path.clone()).or_insert(at);
        }
        match self.peek()? {
            b'{' => {
                self.bump();
                self.ws();
                if self.peek()? == b'}' {
                    self.bump();
                    return Some(());
                }
                loop {
                    self.ws();
                    let key_at = self.here();
                    let key = self.string()?;
                    self.ws();
                    if self.peek()? != b':' {
                        return None;
                    }
                    self.bump();
                    self.ws();
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(&key);
                    self.value(path, key_at, depth + 1)?;
                    path.truncate(len);
                    self.ws();
                    match self.peek()? {
                        b',' => self.bump(),
                        b'}' => {
                            self.bump();
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.bump();
                self.ws();
                if self.peek()? == b']' {
                    self.bump();
                    return Some(());
                }
                let mut k = 0usize;
                loop {
                    self.ws();
                    let len = path.len();
                    path.push('[');
                    path.push_str(&k.to_string());
                    path.push(']');
                    let here = self.here();
                    self.value(path, here, depth + 1)?;
                    path.truncate(len);
                    k += 1;
                    self.ws();
                    match self.peek()? {
                        b',' => self.bump(),
                        b']' => {
                            self.bump();
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b'"' => self.string().map(|_| ()),
            _ => {
                // A number, true, false or null.
                while matches!(self.peek(), Some(c) if !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')) {
                    self.bump();
                }
                Some(())
            }
        }
    }

    /// A string; returns its text (escapes other than `\"` and `\\` are kept as written: keys of
    /// a plan are plain ASCII names).
    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        self.bump();
        let start = self.i;
        loop {
            match self.peek()? {
                b'"' => break,
                b'\\' => {
                    self.bump();
                    self.peek()?;
                    self.bump();
                }
                _ => self.bump(),
            }
        }
        let raw = std::str::from_utf8(&self.b[start..self.i]).ok()?;
        self.bump();
        Some(raw.replace("\\\"", "\"").replace("\\\\", "\\"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_keys_and_elements() {
        let text = "{\n  \"ky_hieu\": \"KH - UBND\",\n  \"can_cu\": [\"a\",\n    \"Căn cứ b\"],\n  \"noi_dung\": [{\"tieu_de\": \"Ý\", \"muc_con\": [\"x\"]}],\n  \"co_quan_ban_hanh\": \"A\\nB\"\n}";
        let got = locate(text, &["ky_hieu", "can_cu[1]", "noi_dung[0].muc_con[0]", "co_quan_ban_hanh[1]", "khong_co"]);
        assert_eq!(got["ky_hieu"], (2, 3));
        assert_eq!(got["can_cu[1]"], (4, 5));
        assert_eq!(got["noi_dung[0].muc_con[0]"], (5, 45));
        // A line of a field written as one string: the field itself.
        assert_eq!(got["co_quan_ban_hanh[1]"], (6, 3));
        assert!(!got.contains_key("khong_co"));
    }

    #[test]
    fn broken_text_gives_what_it_has() {
        let got = locate("{\"a\": 1, \"b\": [", &["a", "b[0]"]);
        assert_eq!(got["a"], (1, 2));
        assert_eq!(got["b[0]"], (1, 10));
    }
}
