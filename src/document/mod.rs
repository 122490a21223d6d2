//! The format-neutral document: what the template produces once its markup is read, and what both
//! renderers (DOCX and PDF) consume. Every style is already resolved here: lengths are in twips,
//! font sizes in half-points, and rules carry their measured length.

use crate::regime::{Align, LineSpacing, PageSetup};

impl PageSetup {
    /// The same page turned sideways: width and height swap, the margins stay with their edges'
    /// roles (top, bottom, binding side), as Word does for a landscape section.
    pub fn landscape(&self) -> PageSetup {
        PageSetup { width: self.height, height: self.width, ..*self }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub page: PageSetup,
    pub meta: Meta,
    /// Page number from page 2 on, centred at the top, in this style.
    pub page_number: Paragraph,
    pub blocks: Vec<Block>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Paragraph(Paragraph),
    Rule(Rule),
    Table(Table),
}

impl Block {
    pub fn keep_next(&self) -> bool {
        match self {
            Block::Paragraph(p) => p.keep_next,
            Block::Rule(r) => r.keep_next,
            Block::Table(_) => false,
        }
    }

    pub fn is_landscape_table(&self) -> bool {
        matches!(self, Block::Table(t) if t.landscape)
    }
}

/// Where each landscape section begins: a landscape table takes the blocks that keep with it (its
/// heading) onto its landscape pages. `result[i]` is true when a landscape section starts at block i.
pub fn landscape_starts(blocks: &[Block]) -> Vec<bool> {
    let mut starts = vec![false; blocks.len()];
    for (j, b) in blocks.iter().enumerate() {
        if b.is_landscape_table() {
            let mut i = j;
            while i > 0 && blocks[i - 1].keep_next() && !blocks[i - 1].is_landscape_table() {
                i -= 1;
            }
            starts[i] = true;
        }
    }
    starts
}

#[derive(Clone, Debug, PartialEq)]
pub struct Paragraph {
    /// The style's name (kept so the DOCX shows it and tests can find elements by role).
    pub style: String,
    pub align: Align,
    pub first_line: i32,
    pub indent_left: i32,
    pub indent_right: i32,
    pub before: i32,
    pub after: i32,
    pub line: LineSpacing,
    pub keep_next: bool,
    pub keep_lines: bool,
    pub boxed: bool,
    pub runs: Vec<Run>,
}

impl Paragraph {
    /// The paragraph's text, line breaks as '\n'.
    pub fn text(&self) -> String {
        self.runs
            .iter()
            .map(|r| match r {
                Run::Text(t) => t.text.as_str(),
                Run::Break => "\n",
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Run {
    Text(TextRun),
    Break,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TextRun {
    pub text: String,
    pub size: u32,
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
}

/// A centred horizontal line of a given length, drawn under the previous paragraph.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub length: i32,
    /// Eighths of a point.
    pub thickness: u32,
    /// Space between the text above and the line.
    pub gap: i32,
    pub keep_next: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Column widths in twips.
    pub widths: Vec<i32>,
    pub indent: i32,
    pub borders: bool,
    /// Printed on landscape pages of its own (a section of its own in the DOCX).
    pub landscape: bool,
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Repeated at the top of every page the table runs onto.
    pub header: bool,
    /// The row may not break across pages.
    pub cant_split: bool,
    pub cells: Vec<Cell>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VMerge {
    None,
    Restart,
    Continue,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VAlign {
    Top,
    Center,
    Bottom,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub blocks: Vec<Block>,
    pub v_merge: VMerge,
    pub v_align: VAlign,
    /// A vertical line on the cell's right side (the brace of a nơi nhận group).
    pub border_right: bool,
}
