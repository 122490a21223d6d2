//! Page layout: the format-neutral document → pages of positioned text and lines, computed the way
//! Word and LibreOffice lay out our DOCX, so the PDF has the same lines and the same page breaks.
//!
//! The vertical metrics follow LibreOffice's (its rendering of our DOCX is what the tests compare
//! with, and they agree with Word's for these fonts): a single line is the font's ascent + descent
//! + line gap, rounded to twips; "multiple" spacing scales that height and puts the extra below the
//! text; "exact" spacing puts the baseline at 4/5 of the fixed height. Space before a paragraph is
//! dropped at the top of every page but the first. Widows and orphans: at least two lines of a
//! split paragraph stay on each page. Keep-with-next chains move as a whole when they can.
//!
//! Coordinates are twips: x from the left edge of the text area, y from the top of the page.

use super::lines::{self, Line, Span};
use crate::document::*;
use crate::fonts::FontSet;

/// Something drawn on a page. Coordinates are twips: x from the left edge of the text area (see
/// [`left_margin`]), y from the top of the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A piece of text in one font. `space_extra` widens each of its spaces (justification).
    Text {
        /// Where the text starts.
        x: f64,
        /// Where its baseline is.
        baseline: f64,
        /// The text and its font.
        span: Span,
        /// Extra width of each space, in twips.
        space_extra: f64,
    },
    /// A straight line; `width` is its thickness.
    Line {
        /// One end.
        x1: f64,
        /// See `x1`.
        y1: f64,
        /// The other end.
        x2: f64,
        /// See `x2`.
        y2: f64,
        /// Thickness in twips.
        width: f64,
    },
}

/// Where a paragraph, or the part of it on one page, landed: its style and the box of its lines.
/// Coordinates as for [`Item`]: twips, x from the left edge of the text area, y from the top of the
/// page. Exporters draw [`Page::items`] and need none of this; it tells where named elements are
/// (the signer's chức vụ and họ tên, the số and the date), for the signing boxes of a PDF.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placed {
    /// The paragraph's style (its name: `Document::styles`).
    pub style: StyleId,
    /// The left edge of the area its lines are set in (its column or the text area, within its
    /// indents).
    pub left: f64,
    /// The right edge of that area.
    pub right: f64,
    /// The top of its first line on this page (below any space before it and its stamp box's padding).
    pub top: f64,
    /// The bottom of its last line on this page (above any space after it).
    pub bottom: f64,
}

/// A laid-out page.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// What is drawn on it, text and lines.
    pub items: Vec<Item>,
    /// Where each paragraph on it landed, in the order they were placed.
    pub placed: Vec<Placed>,
    /// This page's size and margins (a landscape table has pages of its own).
    pub setup: PageSetup,
    /// The section of the document it belongs to.
    pub section: usize,
    /// The number printed at its top, if any.
    pub number: Option<u32>,
}

/// What laying out a block needs: the fonts that measure the text, and the styles of the document.
#[derive(Clone, Copy)]
struct Cx<'a> {
    fonts: &'a FontSet,
    styles: &'a StyleSheet,
}

/// Thickness of the lines of bordered tables (`w:sz="4"`, half a point).
const GRID_LINE: f64 = 10.0;
/// The stamp box: its line's thickness and the gap to the text, in twips.
const BOX_LINE: f64 = BOX_BORDER as f64 * 20.0 / 8.0;
const BOX_GAP: f64 = BOX_SPACE_PT as f64 * 20.0;

/// Height and ascent of a line, in twips.
fn line_metrics(line: &Line, spacing: LineSpacing, fonts: &FontSet) -> (f64, f64) {
    let (mut asc, mut desc) = (0.0f64, 0.0f64);
    let mut measure = |size: u32, bold: bool, italic: bool| {
        let f = fonts.face(bold, italic);
        let em = size as f64 * 10.0 / f.units_per_em as f64;
        let h = ((f.ascender + f.descender + f.line_gap) as f64 * em).round();
        let a = ((f.ascender + f.line_gap) as f64 * em).round();
        asc = asc.max(a);
        desc = desc.max(h - a);
    };
    if line.spans.is_empty() {
        measure(line.size, false, false);
    }
    for s in &line.spans {
        measure(s.size, s.bold, s.italic);
    }
    let natural = asc + desc;
    match spacing {
        LineSpacing::Auto(m) => {
            let pct = (m as f64 * 100.0 / 240.0).round();
            ((natural * pct / 100.0).floor(), asc)
        }
        LineSpacing::Exact(v) => (v as f64, (v as f64 * 4.0 / 5.0).floor()),
    }
}

