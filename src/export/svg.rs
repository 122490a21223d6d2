//! Writing laid-out pages as SVG: one standalone document per page, drawn from the same pages as
//! the PDF ([`crate::layout`]), for showing pages in a browser.
//!
//! Text is real text (`<text>`, selectable and searchable), in the document font subset to the
//! characters of the page and embedded as a web font (`@font-face` from a `data:` URL), so a page
//! needs nothing but itself. Every word is placed explicitly at the position the layout gave it,
//! as the PDF places it: a browser's own advance of a space, or how it applies `word-spacing`,
//! never moves a word of a justified line. The font carries no kerning or ligature tables (the
//! PDF's glyphs are not kerned either), and kerning and ligatures are switched off as well. Lines
//! (rules, table borders, underlines, the stamp box) are drawn after the text, as in the PDF, with
//! the same thickness and butt ends, with crisp edges.
//!
//! Units: the page's `width` and `height` are in points and its `viewBox` is the page in points
//! (1 user unit = 1 pt = 20 twips); y grows downwards from the top edge, as in the layout.

use crate::document::{Document, Meta};
use crate::error::Error;
use crate::export::subset::{self, Target, face_index, fnv};
use crate::fonts::FontSet;
use crate::layout::lines::Span;
use crate::layout::{self, Item, Page};
use base64::Engine as _;
use std::fmt::{self, Write};

/// Lays out `doc` and writes each of its pages as an SVG document.
pub fn render(doc: &Document, fonts: &FontSet) -> Result<Vec<String>, Error> {
    write(doc, &layout::pages(doc, fonts), fonts)
}

/// The SVG document of each of `pages` (the pages of `doc`, in order: mirrored margins and the
/// titles count from the first).
pub fn write(doc: &Document, pages: &[Page], fonts: &FontSet) -> Result<Vec<String>, Error> {
    pages.iter().enumerate().map(|(i, page)| write_page(&doc.meta, i, pages.len(), page, fonts)).collect()
}

/// A length in twips written in points, to a thousandth of a point (a twentieth of a twip).
struct Pt(f64);

