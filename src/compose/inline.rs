//! Inline emphasis inside any text field: `**bold**` and `*italic*`.
//!
//! A tiny scanner rather than a Markdown crate: Markdown parsers are block parsers and would turn
//! "- Như trên;" into a list or "1. Mục đích" into an ordered list (docs/crates.md §4). Here only the
//! two inline marks exist; an unmatched `*` is printed as it is.

/// A piece of text with its emphasis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub bold: bool,
    pub italic: bool,
}

/// Splits `s` into spans. `***x***` is bold italic; a `*` with no partner stays literal.
pub fn parse(s: &str) -> Vec<Span> {
    let chars: Vec<char> = s.chars().collect();
    let mut out: Vec<Span> = Vec::new();
    let mut buf = String::new();
    let (mut bold, mut italic) = (false, false);
    let mut i = 0;
    let push = |out: &mut Vec<Span>, buf: &mut String, bold: bool, italic: bool| {
        if !buf.is_empty() {
            out.push(Span { text: std::mem::take(buf), bold, italic });
        }
    };
    while i < chars.len() {
        if chars[i] == '*' {
            let run = chars[i..].iter().take_while(|&&c| c == '*').count();
            // A mark opens only if it is closed later by a mark of the same kind.
            let toggles_bold = run >= 2 && (bold || has_closing(&chars, i + run, 2));
            let rest = if toggles_bold { run - 2 } else { run };
            let toggles_italic = rest >= 1 && (italic || has_closing(&chars, i + run, 1));
            if toggles_bold || toggles_italic {
                push(&mut out, &mut buf, bold, italic);
                if toggles_bold {
                    bold = !bold;
                }
                if toggles_italic {
                    italic = !italic;
                }
                let used = (toggles_bold as usize) * 2 + toggles_italic as usize;
                for _ in used..run {
                    buf.push('*');
                }
                i += run;
                continue;
            }
            for _ in 0..run {
                buf.push('*');
            }
            i += run;
            continue;
        }
        buf.push(chars[i]);
        i += 1;
    }
    push(&mut out, &mut buf, bold, italic);
    out
}

/// Is there a later run of at least `n` stars (with text between)?
fn has_closing(chars: &[char], from: usize, n: usize) -> bool {
    let mut i = from;
    let mut seen_text = false;
    while i < chars.len() {
        if chars[i] == '*' {
            let run = chars[i..].iter().take_while(|&&c| c == '*').count();
            if seen_text && run >= n {
                return true;
            }
            i += run;
        } else {
            seen_text = true;
            i += 1;
        }
    }
    false
}

/// The text without its emphasis marks.
pub fn plain(s: &str) -> String {
    parse(s).into_iter().map(|s| s.text).collect()
}

/// Escapes `s` for the document markup and turns emphasis into `<b>`/`<i>` and line breaks into `<br/>`.
pub fn to_markup(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for span in parse(s) {
        let open = match (span.bold, span.italic) {
            (true, true) => "<b><i>",
            (true, false) => "<b>",
            (false, true) => "<i>",
            (false, false) => "",
        };
        let close = match (span.bold, span.italic) {
            (true, true) => "</i></b>",
            (true, false) => "</b>",
            (false, true) => "</i>",
            (false, false) => "",
        };
        out.push_str(open);
        for (k, line) in span.text.split('\n').enumerate() {
            if k > 0 {
                out.push_str("<br/>");
            }
            escape_into(line, &mut out);
        }
        out.push_str(close);
    }
    out
}

/// XML-escapes text.
pub fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(t: &str, b: bool, i: bool) -> Span {
        Span { text: t.into(), bold: b, italic: i }
    }

    #[test]
    fn italic_and_bold() {
        assert_eq!(parse("a *b* c"), vec![sp("a ", false, false), sp("b", false, true), sp(" c", false, false)]);
        assert_eq!(parse("**B** x"), vec![sp("B", true, false), sp(" x", false, false)]);
        assert_eq!(parse("***BI***"), vec![sp("BI", true, true)]);
        assert_eq!(
            parse("- *Trong công tác:* Thi đua"),
            vec![sp("- ", false, false), sp("Trong công tác:", false, true), sp(" Thi đua", false, false)]
        );
    }

    #[test]
    fn lone_stars_stay() {
        assert_eq!(plain("5*3 = 15"), "5*3 = 15");
        assert_eq!(plain("*"), "*");
        assert_eq!(plain("a ** b"), "a ** b");
        assert_eq!(plain("“*Đồng Khởi mới*”"), "“Đồng Khởi mới”");
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(to_markup("a < b & *c*"), "a &lt; b &amp; <i>c</i>");
        assert_eq!(to_markup("x\ny"), "x<br/>y");
    }
}
