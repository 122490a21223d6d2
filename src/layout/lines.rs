//! Breaking a paragraph into lines the way Word and LibreOffice do: break opportunities from
//! Unicode's line-breaking algorithm (UAX #14, which Vietnamese text meets at its spaces and after
//! hyphens), first fit, trailing spaces not counted, a word longer than the line split where it
//! overflows. Justified lines get their extra width spread over their inner spaces.

use crate::document::{ParaFormat, Paragraph, Run};
use crate::fonts::FontSet;
use unicode_linebreak::{BreakOpportunity, linebreaks};

/// A piece of a line in one font.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    /// The text.
    pub text: String,
    /// Font size in half-points.
    pub size: u32,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Underlined.
    pub underline: bool,
    /// Natural width in twips.
    pub width: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub spans: Vec<Span>,
    /// Width of the text without its trailing spaces, in twips.
    pub width: f64,
    /// The width available to this line (after indents).
    pub avail: f64,
    /// Where the line starts, from the paragraph's left text edge (the first-line indent).
    pub indent: f64,
    /// Spaces inside the line (not trailing), which justification widens.
    pub spaces: usize,
    /// Ends the paragraph or a manual line break: never justified.
    pub last: bool,
    /// Largest font size on the line, in half-points.
    pub size: u32,
}

/// Counts the glyph widths the breaking reads (tests check that it stays linear in the text).
#[cfg(test)]
fn count_reads(n: usize) {
    READS.with(|r| r.set(r.get() + n));
}
#[cfg(not(test))]
fn count_reads(_: usize) {}