/// A paragraph broken into lines, ready to place.
struct Laid {
    style: StyleId,
    lines: Vec<(Line, f64, f64)>, // line, height, ascent
    /// The paragraph's format (its style with its overrides).
    p: ParaFormat,
    /// Left edge and width of the paragraph's area.
    x0: f64,
    width: f64,
}

impl Laid {
    fn new(para: &Paragraph, x0: f64, width: f64, cx: Cx) -> Laid {
        let style = cx.styles.get(para.style);
        let p = para.overrides.apply(&style.para);
        let mut ls = lines::break_lines(para, &p, width, cx.fonts);
        if ls.is_empty() {
            ls.push(Line {
                spans: vec![],
                width: 0.0,
                avail: width,
                indent: p.indent_left as f64,
                spaces: 0,
                last: true,
                size: style.run.size,
            });
        }
        let lines = ls
            .into_iter()
            .map(|l| {
                let (h, a) = line_metrics(&l, p.line, cx.fonts);
                (l, h, a)
            })
            .collect();
        Laid { style: para.style, lines, p, x0, width }
    }

    /// Extra height the stamp box adds above and below the text.
    fn box_pad(&self) -> f64 {
        if self.p.boxed { BOX_LINE + BOX_GAP } else { 0.0 }
    }

    fn height(&self, with_before: bool) -> f64 {
        let b = if with_before { self.p.before as f64 } else { 0.0 };
        b + self.lines.iter().map(|l| l.1).sum::<f64>() + 2.0 * self.box_pad() + self.p.after as f64
    }

    /// Places lines `from..to` with the first line's top at `top`, and says where in `placed`;
    /// returns the bottom.
    fn place(&self, from: usize, to: usize, top: f64, out: &mut Vec<Item>, placed: &mut Vec<Placed>) -> f64 {
        let mut y = top;
        if self.p.boxed && from == 0 {
            y += self.box_pad();
        }
        let text_top = y;
        for (line, h, a) in &self.lines[from..to] {
            place_line(line, self.p.align, self.x0, y + a, out);
            y += h;
        }
        placed.push(Placed {
            style: self.style,
            left: self.x0 + self.p.indent_left as f64,
            right: self.x0 + self.width - self.p.indent_right as f64,
            top: text_top,
            bottom: y,
        });
        if self.p.boxed && to == self.lines.len() {
            // The box: around the paragraph's text area (its indents), a gap away from the text.
            let left = self.x0 + self.p.indent_left as f64 - BOX_GAP - BOX_LINE / 2.0;
            let right = self.x0 + self.width - self.p.indent_right as f64 + BOX_GAP + BOX_LINE / 2.0;
            let top = text_top - BOX_GAP - BOX_LINE / 2.0;
            let bottom = y + BOX_GAP + BOX_LINE / 2.0;
            for (x1, y1, x2, y2) in [(left, top, right, top), (left, bottom, right, bottom), (left, top, left, bottom), (right, top, right, bottom)] {
                out.push(Item::Line { x1, y1, x2, y2, width: BOX_LINE });
            }
            y += self.box_pad();
        }
        y
    }
}

