//! Reading plain text (a plan copied out of Word or a PDF, or a text extract like the seeds): one
//! paragraph per line, with the page-break artefacts of extracts mended (a sentence cut by a blank
//! line, its second half starting in lower case), and `**…**` spanning several lines (how an
//! extract marks a bold signature block) turned into a property of those lines.

use super::para::{Block, Para};
use crate::error::Error;

/// The largest text accepted (a long plan is 50–100 KB of text).
pub const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;
/// The most lines read.
pub const MAX_LINES: usize = 100_000;

/// What the text reader changed, for the review list: (the line it is now part of, what).
pub(crate) type Mended = Vec<(usize, String)>;

pub(crate) fn read(text: &str) -> Result<(Vec<Block>, Mended), Error> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(Error::input(format!("văn bản quá dài ({} MB; tối đa {} MB)", text.len() / (1024 * 1024), MAX_TEXT_BYTES / (1024 * 1024)),
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut mended = Mended::new();
    let mut out: Vec<Para> = Vec::new();
    // Whether the previous line was blank (a page break in an extract shows as one).
    let mut after_blank = false;
    // A `**` opened on an earlier line and not yet closed.
    let mut open_bold = false;
    for (i, raw) in text.split('\n').enumerate() {
        if i >= MAX_LINES {
            return Err(Error::input(format!("văn bản có quá nhiều dòng (hơn {MAX_LINES})")));
        }
        let n = i + 1;
        let line = raw.trim_end_matches('\r');
        let line = line.trim_matches(|c: char| c == ' ' || c == '\u{a0}');
        if line.trim().is_empty() {
            after_blank = true;
            continue;
        }
        let mut line = line.trim().to_string();
        // Bold over several lines: "**TM. ỦY BAN NHÂN DÂN" … "CHỦ TỊCH**".
        let mut bold = open_bold;
        let pairs = line.matches("**").count();
        if open_bold {
            if let Some(x) = line.strip_suffix("**")
                && pairs % 2 == 1
            {
                line = x.trim_end().to_string();
                open_bold = false;
            }
        } else if pairs % 2 == 1 && line.starts_with("**") {
            line = line[2..].trim_start().to_string();
            open_bold = true;
            bold = true;
        }
        // A whole line in one emphasis: a property of the line, not marks in its text.
        let mut italic = false;
        if let Some(inner) = whole(&line, "**") {
            line = inner;
            bold = true;
        } else if let Some(inner) = whole(&line, "*") {
            line = inner;
            italic = true;
        }
        // The second half of a sentence cut by a page break: it starts in lower case, and the line
        // before it does not end a sentence or a heading.
        if let Some(prev) = out.last_mut() {
            let starts_lower = line.chars().next().is_some_and(|c| c.is_lowercase());
            let prev_open = !prev.plain.trim_end().ends_with(['.', ':', ';', '!', '?', ')', '”', '"'])
                && prev.plain.chars().any(|c| c.is_lowercase());
            if starts_lower && prev_open && !bold && !prev.bold {
                if after_blank {
                    mended.push((prev.n, format!("dòng {n} nối vào dòng {} (câu bị ngắt trang)", prev.n)));
                }
                prev.text.push(' ');
                prev.text.push_str(&line);
                prev.plain = super::para::strip_marks(&prev.text);
                after_blank = false;
                continue;
            }
        }
        after_blank = false;
        let mut p = Para::new(n, line);
        p.bold = bold;
        p.italic = italic;
        out.push(p);
    }
    Ok((out.into_iter().map(Block::P).collect(), mended))
}

/// The inside of `s` when all of it is wrapped in one pair of `mark`.
fn whole(s: &str, mark: &str) -> Option<String> {
    let inner = s.strip_prefix(mark)?.strip_suffix(mark)?;
    if inner.is_empty() || inner.contains('*') || inner.starts_with(' ') {
        return None;
    }
    Some(inner.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(s: &str) -> Vec<Para> {
        read(s)
            .unwrap()
            .0
            .into_iter()
            .map(|b| match b {
                Block::P(p) => p,
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn page_break_artefacts_are_mended() {
        let p = paras("Ban Quản lý dự án đầu tư xây\n\ndựng các công trình.\nCụ thể:\n\n- Một;");
        assert_eq!(p.len(), 3);
        assert_eq!(p[0].text, "Ban Quản lý dự án đầu tư xây dựng các công trình.");
        assert_eq!(p[1].text, "Cụ thể:");
        assert_eq!(p[2].n, 6);
    }

    #[test]
    fn bold_over_lines_is_a_property() {
        let p = paras("**TM. KHỐI KINH TẾ KỸ THUẬT\nKHỐI TRƯỞNG**\n\n**Hoàng Văn Quảng\nGIÁM ĐỐC SỞ**\nthường");
        assert_eq!(p[0].text, "TM. KHỐI KINH TẾ KỸ THUẬT");
        assert!(p[0].bold && p[1].bold && p[2].bold && p[3].bold);
        assert_eq!(p[1].text, "KHỐI TRƯỞNG");
        assert_eq!(p[3].text, "GIÁM ĐỐC SỞ");
        assert!(!p[4].bold);
        assert_eq!(paras("**1. Mục đích**")[0].text, "1. Mục đích");
        assert_eq!(paras("*Trong:* Thi đua")[0].text, "*Trong:* Thi đua");
    }
}