#[cfg(test)]
thread_local! {
    static READS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A character with its style, for measuring.
struct Glyph {
    ch: char,
    run: usize,
    width: f64,
}

/// Breaks `p`, set in format `f`, into lines that fit `width` twips (the indents are applied here).
///
/// The lines of the paragraphs broken last are kept per thread, by what decides them (the runs,
/// the indents, the width, the fonts): the units of a batch share most of their paragraphs with the
/// parent plan, and breaking them again was an eighth of a batch's time in perf. At most
/// [`CACHE_BYTES`] of text is kept; then the cache starts afresh.
pub fn break_lines(p: &Paragraph, f: &ParaFormat, width: f64, fonts: &FontSet) -> Vec<Line> {
    use std::cell::RefCell;
    thread_local! {
        static MEMO: RefCell<crate::memo::Memo<Vec<u8>, Vec<Line>>> = RefCell::new(crate::memo::Memo::new(CACHE_BYTES));
    }
    let mut key = Vec::with_capacity(64 + p.runs.iter().map(|r| if let Run::Text(t) = r { t.text.len() + 8 } else { 1 }).sum::<usize>());
    key.extend_from_slice(&(fonts as *const FontSet as usize).to_le_bytes());
    key.extend_from_slice(&width.to_bits().to_le_bytes());
    for v in [f.indent_left, f.indent_right, f.first_line] {
        key.extend_from_slice(&v.to_le_bytes());
    }
    for r in &p.runs {
        match r {
            Run::Text(t) => {
                key.push(1 | (t.bold as u8) << 1 | (t.italic as u8) << 2 | (t.underline as u8) << 3);
                key.extend_from_slice(&t.size.to_le_bytes());
                key.extend_from_slice(&(t.text.len() as u64).to_le_bytes());
                key.extend_from_slice(t.text.as_bytes());
            }
            Run::Break => key.push(0),
        }
    }
    if let Some(lines) = MEMO.with(|m| m.borrow().get(&key)) {
        return lines;
    }
    let lines = break_uncached(p, f, width, fonts);
    let n = key.len();
    MEMO.with(|m| m.borrow_mut().insert(key, n, lines.clone()));
    lines
}

/// The most text the line cache of a thread keys ([`break_lines`]): about five plans' worth.
const CACHE_BYTES: usize = 64 * 1024;

fn break_uncached(p: &Paragraph, f: &ParaFormat, width: f64, fonts: &FontSet) -> Vec<Line> {
    let base_size = p
        .runs
        .iter()
        .find_map(|r| if let Run::Text(t) = r { Some(t.size) } else { None })
        .unwrap_or(28);
    let inner = (width - f.indent_left as f64 - f.indent_right as f64).max(1.0);
    let mut out = Vec::new();
    // Hard lines: split at <br/>.
    let mut hard: Vec<Vec<(usize, &str)>> = vec![vec![]];
    for (i, r) in p.runs.iter().enumerate() {
        match r {
            Run::Text(t) => hard.last_mut().unwrap().push((i, t.text.as_str())),
            Run::Break => hard.push(vec![]),
        }
    }
    for (h, pieces) in hard.iter().enumerate() {
        let first_para_line = h == 0;
        break_hard_line(p, f, pieces, inner, first_para_line, base_size, fonts, &mut out);
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn break_hard_line(
    p: &Paragraph,
    f: &ParaFormat,
    pieces: &[(usize, &str)],
    inner: f64,
    first_para_line: bool,
    base_size: u32,
    fonts: &FontSet,
    out: &mut Vec<Line>,
) {
    let mut text = String::new();
    let mut glyphs: Vec<Glyph> = Vec::new();
    for &(run, s) in pieces {
        let Run::Text(t) = &p.runs[run] else { continue };
        let face = fonts.face(t.bold, t.italic);
        for ch in s.chars() {
            text.push(ch);
            glyphs.push(Glyph { ch, run, width: face.units_to_twips(face.advance(ch) as f64, t.size) });
        }
    }
    // Segments: [start, end) glyph ranges ending at a break opportunity. UAX #14 forbids a break
    // between a hyphen and a digit ("Covid-19", "2025-2030"); LibreOffice and Word break there after
    // a letter or a digit (not after a slash: "01/7/2025" stays whole, as UAX #14 says).
    // The opportunities come in byte order; the glyph index of each is found by walking the text
    // alongside them (no table the size of the text).
    let mut opportunities: Vec<(usize, BreakOpportunity)> = linebreaks(&text).collect();
    let mut prev: [Option<char>; 2] = [None, None];
    let mut extra = Vec::new();
    for (bi, c) in text.char_indices() {
        if let [Some(a), Some('-')] = prev
            && a.is_alphanumeric()
            && c.is_ascii_digit()
        {
            extra.push((bi, BreakOpportunity::Allowed));
        }
        prev = [prev[1], Some(c)];
    }
    if !extra.is_empty() {
        opportunities.extend(extra);
        opportunities.sort_by_key(|o| o.0);
        opportunities.dedup_by_key(|o| o.0);
    }
    let mut segments: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().map(|(b, _)| b).enumerate().peekable();
    for (bi, kind) in opportunities {
        // The glyph index of byte offset `bi` (the text's length maps to the glyph count).
        while chars.next_if(|&(_, b)| b < bi).is_some() {}
        let end = chars.peek().map_or(glyphs.len(), |&(gi, _)| gi);
        if end > start || kind == BreakOpportunity::Mandatory {
            if end > start {
                segments.push((start, end));
            }
            start = end;
        }
    }
    if start < glyphs.len() {
        segments.push((start, glyphs.len()));
    }

    // Only ordinary spaces stretch and hang at line ends (a no-break space binds its words).
    let is_space = |c: char| c == ' ';
    let seg_widths = |s: (usize, usize)| {
        let all: f64 = glyphs[s.0..s.1].iter().map(|g| g.width).sum();
        let trailing: f64 = glyphs[s.0..s.1].iter().rev().take_while(|g| is_space(g.ch)).map(|g| g.width).sum();
        count_reads(s.1 - s.0 + glyphs[s.0..s.1].iter().rev().take_while(|g| is_space(g.ch)).count());
        (all - trailing, all)
    };

    let mut lines: Vec<(usize, usize)> = Vec::new(); // glyph ranges
    let mut line_start = 0usize;
    let mut cur = 0.0f64; // width including trailing spaces of the segments so far
    let mut first = first_para_line;
    let avail_for = |first: bool| if first { inner - f.first_line as f64 } else { inner };
    let mut i = 0;
    while i < segments.len() {
        let seg = segments[i];
        let (content, all) = seg_widths(seg);
        let avail = avail_for(first);
        if cur + content <= avail + 0.01 {
            cur += all;
            i += 1;
            continue;
        }
        if seg.0 > line_start {
            // The segment starts a new line.
            lines.push((line_start, seg.0));
            line_start = seg.0;
            cur = 0.0;
            first = false;
            continue;
        }
        // A word longer than the whole line: split it at the last character that fits, line after
        // line, in one pass over it, until what is left of it fits on a line (the rest of the
        // line is then open to the next segments). Each glyph is measured once here, so a word of
        // any length is split in time proportional to it.
        let content_end = seg.1 - glyphs[seg.0..seg.1].iter().rev().take_while(|g| is_space(g.ch)).count();
        let mut s = seg.0;
        loop {
            let avail = avail_for(first);
            let mut w = 0.0;
            let mut k = s;
            while k < content_end && (k == s || w + glyphs[k].width <= avail + 0.01) {
                count_reads(1);
                w += glyphs[k].width;
                k += 1;
            }
            if k >= content_end {
                // The rest fits: it opens the line.
                cur = seg_widths((s, seg.1)).1;
                break;
            }
            lines.push((line_start, k));
            line_start = k;
            s = k;
            first = false;
        }
        i += 1;
    }
    lines.push((line_start, glyphs.len()));

    let n = lines.len();
    let mut first = first_para_line;
    for (k, (s, e)) in lines.into_iter().enumerate() {
        let avail = avail_for(first);
        let indent = f.indent_left as f64 + if first { f.first_line as f64 } else { 0.0 };
        let g = &glyphs[s..e];
        let trailing = g.iter().rev().take_while(|g| is_space(g.ch)).count();
        let content = &g[..g.len() - trailing];
        let width: f64 = content.iter().map(|g| g.width).sum();
        let spaces = content.iter().filter(|g| is_space(g.ch)).count();
        let mut spans: Vec<Span> = Vec::new();
        for gl in content {
            let Run::Text(t) = &p.runs[gl.run] else { continue };
            match spans.last_mut() {
                Some(sp) if sp.bold == t.bold && sp.italic == t.italic && sp.size == t.size && sp.underline == t.underline => {
                    sp.text.push(gl.ch);
                    sp.width += gl.width;
                }
                _ => spans.push(Span {
                    text: gl.ch.to_string(),
                    size: t.size,
                    bold: t.bold,
                    italic: t.italic,
                    underline: t.underline,
                    width: gl.width,
                }),
            }
        }
        let size = spans.iter().map(|s| s.size).max().unwrap_or(base_size);
        out.push(Line { spans, width, avail, indent, spaces, last: k + 1 == n, size });
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Align, ParaOverrides, Style, StyleId, TextRun};

    fn para(text: &str) -> Paragraph {
        let runs = vec![Run::Text(TextRun { text: text.into(), size: 28, bold: false, italic: false, underline: false })];
        Paragraph { style: StyleId(0), overrides: ParaOverrides::default(), runs }
    }

    fn break_lines(p: &Paragraph, first_line: i32, width: f64, fonts: &FontSet) -> Vec<Line> {
        let f = ParaFormat { align: Align::Both, first_line, ..Style::BASE.para };
        super::break_lines(p, &f, width, fonts)
    }

    #[test]
    fn the_line_cache_answers_what_breaking_answers() {
        // Same text at two widths, in two sizes, in bold: every answer (cached or not) is the
        // uncached one, so the cache tells apart everything that decides the lines.
        let f = FontSet::bundled();
        let text = "Phong trào thi đua yêu nước trong toàn xã năm 2026";
        let mut bold = para(text);
        if let Run::Text(t) = &mut bold.runs[0] {
            t.bold = true;
        }
        let mut small = para(text);
        if let Run::Text(t) = &mut small.runs[0] {
            t.size = 24;
        }
        let fmt = |first_line| ParaFormat { align: Align::Both, first_line, ..Style::BASE.para };
        for _ in 0..2 {
            for p in [&para(text), &bold, &small] {
                for width in [2500.0, 4000.0] {
                    for first in [0, 720] {
                        let cached = super::break_lines(p, &fmt(first), width, f);
                        assert_eq!(cached, super::break_uncached(p, &fmt(first), width, f));
                    }
                }
            }
        }
        assert_ne!(super::break_lines(&para(text), &fmt(0), 2500.0, f), super::break_lines(&bold, &fmt(0), 2500.0, f));
    }

    #[test]
    fn first_fit_at_spaces() {
        let f = FontSet::bundled();
        let w = f.text_width("Phong trào thi", 28, false, false);
        let lines = break_lines(&para("Phong trào thi đua yêu nước"), 0, w + 1.0, f);
        let texts: Vec<String> = lines.iter().map(|l| l.spans.iter().map(|s| s.text.as_str()).collect()).collect();
        assert_eq!(texts, ["Phong trào thi", "đua yêu nước"]);
        assert_eq!(lines[0].spaces, 2);
        assert!(!lines[0].last && lines[1].last);
        assert!((lines[0].width - w).abs() < 0.01);
    }

    #[test]
    fn first_line_indent_narrows_the_first_line() {
        let f = FontSet::bundled();
        let w = f.text_width("Phong trào", 28, false, false) + 720.0 + 1.0;
        let lines = break_lines(&para("Phong trào thi đua"), 720, w, f);
        assert_eq!(lines[0].spans[0].text, "Phong trào");
        assert_eq!(lines[1].spans[0].text, "thi đua");
        assert_eq!(lines[0].indent, 720.0);
        assert_eq!(lines[1].indent, 0.0);
    }

    #[test]
    fn long_words_are_split() {
        let f = FontSet::bundled();
        let word = "x".repeat(400);
        let lines = break_lines(&para(&word), 0, 2000.0, f);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width <= 2000.01));
        let total: usize = lines.iter().map(|l| l.spans.iter().map(|s| s.text.chars().count()).sum::<usize>()).sum();
        assert_eq!(total, 400);
    }

    #[test]
    fn breaking_reads_each_glyph_a_bounded_number_of_times() {
        // A word of 20,000 letters on lines of about 20: each glyph is measured a few times, not
        // once per line (the split used to re-measure the rest of the word after every cut).
        let f = FontSet::bundled();
        for text in ["x".repeat(20_000), format!("{} {}", "ab ".repeat(3_000), "y".repeat(20_000))] {
            READS.with(|r| r.set(0));
            let lines = break_lines(&para(&text), 720, 2000.0, f);
            let glyphs = text.chars().count();
            let reads = READS.with(|r| r.get());
            assert!(reads <= 4 * glyphs, "{reads} width reads for {glyphs} glyphs");
            let total: usize = lines.iter().map(|l| l.spans.iter().map(|s| s.text.chars().count()).sum::<usize>()).sum();
            assert!(total <= glyphs && total + 3_001 >= glyphs, "{total} of {glyphs} glyphs placed");
            assert!(lines.iter().all(|l| l.width <= 2000.01));
        }
    }

    #[test]
    fn split_words_fill_lines_and_leave_the_rest_open() {
        // The rest of a split word opens a line that the next word can join.
        let f = FontSet::bundled();
        let x = f.text_width("x", 28, false, false);
        let lines = break_lines(&para(&format!("{} ab", "x".repeat(25))), 0, 10.0 * x + 0.5, f);
        let texts: Vec<String> = lines.iter().map(|l| l.spans.iter().map(|s| s.text.as_str()).collect()).collect();
        assert_eq!(texts, ["x".repeat(10), "x".repeat(10), "xxxxx ab".to_string()]);
    }

    #[test]
    fn breaks_after_hyphens_between_letters() {
        let f = FontSet::bundled();
        let w = f.text_width("aaaa KH-", 28, false, false);
        let lines = break_lines(&para("aaaa KH-UBND"), 0, w + 1.0, f);
        assert_eq!(lines[0].spans[0].text, "aaaa KH-");
    }

    #[test]
    fn breaks_after_hyphens_between_digits_as_libreoffice_does() {
        // LibreOffice and Word break "2025-2030" after the hyphen (UAX #14 alone would not), and
        // "(2021-2025)" too; never inside "01/7/2025" (measured with LibreOffice 7, see
        // tests/fidelity.rs and the Party sample dang-uy-khoi-2026.json).
        let f = FontSet::bundled();
        for (text, head) in [("giai đoạn 2025-2030 và", "giai đoạn 2025-"), ("giai đoạn (2021-2025) và", "giai đoạn (2021-")] {
            let w = f.text_width(head, 28, false, false);
            let lines = break_lines(&para(text), 0, w + 1.0, f);
            assert_eq!(lines[0].spans[0].text, head, "{text}");
        }
        let w = f.text_width("ngày 01/7/", 28, false, false);
        let lines = break_lines(&para("ngày 01/7/2025 và"), 0, w + 1.0, f);
        assert_eq!(lines[0].spans[0].text.trim_end(), "ngày");
        // A minus sign after a space is not a break.
        let w = f.text_width("giảm -", 28, false, false);
        let lines = break_lines(&para("giảm -5% và"), 0, w + 1.0, f);
        assert_eq!(lines[0].spans[0].text.trim_end(), "giảm");
    }
}