fn place_line(line: &Line, align: Align, x0: f64, baseline: f64, out: &mut Vec<Item>) {
    let slack = (line.avail - line.width).max(0.0);
    let (mut x, extra) = match align {
        Align::Left => (line.indent, 0.0),
        Align::Center => (line.indent + slack / 2.0, 0.0),
        Align::Right => (line.indent + slack, 0.0),
        Align::Both if !line.last && line.spaces > 0 => (line.indent, slack / line.spaces as f64),
        Align::Both => (line.indent, 0.0),
    };
    x += x0;
    for span in &line.spans {
        let spaces = span.text.chars().filter(|c| *c == ' ').count() as f64;
        let w = span.width + spaces * extra;
        if span.underline {
            // Underline: a tenth of the size below the baseline, 1/20 of it thick (Times' own values).
            let size = span.size as f64 * 10.0;
            let y = baseline + size * 0.105;
            out.push(Item::Line { x1: x, y1: y, x2: x + w, y2: y, width: size * 0.05 });
        }
        out.push(Item::Text { x, baseline, span: span.clone(), space_extra: extra });
        x += w;
    }
}

/// A rule: an empty paragraph `gap` below the previous one, one point high, whose bottom border is
/// the line (see the DOCX writer).
fn rule_height(r: &Rule) -> f64 {
    r.gap as f64 + 20.0 + r.thickness as f64 * 2.5
}

fn place_rule(r: &Rule, x0: f64, width: f64, top: f64, out: &mut Vec<Item>) -> f64 {
    let t = r.thickness as f64 * 2.5;
    let y = top + r.gap as f64 + 20.0 + t / 2.0;
    let x1 = x0 + (width - r.length as f64) / 2.0;
    out.push(Item::Line { x1, y1: y, x2: x1 + r.length as f64, y2: y, width: t });
    top + rule_height(r)
}

/// A table row laid out: its height and its items relative to the row's top.
struct RowBox {
    height: f64,
    items: Vec<Item>,
    placed: Vec<Placed>,
    header: bool,
}

/// Lays out a table whose left edge is at `x0`; rows are measured independently of pages.
fn layout_table(t: &Table, x0: f64, cx: Cx) -> Vec<RowBox> {
    let margin = if t.borders { BORDERED_CELL_MARGIN as f64 } else { 0.0 };
    let left = x0 + t.indent as f64;
    let col_x: Vec<f64> = t.widths.iter().scan(left, |x, w| {
        let here = *x;
        *x += *w as f64;
        Some(here)
    }).collect();
    // First pass: each cell's content and height (a merged cell is placed in a second pass).
    struct CellFlow {
        items: Vec<Item>,
        placed: Vec<Placed>,
        height: f64,
    }
    let mut flows: Vec<Vec<CellFlow>> = Vec::new();
    let mut heights: Vec<f64> = Vec::new();
    for row in &t.rows {
        let mut cells = Vec::new();
        let mut h: f64 = 0.0;
        for (i, cell) in row.cells.iter().enumerate() {
            let w = t.widths.get(i).copied().unwrap_or(0) as f64;
            let (mut items, mut placed) = (Vec::new(), Vec::new());
            let ch = flow(&cell.blocks, col_x[i] + margin, w - 2.0 * margin, cx, &mut items, &mut placed);
            if cell.v_merge != VMerge::Restart {
                h = h.max(ch);
            }
            cells.push(CellFlow { items, placed, height: ch });
        }
        flows.push(cells);
        heights.push(h);
    }
    // Merged cells: their rows must hold them; vertical alignment within the merged height.
    let mut rows: Vec<RowBox> = heights.iter().zip(&t.rows).map(|(h, r)| RowBox { height: *h, items: vec![], placed: vec![], header: r.header }).collect();
    for (ri, row) in t.rows.iter().enumerate() {
        for (ci, cell) in row.cells.iter().enumerate() {
            let flow_h = flows[ri][ci].height;
            let (span_end, span_h) = if cell.v_merge == VMerge::Restart {
                let mut end = ri + 1;
                while end < t.rows.len() && t.rows[end].cells.get(ci).is_some_and(|c| c.v_merge == VMerge::Continue) {
                    end += 1;
                }
                let mut total: f64 = rows[ri..end].iter().map(|r| r.height).sum();
                if flow_h > total {
                    rows[end - 1].height += flow_h - total;
                    total = flow_h;
                }
                (end, total)
            } else {
                (ri + 1, rows[ri].height)
            };
            let offset = match cell.v_align {
                VAlign::Top => 0.0,
                VAlign::Center => (span_h - flow_h) / 2.0,
                VAlign::Bottom => span_h - flow_h,
            };
            let items = std::mem::take(&mut flows[ri][ci].items);
            rows[ri].items.extend(items.into_iter().map(|it| shift(it, offset)));
            let placed = std::mem::take(&mut flows[ri][ci].placed);
            rows[ri].placed.extend(placed.into_iter().map(|p| shift_placed(p, offset)));
            let _ = span_end;
        }
    }
    // Borders, drawn per row so a row carries its own lines onto whatever page it lands on.
    for ri in 0..t.rows.len() {
        let h = rows[ri].height;
        let right_edge = col_x.last().copied().unwrap_or(left) + t.widths.last().copied().unwrap_or(0) as f64;
        if t.borders {
            let w = GRID_LINE;
            rows[ri].items.push(Item::Line { x1: left, y1: 0.0, x2: right_edge, y2: 0.0, width: w });
            rows[ri].items.push(Item::Line { x1: left, y1: h, x2: right_edge, y2: h, width: w });
            for x in col_x.iter().copied().chain(std::iter::once(right_edge)) {
                rows[ri].items.push(Item::Line { x1: x, y1: 0.0, x2: x, y2: h, width: w });
            }
        }
    }
    // A brace after the cells marked for it (a nơi nhận group), over all the rows they span, drawn
    // in the first of them: a right curly brace as Word's shape draws it, pointing at the note.
    let heights: Vec<f64> = rows.iter().map(|r| r.height).collect();
    for b in brace_spans(t, &heights) {
        let x = col_x[b.col] + (t.widths[b.col] - BRACE_ROOM) as f64 + BRACE_GAP;
        let items = brace(x, 0.0, b.height);
        rows[b.row].items.extend(items);
    }
    rows
}

