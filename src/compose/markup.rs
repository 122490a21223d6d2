//! Reads the document markup a template renders and resolves it against the regime's profile into
//! the format-neutral [`Document`].
//!
//! The markup is a small XML vocabulary:
//! - `<doc>`: the document; its children are blocks.
//! - `<p style="NAME" [keep-next="true"] [caps="false"] [indent-left="TWIPS"]>`: a paragraph in a
//!   profile style (`caps="false"` keeps its text's case; `indent-left` moves it further in); inside it text, `<b>`,
//!   `<i>`, `<u>` and `<br/>`. A line break in the template source inside a paragraph, with the
//!   indentation around it, reads as one space; other spaces are kept.
//! - `<table layout="NAME" [borders="all"]>` / `<row [header="true"] [cant-split="true"]>` /
//!   `<cell [valign="center|bottom"] [merge="restart|continue"] [brace="true"]>`: a table in a
//!   profile layout; cells hold blocks.
//! - `<section orientation="portrait|landscape" restart="N">`, after the blocks of the plan: a part
//!   of its own (a phụ lục) that starts on a new page, with its own orientation and its page numbers
//!   from N.
//!
//! Styles that ask for a rule below (ND 30 lines) get a [`Rule`] measured here from the text. The
//! profile styles a document uses go into its [`StyleSheet`]; a paragraph carries only what it sets
//! differently (a `keep-next` attribute, a box shrunk to its text, a table's space above). A table
//! with `orientation="landscape"` gets a section of its own, and takes with it the blocks before it
//! that keep with it (its heading).

use crate::document::*;
use crate::error::Error;
use crate::fonts;
use crate::compose::template::MAIN;
use crate::regime::{ParaStyle, Profile, RuleLength, Width};
use std::cell::RefCell;

/// Extra width left inside a stamp's box besides the text, in twips.
const BOX_AIR: i32 = 240;

#[cfg(test)]
pub fn read(markup: &str, profile: &Profile, meta: Meta) -> Result<Document, Error> {
    read_with(markup, profile, meta, true)
}