impl fmt::Display for Pt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = (self.0 / 20.0 * 1000.0).round() / 1000.0;
        let s = format!("{:.3}", if v == 0.0 { 0.0 } else { v });
        f.write_str(s.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// `text` escaped for XML text and attribute values. Characters XML 1.0 cannot hold (control
/// characters other than tab) become U+FFFD, which is what a reader would show for them anyway.
fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push('\t'),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// The width of `span` as placed: its natural width plus the widening of its spaces.
fn placed_width(span: &Span, space_extra: f64) -> f64 {
    span.width + span.text.chars().filter(|c| *c == ' ').count() as f64 * space_extra
}

fn write_page(meta: &Meta, index: usize, count: usize, page: &Page, fonts: &FontSet) -> Result<String, Error> {
    let setup = &page.setup;
    let left = layout::left_margin(setup, index);

    // The faces this page uses, each subset to the page's characters. The family is named after
    // the subsets, so pages shown together in one web page never take each other's fonts.
    let used = subset::used_chars([page]);
    let mut faces = Vec::new();
    let mut family_hash = 0u64;
    for (i, chars) in used.iter().enumerate() {
        if !chars.is_empty() {
            let face = &fonts.faces()[i];
            // The preview writes the pages again on every pause in typing, and most pages keep
            // their characters: each subset (and its base64 form) is made once per process.
            static SUBSETS: crate::export::pdf::write::Cache<(usize, Vec<char>), (Vec<u8>, String)> = crate::export::pdf::write::Cache::new();
            let key = (face.bytes.as_ptr() as usize, chars.iter().copied().collect());
            let sub = SUBSETS.get_or_make(key, || {
                subset::subset(face, chars, Target::Web).map(|b| {
                    let text = base64::engine::general_purpose::STANDARD.encode(&b);
                    (b, text)
                })
            })?;
            family_hash = fnv(&sub.0, family_hash);
            faces.push((i, sub));
        }
    }
    let family = format!("kehoach-{}", subset::tag(&family_hash.to_le_bytes()));

    let mut out = String::with_capacity(4096 + faces.iter().map(|(_, b)| b.1.len() + 200).sum::<usize>());
    let (w, h) = (setup.width as f64, setup.height as f64);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{}pt\" height=\"{}pt\" viewBox=\"0 0 {} {}\" xml:space=\"preserve\">\n<title>",
        Pt(w),
        Pt(h),
        Pt(w),
        Pt(h)
    );
    escape(&mut out, &meta.title);
    let _ = write!(out, " (trang {}/{count})</title>\n<style>\n", index + 1);
    for (i, sub) in &faces {
        let bytes = &sub.0;
        let (weight, style) = match *i {
            0 => (400, "normal"),
            1 => (700, "normal"),
            2 => (400, "italic"),
            _ => (700, "italic"),
        };
        // An office's own font may have PostScript (CFF) outlines: its subset is then an OpenType font.
        let (mime, format) = if bytes.starts_with(b"OTTO") { ("otf", "opentype") } else { ("ttf", "truetype") };
        let _ = write!(
            out,
            "@font-face{{font-family:\"{family}\";font-weight:{weight};font-style:{style};src:url(data:font/{mime};base64,{}) format(\"{format}\")}}\n",
            sub.1
        );
    }
    let _ = write!(
        out,
        "text{{font-family:\"{family}\";white-space:pre;font-kerning:none;font-variant-ligatures:none;font-synthesis:none}}\n\
         .b{{font-weight:700}}.i{{font-style:italic}}\n</style>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n"
    );

    // Text: one <text> per run of spans that follow one another on a baseline (a line of a
    // paragraph, or of a table cell), one <tspan> per span and per word.
    let texts: Vec<(f64, f64, &Span, f64)> = page
        .items
        .iter()
        .filter_map(|it| match it {
            Item::Text { x, baseline, span, space_extra } => Some((left + x, *baseline, span, *space_extra)),
            Item::Line { .. } => None,
        })
        .collect();
    let mut i = 0;
    while i < texts.len() {
        let mut end = i + 1;
        while end < texts.len() {
            let (x, baseline, span, extra) = texts[end - 1];
            let next = texts[end];
            if (next.1 - baseline).abs() > 0.01 || (next.0 - (x + placed_width(span, extra))).abs() > 0.01 {
                break;
            }
            end += 1;
        }
        write_text(&mut out, &texts[i..end], fonts);
        i = end;
    }

    // Lines, one path per thickness, in the order they were laid out.
    let mut widths: Vec<f64> = Vec::new();
    for it in &page.items {
        if let Item::Line { width, .. } = it {
            if !widths.iter().any(|w| (w - width).abs() < 1e-9) {
                widths.push(*width);
            }
        }
    }
    if !widths.is_empty() {
        // Crisp edges: a rule or a border half a point thick is drawn as whole pixels, as PDF
        // viewers draw thin lines (poppler adjusts them to the pixel grid), not smeared grey over two.
        out.push_str("<g fill=\"none\" stroke=\"#000\" shape-rendering=\"crispEdges\">\n");
        for w in widths {
            let _ = write!(out, "<path stroke-width=\"{}\" d=\"", Pt(w));
            for it in &page.items {
                if let Item::Line { x1, y1, x2, y2, width } = it {
                    if (width - w).abs() < 1e-9 {
                        let _ = write!(out, "M{} {}", Pt(left + x1), Pt(*y1));
                        if y1 == y2 {
                            let _ = write!(out, "H{}", Pt(left + x2));
                        } else if x1 == x2 {
                            let _ = write!(out, "V{}", Pt(*y2));
                        } else {
                            let _ = write!(out, "L{} {}", Pt(left + x2), Pt(*y2));
                        }
                    }
                }
            }
            out.push_str("\"/>\n");
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    Ok(out)
}

/// The style attributes of a span: its size, and its face as classes (the regular face needs none).
fn style_attrs(out: &mut String, span: &Span) {
    let _ = write!(out, " font-size=\"{}\"", Pt(span.size as f64 * 10.0));
    match face_index(span.bold, span.italic) {
        1 => out.push_str(" class=\"b\""),
        2 => out.push_str(" class=\"i\""),
        3 => out.push_str(" class=\"b i\""),
        _ => {}
    }
}

/// The words of a span with where each starts: a word is its letters and the spaces after them
/// (text before the first letter, if it is spaces, is a word of its own).
fn words<'a>(x: f64, span: &'a Span, extra: f64, fonts: &FontSet) -> Vec<(f64, &'a str)> {
    let face = fonts.face(span.bold, span.italic);
    let text = span.text.as_str();
    let mut out = Vec::new();
    let mut start = 0;
    let mut seen_space = false;
    for (i, c) in text.char_indices() {
        if c == ' ' {
            seen_space = true;
        } else if seen_space {
            out.push(start..i);
            start = i;
            seen_space = false;
        }
    }
    out.push(start..text.len());
    out.into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| {
            let before = &text[..r.start];
            let spaces = before.chars().filter(|c| *c == ' ').count() as f64;
            (x + face.width(before, span.size) + spaces * extra, &text[r])
        })
        .collect()
}