/// The brace of a nơi nhận group: drawn in the cell at `row`, `col`, from the top of that row
/// down `height` twips (all the rows whose cell in `col` is marked [`Cell::border_right`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BraceSpan {
    pub col: usize,
    pub row: usize,
    pub height: f64,
}

fn brace_spans(t: &Table, heights: &[f64]) -> Vec<BraceSpan> {
    let mut out = Vec::new();
    for col in 0..t.widths.len() {
        let marked = |r: &usize| t.rows[*r].cells.get(col).is_some_and(|c| c.border_right);
        let (Some(first), Some(last)) = ((0..t.rows.len()).find(marked), (0..t.rows.len()).rfind(marked)) else { continue };
        out.push(BraceSpan { col, row: first, height: heights[first..=last].iter().sum() });
    }
    out
}

/// The braces of a table's nơi nhận groups, measured as the pages lay them out: the DOCX writer
/// draws Word's brace shape from these, so it is as long as the brace of the PDF and SVG pages.
pub fn braces(t: &Table, styles: &StyleSheet, fonts: &FontSet) -> Vec<BraceSpan> {
    if !t.rows.iter().any(|r| r.cells.iter().any(|c| c.border_right)) {
        return Vec::new();
    }
    let rows = layout_table(t, 0.0, Cx { fonts, styles });
    let heights: Vec<f64> = rows.iter().map(|r| r.height).collect();
    brace_spans(t, &heights)
}

/// The gap between a nơi nhận group's names and its brace, and the brace's width, in twips.
pub const BRACE_GAP: f64 = 30.0;
pub const BRACE_WIDTH: f64 = 110.0;

