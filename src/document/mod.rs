//! The format-neutral document: what composing a plan produces (see [`crate::compose`]) and what
//! every output is made from (the DOCX writer, and the layout under the PDF and SVG pages).
//!
//! A document is a style sheet and a list of sections. A section has its own page setup (a
//! landscape task table, a phụ lục) and its rule for page numbers; its blocks are paragraphs,
//! horizontal rules and tables. A paragraph names its style and carries only what it sets
//! differently ([`ParaOverrides`]); its runs carry their own emphasis. Lengths are in twips, font
//! sizes in half-points, and rules carry their measured length.

mod style;

pub use style::*;

#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    pub meta: Meta,
    pub styles: StyleSheet,
    pub sections: Vec<Section>,
}

impl Document {
    /// The resolved format of a paragraph: its style with its overrides applied.
    pub fn format(&self, p: &Paragraph) -> ParaFormat {
        p.overrides.apply(&self.styles.get(p.style).para)
    }
}

/// What the document's properties say about it (DOCX core properties, PDF information).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
}

/// A part of the document with one page setup; it starts on a new page.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// The page, already turned for a landscape section.
    pub page: PageSetup,
    pub landscape: bool,
    pub page_numbers: PageNumbers,
    pub blocks: Vec<Block>,
}

/// Where and whether a section's pages are numbered: centred at the top, `page.header` from the top
/// edge, in a style of the document.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageNumbers {
    pub style: StyleId,
    /// The section's first page shows no number (page 1 of a plan).
    pub hide_first: bool,
    /// Numbering starts again at this number; `None` continues from the section before.
    pub restart: Option<u32>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Paragraph(Paragraph),
    Rule(Rule),
    Table(Table),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Paragraph {
    pub style: StyleId,
    pub overrides: ParaOverrides,
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

impl TextRun {
    pub fn format(&self) -> RunFormat {
        RunFormat { size: self.size, bold: self.bold, italic: self.italic, underline: self.underline }
    }
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