/// [`read`], with the Party's mirrored margins (`in_hai_mat`) kept or turned off.
pub fn read_with(markup: &str, profile: &Profile, meta: Meta, mirror: bool) -> Result<Document, Error> {
    let doc = roxmltree::Document::parse(markup).map_err(|e| {
        let pos = e.pos();
        Error::Template {
            file: MAIN.into(),
            line: None,
            column: None,
            message: format!(
                "kết quả của mẫu không phải XML hợp lệ ({e}) ở dòng {}, cột {} của kết quả; hãy kiểm tra thẻ mở/đóng trong mẫu",
                pos.row, pos.col
            ),
        }
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "doc" {
        return Err(markup_error(root, "phần tử gốc của mẫu phải là <doc>"));
    }
    let page = PageSetup { mirror: profile.page.mirror && mirror, ..profile.page };
    let r = Reader { profile, page, styles: RefCell::new(StyleSheet::default()) };
    let (blocks, parts) = r.parts(root)?;
    let page_style = profile
        .style(profile.page_number_style)
        .ok_or_else(|| markup_error(root, "hồ sơ thiếu kiểu số trang"))?;
    let number_style = r.styles.borrow_mut().intern(profile.page_number_style, page_style.style);
    let styles = r.styles.into_inner();
    let main = PageNumbers { style: number_style, hide_first: true, restart: None };
    let mut sections = sections(blocks, page, false, main, 0, &styles);
    for (i, (landscape, restart, blocks)) in parts.into_iter().enumerate() {
        let first = PageNumbers { style: number_style, hide_first: true, restart };
        sections.extend(self::sections(blocks, page, landscape, first, i + 1, &styles));
    }
    // A landscape table that ends a part leaves an empty section after it: dropped (in a DOCX it
    // would be a blank page), unless it is all there is.
    // The numbering of a dropped section (a phụ lục's restart) passes to the next one.
    if sections.len() > 1 {
        let mut carry: Option<PageNumbers> = None;
        let mut kept = Vec::with_capacity(sections.len());
        for mut s in sections {
            if s.blocks.is_empty() {
                if s.page_numbers.restart.is_some() || s.page_numbers.hide_first {
                    carry = Some(s.page_numbers);
                }
                continue;
            }
            if let Some(c) = carry.take() {
                s.page_numbers = c;
            }
            kept.push(s);
        }
        sections = kept;
    }
    Ok(Document { meta, styles, sections })
}

/// Cuts a part of the document (the plan, a phụ lục) into sections: one in the part's own
/// orientation, and one for each landscape table with the blocks before it that keep with it. The
/// part's first section numbers its pages as `first` says; the numbers run on through the others.
fn sections(
    blocks: Vec<(Block, bool)>,
    page: PageSetup,
    landscape_part: bool,
    first: PageNumbers,
    part: usize,
    styles: &StyleSheet,
) -> Vec<Section> {
    let numbers = |is_first: bool| if is_first { first } else { PageNumbers { hide_first: false, restart: None, ..first } };
    let own_page = if landscape_part { page.landscape() } else { page };
    let portrait = |is_first: bool| Section { page: own_page, landscape: landscape_part, page_numbers: numbers(is_first), part, blocks: Vec::new() };
    let mut out = vec![portrait(true)];
    for (block, landscape) in blocks {
        // A landscape table in a landscape part stays in it.
        if landscape && !landscape_part {
            let prev = &mut out.last_mut().expect("a section").blocks;
            let mut i = prev.len();
            while i > 0 && keeps_with_next(&prev[i - 1], styles) {
                i -= 1;
            }
            let heading = prev.split_off(i);
            let mut own = Section { page: page.landscape(), landscape: true, page_numbers: numbers(false), part, blocks: heading };
            own.blocks.push(block);
            out.push(own);
            out.push(portrait(false));
        } else {
            out.last_mut().expect("a section").blocks.push(block);
        }
    }
    out
}

/// Whether a block is set to stay on the page of the next one.
fn keeps_with_next(b: &Block, styles: &StyleSheet) -> bool {
    match b {
        Block::Paragraph(p) => p.overrides.apply(&styles.get(p.style).para).keep_next,
        Block::Rule(r) => r.keep_next,
        Block::Table(_) => false,
    }
}

fn markup_error(node: roxmltree::Node, msg: &str) -> Error {
    let pos = node.document().text_pos_at(node.range().start);
    Error::Template {
        file: MAIN.into(),
        line: None,
        column: None,
        message: format!("{msg} (dòng {}, cột {} của kết quả mẫu)", pos.row, pos.col),
    }
}

struct Reader<'a> {
    profile: &'a Profile,
    /// The page of the plan (the profile's, with mirrored margins turned off where asked).
    page: PageSetup,
    styles: RefCell<StyleSheet>,
}

#[derive(Clone, Copy)]
struct Emphasis {
    bold: bool,
    italic: bool,
    underline: bool,
}

impl Reader<'_> {
    /// The blocks inside a table cell.
    fn blocks(&self, parent: roxmltree::Node, avail: i32) -> Result<Vec<Block>, Error> {
        Ok(self.top_blocks(parent, avail)?.into_iter().map(|(b, _)| b).collect())
    }

    /// The blocks of the document's main part, and its other parts (`<section>`: the phụ lục),
    /// each with whether it is landscape and where its page numbers restart.
    #[allow(clippy::type_complexity)]
    fn parts(&self, root: roxmltree::Node) -> Result<(Vec<(Block, bool)>, Vec<(bool, Option<u32>, Vec<(Block, bool)>)>), Error> {
        let mut main = Vec::new();
        let mut parts = Vec::new();
        for child in root.children() {
            if child.is_element() && child.tag_name().name() == "section" {
                let landscape = match child.attribute("orientation") {
                    None | Some("portrait") => false,
                    Some("landscape") => true,
                    Some(o) => return Err(markup_error(child, &format!("hướng trang `{o}` không có; dùng portrait hoặc landscape"))),
                };
                let restart = match child.attribute("restart") {
                    None => None,
                    Some(r) => Some(r.parse::<u32>().map_err(|_| markup_error(child, &format!("số trang bắt đầu `{r}` không phải số")))?),
                };
                let width = if landscape { self.page.landscape().text_width() } else { self.page.text_width() };
                parts.push((landscape, restart, self.top_blocks(child, width)?));
            } else if !parts.is_empty() && child.is_element() {
                return Err(markup_error(child, "sau <section> chỉ dùng <section>"));
            } else {
                self.top_block(child, self.page.text_width(), &mut main)?;
            }
        }
        Ok((main, parts))
    }

    /// The blocks of the body, each with whether it is a landscape table.
    fn top_blocks(&self, parent: roxmltree::Node, avail: i32) -> Result<Vec<(Block, bool)>, Error> {
        let mut out = Vec::new();
        for child in parent.children() {
            self.top_block(child, avail, &mut out)?;
        }
        Ok(out)
    }

    fn top_block(&self, child: roxmltree::Node, avail: i32, out: &mut Vec<(Block, bool)>) -> Result<(), Error> {
        {
            if child.is_text() {
                if child.text().is_some_and(|t| !t.trim().is_empty()) {
                    return Err(markup_error(child, "có chữ nằm ngoài đoạn văn <p>"));
                }
                return Ok(());
            }
            if !child.is_element() {
                return Ok(());
            }
            match child.tag_name().name() {
                "p" => {
                    let mut blocks = Vec::new();
                    self.paragraph(child, avail, &mut blocks)?;
                    out.extend(blocks.into_iter().map(|b| (b, false)));
                }
                "table" => {
                    let (t, landscape) = self.table(child, avail)?;
                    out.push((Block::Table(t), landscape));
                }
                other => return Err(markup_error(child, &format!("thẻ <{other}> không dùng được ở đây"))),
            }
        }
        Ok(())
    }

    fn style(&self, node: roxmltree::Node) -> Result<(String, &ParaStyle), Error> {
        let name = node.attribute("style").ok_or_else(|| markup_error(node, "<p> thiếu thuộc tính style"))?;
        let style = self.profile.style(name).ok_or_else(|| {
            markup_error(node, &format!("kiểu `{name}` không có trong hồ sơ {}", self.profile.ten))
        })?;
        Ok((name.to_string(), style))
    }

    fn paragraph(&self, node: roxmltree::Node, avail: i32, out: &mut Vec<Block>) -> Result<(), Error> {
        let (name, s) = self.style(node)?;
        // caps="false": the text keeps its case (a mục title the plan asks not to upper-case).
        let own = ParaStyle { caps: s.caps && node.attribute("caps") != Some("false"), ..*s };
        let s = &own;
        let mut runs = Vec::new();
        let run = s.style.run;
        let em = Emphasis { bold: run.bold, italic: run.italic, underline: run.underline };
        self.runs(node, s, em, &mut runs)?;
        trim_runs(&mut runs);
        let style = self.styles.borrow_mut().intern(&name, s.style);
        let mut p = Paragraph { style, overrides: ParaOverrides::default(), runs };
        let base = s.style.para;
        if let Some(k) = node.attribute("keep-next") {
            p.overrides.keep_next = Some(k == "true");
        }
        let (mut left, mut right) = (base.indent_left, base.indent_right);
        // indent-left="N": the paragraph starts N twips further in (a group's note, clear of its
        // brace).
        if let Some(v) = node.attribute("indent-left") {
            let n: i32 = v.parse().map_err(|_| markup_error(node, &format!("indent-left `{v}` không phải số twip")))?;
            left += n;
            p.overrides.indent_left = Some(left);
        }
        if base.boxed {
            // Shrink the paragraph so its box hugs the text (plus a little air).
            let text = longest_line(&p.runs).ceil() as i32;
            let spare = (avail - left - right - text - BOX_AIR).max(0);
            match base.align {
                Align::Right => left += spare,
                Align::Left => right += spare,
                _ => {
                    left += spare / 2;
                    right += spare / 2;
                }
            }
            p.overrides.indent_left = Some(left);
            p.overrides.indent_right = Some(right);
        }
        let keep_next = p.overrides.apply(&base).keep_next;
        let rule = s.rule_below.map(|spec| {
            let text_avail = (avail - left - right).max(0) as f64;
            let longest = longest_line(&p.runs).min(text_avail);
            let length = match spec.length {
                RuleLength::TextWidth => longest,
                RuleLength::Fraction(f) => longest * f as f64,
            };
            Rule { length: length.round() as i32, thickness: spec.thickness, gap: spec.gap, keep_next }
        });
        out.push(Block::Paragraph(p));
        if let Some(r) = rule {
            out.push(Block::Rule(r));
        }
        Ok(())
    }

    fn runs(&self, node: roxmltree::Node, s: &ParaStyle, em: Emphasis, out: &mut Vec<Run>) -> Result<(), Error> {
        for child in node.children() {
            if child.is_text() {
                let raw = child.text().unwrap_or("");
                let text = collapse_source_breaks(raw);
                let text = if s.caps { text.to_uppercase() } else { text };
                if !text.is_empty() {
                    out.push(Run::Text(TextRun {
                        text,
                        size: s.style.run.size,
                        bold: em.bold,
                        italic: em.italic,
                        underline: em.underline,
                    }));
                }
                continue;
            }
            if !child.is_element() {
                continue;
            }
            let mut e = em;
            match child.tag_name().name() {
                "b" => e.bold = true,
                "i" => e.italic = true,
                "u" => e.underline = true,
                "br" => {
                    out.push(Run::Break);
                    continue;
                }
                other => return Err(markup_error(child, &format!("thẻ <{other}> không dùng được trong đoạn văn"))),
            }
            self.runs(child, s, e, out)?;
        }
        Ok(())
    }

    /// A table, and whether it goes on landscape pages of its own.
    fn table(&self, node: roxmltree::Node, avail: i32) -> Result<(Table, bool), Error> {
        let name = node.attribute("layout").ok_or_else(|| markup_error(node, "<table> thiếu thuộc tính layout"))?;
        let layout = self.profile.table(name).ok_or_else(|| {
            markup_error(node, &format!("bố cục bảng `{name}` không có trong hồ sơ {}", self.profile.ten))
        })?;
        let borders = node.attribute("borders") == Some("all");
        let landscape = node.attribute("orientation") == Some("landscape");
        if landscape && node.ancestors().any(|a| a.has_tag_name("cell")) {
            return Err(markup_error(node, "bảng khổ ngang phải nằm ở thân văn bản, không lồng trong bảng khác"));
        }
        // A landscape table is as wide as a landscape page's text area.
        let avail = if landscape { self.page.landscape().text_width() } else { avail };
        let widths: Vec<i32> = layout
            .widths
            .iter()
            .map(|w| match *w {
                Width::Twips(t) => t,
                Width::Share(f) => (avail as f64 * f as f64).floor() as i32,
            })
            .collect();
        let margin = if borders { BORDERED_CELL_MARGIN } else { 0 };
        let mut rows = Vec::new();
        for row in node.children().filter(|n| n.is_element()) {
            if row.tag_name().name() != "row" {
                return Err(markup_error(row, "trong <table> chỉ dùng <row>"));
            }
            let mut cells = Vec::new();
            for (i, cell) in row.children().filter(|n| n.is_element()).enumerate() {
                if cell.tag_name().name() != "cell" {
                    return Err(markup_error(cell, "trong <row> chỉ dùng <cell>"));
                }
                let Some(&w) = widths.get(i) else {
                    return Err(markup_error(cell, &format!("bảng `{name}` chỉ có {} cột", widths.len())));
                };
                let v_merge = match cell.attribute("merge") {
                    Some("restart") => VMerge::Restart,
                    Some("continue") => VMerge::Continue,
                    _ => VMerge::None,
                };
                let v_align = match cell.attribute("valign") {
                    Some("center") => VAlign::Center,
                    Some("bottom") => VAlign::Bottom,
                    _ => VAlign::Top,
                };
                let mut blocks = self.blocks(cell, w - 2 * margin)?;
                align_nested_tables(&mut blocks);
                cells.push(Cell {
                    blocks,
                    v_merge,
                    v_align,
                    border_right: cell.attribute("brace") == Some("true"),
                });
            }
            rows.push(Row {
                header: row.attribute("header") == Some("true"),
                cant_split: row.attribute("cant-split") == Some("true"),
                cells,
            });
        }
        let mut table = Table { widths, indent: layout.indent, borders, rows };
        let styles = self.styles.borrow();
        if let Some(share) = layout.widen_first_to {
            widen_first_column(&mut table, (avail as f64 * share as f64) as i32, &styles);
        }
        if layout.fit {
            fit_columns(&mut table, margin, &styles);
        }
        if layout.before != 0 {
            if let Some(first) = table.rows.first_mut() {
                for cell in &mut first.cells {
                    if let Some(Block::Paragraph(p)) = cell.blocks.first_mut() {
                        let before = p.overrides.apply(&styles.get(p.style).para).before;
                        p.overrides.before = Some(before + layout.before);
                    }
                }
            }
        }
        Ok((table, landscape))
    }
}