/// A right curly brace from `top` to `bottom` at `x`, drawn as Word draws its "Right Brace" shape
/// (DrawingML's preset `rightBrace` with its default adjustments): quarter ellipses half the
/// width wide and a twelfth of the width tall into the stem at each end and into the point in the
/// middle, as short straight lines (the exporters draw straight lines only).
fn brace(x: f64, top: f64, bottom: f64) -> Vec<Item> {
    let w = BRACE_WIDTH;
    let h = bottom - top;
    // adj1 = 8333: the curls are 8.333 % of the shorter side tall, at most a quarter of the height.
    let r = (w.min(h) * 0.08333).min(h / 4.0);
    let (stem, tip, mid) = (x + w / 2.0, x + w, top + h / 2.0);
    // Quarter ellipses as cubic Bézier curves (from, control, control, to).
    const K: f64 = 0.552_284_75;
    let (kx, ky) = (K * w / 2.0, K * r);
    let curves = [
        ((x, top), (x + kx, top), (stem, top + r - ky), (stem, top + r)),
        ((stem, mid - r), (stem, mid - r + ky), (stem + kx, mid), (tip, mid)),
        ((tip, mid), (stem + kx, mid), (stem, mid + r - ky), (stem, mid + r)),
        ((stem, bottom - r), (stem, bottom - r + ky), (x + kx, bottom), (x, bottom)),
    ];
    let mut out = Vec::new();
    let line = |a: (f64, f64), b: (f64, f64)| Item::Line { x1: a.0, y1: a.1, x2: b.0, y2: b.1, width: BRACE_LINE };
    for (k, &(a, c, d, b)) in curves.iter().enumerate() {
        const STEPS: usize = 6;
        let mut prev = a;
        for i in 1..=STEPS {
            let t = i as f64 / STEPS as f64;
            let u = 1.0 - t;
            let (p0, p1, p2, p3) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
            let p = (p0 * a.0 + p1 * c.0 + p2 * d.0 + p3 * b.0, p0 * a.1 + p1 * c.1 + p2 * d.1 + p3 * b.1);
            out.push(line(prev, p));
            prev = p;
        }
        // The stems between the curves.
        if k == 0 && mid - r > top + r {
            out.push(line((stem, top + r), (stem, mid - r)));
        }
        if k == 2 && bottom - r > mid + r {
            out.push(line((stem, mid + r), (stem, bottom - r)));
        }
    }
    out
}

/// The brace's line: half a point, as Word draws a shape's line by default (0.75 pt) a little thinner.
pub const BRACE_LINE: f64 = 12.0;

fn shift(it: Item, dy: f64) -> Item {
    match it {
        Item::Text { x, baseline, span, space_extra } => Item::Text { x, baseline: baseline + dy, span, space_extra },
        Item::Line { x1, y1, x2, y2, width } => Item::Line { x1, y1: y1 + dy, x2, y2: y2 + dy, width },
    }
}

fn shift_placed(p: Placed, dy: f64) -> Placed {
    Placed { top: p.top + dy, bottom: p.bottom + dy, ..p }
}

/// Lays out blocks without page breaks (the inside of a table cell); returns the height used.
fn flow(blocks: &[Block], x0: f64, width: f64, cx: Cx, out: &mut Vec<Item>, placed: &mut Vec<Placed>) -> f64 {
    let mut y = 0.0;
    let mut prev_table = false;
    for b in blocks {
        // The paragraph between two tables in a row (see [`TABLE_SEPARATOR`]).
        if prev_table && matches!(b, Block::Table(_)) {
            y += TABLE_SEPARATOR as f64;
        }
        prev_table = matches!(b, Block::Table(_));
        match b {
            Block::Paragraph(p) => {
                let l = Laid::new(p, x0, width, cx);
                y += l.p.before as f64;
                y = l.place(0, l.lines.len(), y, out, placed);
                y += l.p.after as f64;
            }
            Block::Rule(r) => y = place_rule(r, x0, width, y, out),
            Block::Table(t) => {
                for row in layout_table(t, x0, cx) {
                    out.extend(row.items.into_iter().map(|it| shift(it, y)));
                    placed.extend(row.placed.into_iter().map(|p| shift_placed(p, y)));
                    y += row.height;
                }
            }
        }
    }
    y
}

/// A top-level block measured for pagination.
enum Unit {
    Para(Laid),
    Rule(Rule),
    Table(Vec<RowBox>),
}

impl Unit {
    fn keep_next(&self) -> bool {
        match self {
            Unit::Para(l) => l.p.keep_next,
            Unit::Rule(r) => r.keep_next,
            Unit::Table(_) => false,
        }
    }

