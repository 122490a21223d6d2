//! The format-neutral document: what composing a plan produces (see `crate::compose`) and what
//! every output is made from (the DOCX writer, and the layout under the PDF and SVG pages).
//!
//! A document is a style sheet and a list of sections. A section has its own page setup (a
//! landscape task table, a phụ lục) and its rule for page numbers; its blocks are paragraphs,
//! horizontal rules and tables. A paragraph names its style and carries only what it sets
//! differently ([`ParaOverrides`]); its runs carry their own emphasis. Lengths are in twips, font
//! sizes in half-points, and rules carry their measured length.

mod style;

pub use style::*;

/// A whole document: its properties, its styles and its sections, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// Title, author, subject.
    pub meta: Meta,
    /// Every style a paragraph of the document names.
    pub styles: StyleSheet,
    /// The parts of the document, each starting on a new page.
    pub sections: Vec<Section>,
}

impl Document {
    /// The resolved format of a paragraph: its style with its overrides applied.
    pub fn format(&self, p: &Paragraph) -> ParaFormat {
        p.overrides.apply(&self.styles.get(p.style).para)
    }

    /// How many parts it has: the plan itself, and its phụ lục.
    pub fn parts(&self) -> usize {
        self.sections.iter().map(|s| s.part + 1).max().unwrap_or(1)
    }

    /// Part `n` alone (0: the plan without its phụ lục; `n`: its `n`th phụ lục), as a document of
    /// its own with the same properties and styles. `None` if there is no such part.
    pub fn part(&self, n: usize) -> Option<Document> {
        let sections: Vec<Section> = self.sections.iter().filter(|s| s.part == n).cloned().collect();
        (!sections.is_empty()).then(|| Document { meta: self.meta.clone(), styles: self.styles.clone(), sections })
    }
}

/// What the document's properties say about it (DOCX core properties, PDF information).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Meta {
    /// The plan's trích yếu.
    pub title: String,
    /// The issuing body.
    pub author: String,
    /// "Kế hoạch".
    pub subject: String,
    /// The plan's date (year, month, day) when it has all three; `None` for a draft dated by its
    /// year or month only, or not dated.
    pub date: Option<(i32, u32, u32)>,
}

/// A part of the document with one page setup; it starts on a new page.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// The page, already turned for a landscape section.
    pub page: PageSetup,
    /// The pages are landscape (their width and height are swapped in `page`).
    pub landscape: bool,
    /// How its pages are numbered.
    pub page_numbers: PageNumbers,
    /// The part of the document it belongs to: 0 for the plan itself, `n` for its `n`th phụ lục.
    pub part: usize,
    /// Its content, in order.
    pub blocks: Vec<Block>,
}

/// Where and whether a section's pages are numbered: centred at the top, `page.header` from the top
/// edge, in a style of the document.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageNumbers {
    /// The style of the number.
    pub style: StyleId,
    /// The section's first page shows no number (page 1 of a plan).
    pub hide_first: bool,
    /// Numbering starts again at this number; `None` continues from the section before.
    pub restart: Option<u32>,
}

/// A piece of a section or of a table cell.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A paragraph of text.
    Paragraph(Paragraph),
    /// A horizontal line under the paragraph before it.
    Rule(Rule),
    /// A table.
    Table(Table),
}

/// A paragraph: its style, what it sets differently, and its text.
#[derive(Clone, Debug, PartialEq)]
pub struct Paragraph {
    /// The style it is in.
    pub style: StyleId,
    /// What it sets differently from its style.
    pub overrides: ParaOverrides,
    /// Its text, in runs of one format, and line breaks.
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

/// A piece of a paragraph.
#[derive(Clone, Debug, PartialEq)]
pub enum Run {
    /// Text in one format.
    Text(TextRun),
    /// A line break within the paragraph.
    Break,
}

/// Text in one format.
#[derive(Clone, Debug, PartialEq)]
pub struct TextRun {
    /// The text (NFC).
    pub text: String,
    /// Font size in half-points.
    pub size: u32,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Underlined.
    pub underline: bool,
}

impl TextRun {
    /// Its format.
    pub fn format(&self) -> RunFormat {
        RunFormat { size: self.size, bold: self.bold, italic: self.italic, underline: self.underline }
    }
}

/// A centred horizontal line of a given length, drawn under the previous paragraph.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Its length in twips.
    pub length: i32,
    /// Eighths of a point.
    pub thickness: u32,
    /// Space between the text above and the line.
    pub gap: i32,
    /// Stays on the page of the block after it.
    pub keep_next: bool,
}

/// A table with fixed column widths.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Column widths in twips.
    pub widths: Vec<i32>,
    /// Its left edge from the text margin, in twips.
    pub indent: i32,
    /// Single lines around every cell (the task table); none for the layout tables.
    pub borders: bool,
    /// Its rows, in order.
    pub rows: Vec<Row>,
}

/// A row of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Repeated at the top of every page the table runs onto.
    pub header: bool,
    /// The row may not break across pages.
    pub cant_split: bool,
    /// One cell per column.
    pub cells: Vec<Cell>,
}

/// Whether a cell is merged with the cells above or below it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VMerge {
    /// Not merged.
    None,
    /// Starts a merged cell that the cells below continue.
    Restart,
    /// Continues the merged cell above.
    Continue,
}

/// Where a cell's content sits when the row is taller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VAlign {
    /// At the top.
    Top,
    /// In the middle.
    Center,
    /// At the bottom.
    Bottom,
}

/// A table cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// Its content.
    pub blocks: Vec<Block>,
    /// Merged with the cells below or above.
    pub v_merge: VMerge,
    /// Where its content sits.
    pub v_align: VAlign,
    /// A vertical line on the cell's right side (the brace of a nơi nhận group; the PDF and SVG
    /// pages draw a curly brace in the last [`BRACE_ROOM`] of the cell).
    pub border_right: bool,
}

/// The height of the one-point paragraph that separates two tables in a row (in Word two
/// adjacent tables merge into one, so the DOCX writes an empty paragraph between them and the
/// pages leave its room), in twips.
pub const TABLE_SEPARATOR: u32 = 20;

/// The width at the right of a brace cell ([`Cell::border_right`]) that its brace takes, in twips.
pub const BRACE_ROOM: i32 = 200;