/// The header's left column (issue 12): a name such as "ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH" that wraps
/// and leaves "TỈNH" alone on a line gets a wider column, up to `max` twips and as far as the right
/// column's widest line (the quốc hiệu, the date) still fits. Where no width in that range helps,
/// the name is broken where staff would break it: into two lines of about equal width.
fn widen_first_column(t: &mut Table, max: i32, styles: &StyleSheet) {
    /// Room kept between a widened left column's text and the right column's, on each side.
    const PAD: i32 = 170;
    const STEP: usize = 20;
    if t.widths.len() != 2 {
        return;
    }
    let total = t.widths[0] + t.widths[1];
    let paras = |t: &Table, col: usize| -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        for (ri, r) in t.rows.iter().enumerate() {
            if let Some(c) = r.cells.get(col) {
                for (bi, b) in c.blocks.iter().enumerate() {
                    if matches!(b, Block::Paragraph(_)) {
                        out.push((ri, col, bi));
                    }
                }
            }
        }
        out
    };
    let para = |t: &Table, (r, c, b): (usize, usize, usize)| -> Paragraph {
        match &t.rows[r].cells[c].blocks[b] {
            Block::Paragraph(p) => p.clone(),
            _ => unreachable!("only paragraphs are listed"),
        }
    };
    let right_need = paras(t, 1)
        .into_iter()
        .map(|at| {
            let p = para(t, at);
            let f = p.overrides.apply(&styles.get(p.style).para);
            longest_line(&p.runs) as i32 + f.indent_left + f.indent_right + 2 * PAD
        })
        .max()
        .unwrap_or(0);
    let max = max.min(total - right_need);
    let left = paras(t, 0);
    let lone = |w: i32, p: &Paragraph| -> bool {
        let f = p.overrides.apply(&styles.get(p.style).para);
        let lines = crate::layout::lines::break_lines(p, &f, w as f64, crate::fonts::FontSet::bundled());
        // Lines of one hard line (a line the plan wrote) that wrapped, one of them a single word.
        let mut group: Vec<usize> = Vec::new();
        let mut bad = false;
        for l in &lines {
            let text: String = l.spans.iter().map(|s| s.text.as_str()).collect();
            group.push(text.split_whitespace().count());
            if l.last {
                bad |= group.len() > 1 && group.contains(&1);
                group.clear();
            }
        }
        bad
    };
    let bad_at = |t: &Table, w: i32| left.iter().any(|&at| lone(w, &para(t, at)));
    let start = t.widths[0];
    if !bad_at(t, start) {
        return;
    }
    // A width where the name fits with room to spare on both sides (the columns' texts must not
    // run into each other).
    if let Some(w) = (start..=max.max(start)).step_by(STEP).map(|w| w + 2 * PAD).find(|&w| w <= max && !bad_at(t, w - 2 * PAD)) {
        t.widths = vec![w, total - w];
        return;
    }
    // No width helps: break each such name into two balanced lines.
    for &(r, c, b) in &left {
        let w = t.widths[0];
        let p = para(t, (r, c, b));
        if !lone(w, &p) {
            continue;
        }
        if let Some(balanced) = balance_two_lines(&p, w, styles) {
            t.rows[r].cells[c].blocks[b] = Block::Paragraph(balanced);
        }
    }
}