    /// The least of this unit that must fit on the page for it to start there.
    fn head_height(&self, at_top_of_later_page: bool) -> f64 {
        match self {
            Unit::Para(l) => {
                let before = if at_top_of_later_page { 0.0 } else { l.p.before as f64 };
                let n = l.lines.len();
                let need = if l.p.keep_lines || n <= 3 { n } else { 2 };
                before + l.box_pad() + l.lines[..need].iter().map(|x| x.1).sum::<f64>()
            }
            Unit::Rule(r) => rule_height(r),
            Unit::Table(rows) => {
                let header: f64 = rows.iter().take_while(|r| r.header).map(|r| r.height).sum();
                header + rows.iter().find(|r| !r.header).map(|r| r.height).unwrap_or(0.0)
            }
        }
    }

    fn full_height(&self, at_top: bool) -> f64 {
        match self {
            Unit::Para(l) => l.height(!at_top),
            Unit::Rule(r) => rule_height(r),
            Unit::Table(rows) => rows.iter().map(|r| r.height).sum(),
        }
    }
}

struct Cursor {
    setup: PageSetup,
    /// The section being laid out.
    section: usize,
    pages: Vec<Page>,
    y: f64,
    /// The current page began at a section break (its first paragraph keeps its space before).
    after_section_break: bool,
}

impl Cursor {
    fn top(&self) -> f64 {
        self.setup.top as f64
    }
    fn bottom(&self) -> f64 {
        (self.setup.height - self.setup.bottom) as f64
    }
    fn at_top(&self) -> bool {
        self.y <= self.top() + 0.001
    }
    /// At the top of a page other than the first, reached by the text flowing on: space before is
    /// dropped there (but not after a section break).
    fn at_top_of_later_page(&self) -> bool {
        self.at_top() && self.pages.len() > 1 && !self.after_section_break
    }
    fn new_page(&mut self) {
        self.pages.push(Page { items: vec![], placed: vec![], setup: self.setup, section: self.section, number: None });
        self.y = self.top();
        self.after_section_break = false;
    }
    /// Continues with section `section`, on pages of its setup, from a fresh page.
    fn start_section(&mut self, section: usize, setup: PageSetup) {
        let empty = self.pages.last().is_some_and(|p| p.items.is_empty());
        self.setup = setup;
        self.section = section;
        if empty {
            let page = self.pages.last_mut().unwrap();
            page.setup = setup;
            page.section = section;
            self.y = self.top();
        } else {
            self.new_page();
        }
        self.after_section_break = self.pages.len() > 1;
    }
    fn items(&mut self) -> &mut Vec<Item> {
        &mut self.pages.last_mut().unwrap().items
    }
    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().unwrap()
    }
    fn room(&self) -> f64 {
        self.bottom() - self.y
    }
}

/// Lays out the whole document into pages: each section from a new page, page numbers decided
/// (see [`number_pages`] for drawing them).
pub fn layout(doc: &Document, fonts: &FontSet) -> Vec<Page> {
    let cx = Cx { fonts, styles: &doc.styles };
    let Some(first) = doc.sections.first() else { return Vec::new() };
    let mut c = Cursor {
        setup: first.page,
        section: 0,
        pages: vec![Page { items: vec![], placed: vec![], setup: first.page, section: 0, number: None }],
        y: first.page.top as f64,
        after_section_break: false,
    };
    for (si, section) in doc.sections.iter().enumerate() {
        if si > 0 {
            c.start_section(si, section.page);
        }
        layout_section(section, cx, &mut c);
    }
    // A document that ends with a landscape table leaves an empty portrait section behind.
    if c.pages.len() > 1 && c.pages.last().is_some_and(|p| p.items.is_empty()) {
        c.pages.pop();
    }
    let mut pages = c.pages;
    assign_numbers(&mut pages, doc);
    pages
}