/// One `<text>`: spans that follow one another on one baseline.
fn write_text(out: &mut String, spans: &[(f64, f64, &Span, f64)], fonts: &FontSet) {
    let baseline = spans[0].1;
    let _ = write!(out, "<text y=\"{}\"", Pt(baseline));
    let single = spans.len() == 1;
    if single {
        style_attrs(out, spans[0].2);
    }
    out.push('>');
    for (x, _, span, extra) in spans {
        if !single {
            out.push_str("<tspan");
            style_attrs(out, span);
            out.push('>');
        }
        for (wx, word) in words(*x, span, *extra, fonts) {
            let _ = write!(out, "<tspan x=\"{}\">", Pt(wx));
            escape(out, word);
            out.push_str("</tspan>");
        }
        if !single {
            out.push_str("</tspan>");
        }
    }
    out.push_str("</text>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_written_short_and_exact_to_a_thousandth() {
        assert_eq!(Pt(11906.0).to_string(), "595.3");
        assert_eq!(Pt(20.0).to_string(), "1");
        assert_eq!(Pt(-0.001).to_string(), "0");
        assert_eq!(Pt(1.0 / 3.0).to_string(), "0.017");
    }

    #[test]
    fn text_is_escaped_and_what_xml_cannot_hold_is_replaced() {
        let mut s = String::new();
        escape(&mut s, "a<b & \"c\" >\u{1}\td");
        assert_eq!(s, "a&lt;b &amp; &quot;c&quot; &gt;\u{FFFD}\td");
    }

    #[test]
    fn words_start_where_the_justified_line_puts_them() {
        let fonts = FontSet::bundled();
        let text = "ab  cd e";
        let span = Span { text: text.into(), size: 28, bold: false, italic: false, underline: false, width: fonts.text_width(text, 28, false, false) };
        let w = words(100.0, &span, 30.0, fonts);
        let strs: Vec<&str> = w.iter().map(|x| x.1).collect();
        assert_eq!(strs, ["ab  ", "cd ", "e"]);
        let f = fonts.face(false, false);
        assert!((w[1].0 - (100.0 + f.width("ab  ", 28) + 60.0)).abs() < 1e-9);
        assert!((w[2].0 - (100.0 + f.width("ab  cd ", 28) + 90.0)).abs() < 1e-9);
        // Leading spaces are a word of their own, at the span's start.
        let span = Span { text: " x".into(), ..span };
        assert_eq!(words(0.0, &span, 0.0, fonts).iter().map(|x| x.1).collect::<Vec<_>>(), [" ", "x"]);
    }
}