/// `p` (one run of text per line it wrote) with each line that wraps broken into two lines of about
/// equal width, if both fit in `w`.
fn balance_two_lines(p: &Paragraph, w: i32, styles: &StyleSheet) -> Option<Paragraph> {
    let f = p.overrides.apply(&styles.get(p.style).para);
    let avail = (w - f.indent_left - f.indent_right) as f64;
    let mut runs = Vec::new();
    for r in &p.runs {
        let Run::Text(t) = r else {
            runs.push(r.clone());
            continue;
        };
        let width = |s: &str| fonts::text_width(s, t.size, t.bold, t.italic);
        if width(&t.text) <= avail {
            runs.push(r.clone());
            continue;
        }
        let words: Vec<&str> = t.text.split_whitespace().collect();
        let best = (1..words.len())
            .map(|k| (k, width(&words[..k].join(" ")).max(width(&words[k..].join(" ")))))
            .filter(|&(_, m)| m <= avail)
            .min_by(|a, b| a.1.total_cmp(&b.1))?;
        runs.push(Run::Text(TextRun { text: words[..best.0].join(" "), ..t.clone() }));
        runs.push(Run::Break);
        runs.push(Run::Text(TextRun { text: words[best.0..].join(" "), ..t.clone() }));
    }
    Some(Paragraph { runs, ..p.clone() })
}