fn layout_section(section: &Section, cx: Cx, c: &mut Cursor) {
    let page = section.page;
    let width = page.text_width() as f64;
    let units: Vec<Unit> = section
        .blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => Unit::Para(Laid::new(p, 0.0, width, cx)),
            Block::Rule(r) => Unit::Rule(r.clone()),
            Block::Table(t) => Unit::Table(layout_table(t, 0.0, cx)),
        })
        .collect();
    let body_height = (page.height - page.top - page.bottom) as f64;
    for i in 0..units.len() {
        // Keep-with-next: this unit, every following one that keeps with its next, and the head of
        // the first that does not, go on one page when they can.
        if units[i].keep_next() && !c.at_top() {
            let mut need = 0.0;
            let mut j = i;
            let mut top = c.at_top_of_later_page();
            while j < units.len() && units[j].keep_next() {
                need += units[j].full_height(top);
                top = false;
                j += 1;
            }
            if j < units.len() {
                need += units[j].head_height(false);
            }
            if need > c.room() && need <= body_height {
                c.new_page();
            }
        }
        match &units[i] {
            Unit::Para(l) => place_para(l, c),
            Unit::Rule(r) => {
                if rule_height(r) > c.room() && !c.at_top() {
                    c.new_page();
                }
                let y = c.y;
                c.y = place_rule(r, 0.0, width, y, c.items());
            }
            Unit::Table(rows) => {
                // The paragraph between two tables in a row (see [`TABLE_SEPARATOR`]).
                if i > 0 && matches!(units[i - 1], Unit::Table(_)) {
                    c.y += TABLE_SEPARATOR as f64;
                }
                place_table(rows, c)
            }
        }
    }
}

/// The number each page shows: pages count on from section to section unless a section restarts
/// them; a section may hide the number of its first page.
fn assign_numbers(pages: &mut [Page], doc: &Document) {
    let mut n = 0;
    let mut prev: Option<usize> = None;
    for page in pages.iter_mut() {
        let numbers = &doc.sections[page.section].page_numbers;
        let first_of_section = prev != Some(page.section);
        n = match numbers.restart {
            Some(start) if first_of_section => start,
            _ => n + 1,
        };
        page.number = (!(first_of_section && numbers.hide_first)).then_some(n);
        prev = Some(page.section);
    }
}

fn place_para(l: &Laid, c: &mut Cursor) {
    let n = l.lines.len();
    let mut from = 0;
    loop {
        let before = if from == 0 && !c.at_top_of_later_page() { l.p.before as f64 } else { 0.0 };
        let pad_top = if from == 0 { l.box_pad() } else { 0.0 };
        // How many of the remaining lines fit on this page?
        let mut used = before + pad_top;
        let mut fit = 0;
        for (_, h, _) in &l.lines[from..] {
            if used + h > c.room() + 0.01 {
                break;
            }
            used += h;
            fit += 1;
        }
        let rest = n - from;
        let box_bottom = if l.p.boxed { l.box_pad() } else { 0.0 };
        if fit == rest && used + box_bottom <= c.room() + 0.01 || c.at_top() && fit == 0 {
            // All that is left fits (or nothing can: place it anyway rather than loop forever).
            let fit = if fit == 0 { rest.min(1) } else { fit };
            let top = c.y + before;
            let end = from + fit;
            let page = c.page();
            c.y = l.place(from, end, top, &mut page.items, &mut page.placed);
            if end >= n {
                c.y += l.p.after as f64;
                return;
            }
            from = end;
            c.new_page();
            continue;
        }
        // Split, keeping at least two lines on each page (widow and orphan control).
        let mut take = fit;
        if !l.p.keep_lines && rest >= 2 {
            if rest - take < 2 {
                take = take.saturating_sub(2 - (rest - take));
            }
            if take < 2 {
                take = 0;
            }
        } else {
            take = 0;
        }
        if take == 0 {
            if c.at_top() {
                // Nothing can be kept together here: place what fits.
                take = fit.max(1);
            } else {
                c.new_page();
                continue;
            }
        }
        let top = c.y + before;
        let page = c.page();
        c.y = l.place(from, from + take, top, &mut page.items, &mut page.placed);
        from += take;
        c.new_page();
    }
}

fn place_table(rows: &[RowBox], c: &mut Cursor) {
    let headers: Vec<&RowBox> = rows.iter().take_while(|r| r.header).collect();
    let header_height: f64 = headers.iter().map(|h| h.height).sum();
    let body = c.bottom() - c.top();
    for (i, row) in rows.iter().enumerate() {
        let is_header = i < headers.len();
        if row.height > c.room() + 0.01 && !c.at_top() {
            c.new_page();
            if !is_header {
                for h in &headers {
                    place_row(h, c);
                }
            }
        }
        if row.height > body - header_height + 0.01 {
            // Taller than a whole page: Word and LibreOffice split even a row that should not
            // split, so its content is not lost off the page; so do we.
            place_split_row(row, &headers, c);
        } else {
            place_row(row, c);
        }
    }
}

/// Places a row taller than a page in slices, a page each, cutting between lines of text.
fn place_split_row(row: &RowBox, headers: &[&RowBox], c: &mut Cursor) {
    // Where each text line's box starts and ends, to cut between lines.
    let text_box = |it: &Item| match it {
        Item::Text { baseline, span, .. } => {
            let size = span.size as f64 * 10.0;
            Some((baseline - 0.9 * size, baseline + 0.25 * size))
        }
        Item::Line { .. } => None,
    };
    let mut top = 0.0;
    loop {
        let room = c.room();
        // The slice ends at the last line boundary that fits.
        let mut cut = top + room;
        if top + room < row.height {
            for it in &row.items {
                if let Some((a, b)) = text_box(it) {
                    if a < cut && b > cut {
                        cut = a;
                    }
                }
            }
            if cut <= top + 1.0 {
                cut = top + room; // a single line taller than the page: cut through it
            }
        } else {
            cut = row.height;
        }
        let y0 = c.y;
        for it in &row.items {
            let placed = match (it, text_box(it)) {
                (_, Some((a, _))) if a >= top - 0.01 && a < cut - 0.01 => Some(shift(it.clone(), y0 - top)),
                (Item::Line { x1, y1, x2, y2, width }, None) => {
                    let (lo, hi) = (y1.min(*y2), y1.max(*y2));
                    (hi > top && lo < cut).then(|| Item::Line {
                        x1: *x1,
                        y1: y1.clamp(top, cut) - top + y0,
                        x2: *x2,
                        y2: y2.clamp(top, cut) - top + y0,
                        width: *width,
                    })
                }
                _ => None,
            };
            if let Some(p) = placed {
                c.items().push(p);
            }
        }
        // A paragraph is said to be where its first line is.
        for p in &row.placed {
            if p.top >= top - 0.01 && p.top < cut - 0.01 {
                let p = shift_placed(*p, y0 - top);
                c.page().placed.push(Placed { bottom: p.bottom.min(y0 + cut - top), ..p });
            }
        }
        c.y += cut - top;
        top = cut;
        if top >= row.height - 0.01 {
            return;
        }
        c.new_page();
        for h in headers {
            place_row(h, c);
        }
    }
}

fn place_row(row: &RowBox, c: &mut Cursor) {
    let y = c.y;
    let page = c.page();
    page.items.extend(row.items.iter().cloned().map(|it| shift(it, y)));
    page.placed.extend(row.placed.iter().map(|p| shift_placed(*p, y)));
    c.y += row.height;
}

/// Draws each page's number ([`Page::number`]) centred in the top margin, `header` twips from the
/// top edge, in the style its section names.
pub fn number_pages(pages: &mut [Page], doc: &Document, fonts: &FontSet) {
    let cx = Cx { fonts, styles: &doc.styles };
    for page in pages.iter_mut() {
        let Some(n) = page.number else { continue };
        let width = page.setup.text_width() as f64;
        let style = doc.sections[page.section].page_numbers.style;
        let run = doc.styles.get(style).run;
        let text = TextRun { text: n.to_string(), size: run.size, bold: run.bold, italic: run.italic, underline: run.underline };
        let p = Paragraph { style, overrides: ParaOverrides::default(), runs: vec![Run::Text(text)] };
        let l = Laid::new(&p, 0.0, width, cx);
        l.place(0, l.lines.len(), page.setup.header as f64, &mut page.items, &mut page.placed);
    }
}

/// The left margin of page `index` (0-based): mirrored margins swap sides on even pages.
pub fn left_margin(setup: &PageSetup, index: usize) -> f64 {
    if setup.mirror && index % 2 == 1 { setup.right as f64 } else { setup.left as f64 }
}