/// Tables side by side in one cell with the same columns (the groups of nơi nhận) get the same
/// column widths, the widest of each, so their braces and notes stand in one line.
fn align_nested_tables(blocks: &mut [Block]) {
    let shape = |t: &Table| (t.widths.len(), t.widths.iter().sum::<i32>());
    let tables: Vec<(usize, i32)> = blocks.iter().filter_map(|b| if let Block::Table(t) = b { Some(shape(t)) } else { None }).collect();
    let Some(&first) = tables.first() else { return };
    if tables.len() < 2 || tables.iter().any(|&t| t != first) || first.0 < 2 {
        return;
    }
    let n = first.0;
    let mut widest = vec![0; n - 1];
    for b in blocks.iter() {
        if let Block::Table(t) = b {
            for (w, &c) in widest.iter_mut().zip(&t.widths) {
                *w = (*w).max(c);
            }
        }
    }
    for b in blocks.iter_mut() {
        if let Block::Table(t) = b {
            t.widths[..n - 1].copy_from_slice(&widest);
            t.widths[n - 1] = first.1 - widest.iter().sum::<i32>();
        }
    }
}

/// Shrinks every column but the last to the widest line of text in it (plus a little air), and
/// gives the freed width to the last column.
fn fit_columns(t: &mut Table, margin: i32, styles: &StyleSheet) {
    const AIR: i32 = 60;
    let n = t.widths.len();
    for col in 0..n.saturating_sub(1) {
        let widest = t
            .rows
            .iter()
            .filter_map(|r| r.cells.get(col))
            .flat_map(|c| c.blocks.iter())
            .filter_map(|b| match b {
                Block::Paragraph(p) => {
                    let f = p.overrides.apply(&styles.get(p.style).para);
                    Some(longest_line(&p.runs) as i32 + f.indent_left + f.indent_right)
                }
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let brace = t.rows.iter().any(|r| r.cells.get(col).is_some_and(|c| c.border_right));
        let want = widest + 2 * margin + AIR + if brace { BRACE_ROOM } else { 0 };
        if want < t.widths[col] {
            let freed = t.widths[col] - want;
            t.widths[col] = want;
            t.widths[n - 1] += freed;
        }
    }
}

/// A newline in the template source, with the indentation around it, becomes one space.
fn collapse_source_breaks(s: &str) -> String {
    if !s.contains('\n') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for (i, part) in s.split('\n').enumerate() {
        let part = if i == 0 { part.trim_end() } else { part.trim() };
        if i > 0 {
            pending_space = true;
        }
        if !part.is_empty() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push_str(part);
        }
    }
    if pending_space {
        out.push(' ');
    }
    out
}

/// Drops leading and trailing whitespace of the paragraph (template indentation).
fn trim_runs(runs: &mut Vec<Run>) {
    if let Some(Run::Text(t)) = runs.first_mut() {
        t.text = t.text.trim_start().to_string();
    }
    if let Some(Run::Text(t)) = runs.last_mut() {
        t.text = t.text.trim_end().to_string();
    }
    runs.retain(|r| !matches!(r, Run::Text(t) if t.text.is_empty()));
}

/// The width in twips of the longest line (lines end at `<br/>`), before any wrapping.
fn longest_line(runs: &[Run]) -> f64 {
    let mut best: f64 = 0.0;
    let mut cur = 0.0;
    for r in runs {
        match r {
            Run::Text(t) => cur += fonts::text_width(&t.text, t.size, t.bold, t.italic),
            Run::Break => {
                best = best.max(cur);
                cur = 0.0;
            }
        }
    }
    best.max(cur)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::model::Regime;

    fn read_nd30(m: &str) -> Result<Document, Error> {
        read(m, Profile::for_regime(Regime::Nd30), Meta::default())
    }

    #[test]
    fn paragraphs_runs_and_rules() {
        let d = read_nd30(
            "<doc><p style=\"tieu_ngu\">Độc lập - Tự do - Hạnh phúc</p>\n<p style=\"body\">a <b>b</b>\n   <i>c</i><br/>d</p></doc>",
        )
        .unwrap();
        let blocks = &d.sections[0].blocks;
        assert_eq!(blocks.len(), 3);
        let Block::Rule(r) = &blocks[1] else { panic!("rule expected") };
        // 6.05 cm = 3430 twips
        assert!((r.length - 3430).abs() < 15, "{}", r.length);
        let Block::Paragraph(p) = &blocks[2] else { panic!() };
        assert_eq!(p.text(), "a b c\nd");
        assert!(matches!(&p.runs[1], Run::Text(t) if t.bold && t.text == "b"));
        assert!(matches!(&p.runs[3], Run::Text(t) if t.italic && t.text == "c"));
    }

    #[test]
    fn caps_styles_upper_case_their_text() {
        let d = read_nd30("<doc><p style=\"muc\">I. Mục đích, yêu cầu</p></doc>").unwrap();
        let Block::Paragraph(p) = &d.sections[0].blocks[0] else { panic!() };
        assert_eq!(p.text(), "I. MỤC ĐÍCH, YÊU CẦU");
    }

    #[test]
    fn unknown_styles_and_tags_are_errors() {
        let e = read_nd30("<doc><p style=\"khong_co\">x</p></doc>").unwrap_err().to_string();
        assert!(e.contains("khong_co") && e.contains("dòng 1"), "{e}");
        assert!(read_nd30("<doc><span>x</span></doc>").is_err());
        assert!(read_nd30("<doc>loose text</doc>").is_err());
        assert!(read_nd30("<doc><p style=\"body\">x</doc>").is_err());
        assert!(read_nd30("<doc><table layout=\"dau\"><row><cell/><cell/><cell/></row></table></doc>").is_err());
    }

    #[test]
    fn tables_resolve_layout_widths() {
        let d = read_nd30("<doc><table layout=\"nhiem_vu\" borders=\"all\"><row header=\"true\"><cell><p style=\"bang\">1</p></cell></row></table></doc>").unwrap();
        let Block::Table(t) = &d.sections[0].blocks[0] else { panic!() };
        assert_eq!(t.widths.len(), 6);
        assert!(t.widths.iter().sum::<i32>() <= d.sections[0].page.text_width());
        assert!(t.rows[0].header && t.borders);
    }
}
