//! The vocabulary of the document: page setup, paragraph and character formats, named styles and
//! the style sheet that holds them. Both writers (DOCX; the layout under PDF and SVG) read these
//! and nothing else of the regime.
//!
//! Lengths are in twips (1/20 pt; 1 mm ≈ 56.69 twips), font sizes in half-points (as in DOCX).

use serde::Serialize;

/// Millimetres to twips, rounded.
pub const fn mm(v: u32) -> i32 {
    // 1 mm = 1440 / 25.4 twips; integer maths keeps the profiles `const`.
    ((v as i64 * 14400 + 127) / 254) as i32
}

/// Points to twips.
pub const fn pt(v: u32) -> i32 {
    (v * 20) as i32
}

/// How the lines of a paragraph sit between its indents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Justified: every line but the last fills the width.
    Both,
}

/// The distance between the baselines of a paragraph's lines.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineSpacing {
    /// A multiple of the font's line height, in 240ths (240 = single, 360 = 1.5 lines).
    Auto(u32),
    /// Exactly this many twips.
    Exact(u32),
}

/// The page: its size, margins and the distance of the page number from the top edge.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PageSetup {
    /// Page width.
    pub width: i32,
    /// Page height.
    pub height: i32,
    /// Top margin.
    pub top: i32,
    /// Bottom margin.
    pub bottom: i32,
    /// Left margin (the inside margin when `mirror` is set).
    pub left: i32,
    /// Right margin (the outside margin when `mirror` is set).
    pub right: i32,
    /// Back pages mirror the margins (double-sided printing).
    pub mirror: bool,
    /// Distance from the top edge to the page number.
    pub header: i32,
    /// Distance from the bottom edge to the footer (no footer is printed).
    pub footer: i32,
}

impl PageSetup {
    /// The width between the margins.
    pub const fn text_width(&self) -> i32 {
        self.width - self.left - self.right
    }

    /// The same page turned sideways: width and height swap, the margins stay with their edges'
    /// roles (top, bottom, binding side), as Word does for a landscape section.
    pub fn landscape(&self) -> PageSetup {
        PageSetup { width: self.height, height: self.width, ..*self }
    }
}

/// The box of a stamp paragraph (KHẨN, MẬT, phạm vi lưu hành): line width in eighths of a point
/// and the gap between the line and the text in points (DOCX border units).
pub const BOX_BORDER: u32 = 6;
/// See [`BOX_BORDER`].
pub const BOX_SPACE_PT: i32 = 1;

/// Left and right cell padding of bordered tables (DOCX's own default is 108 twips).
pub const BORDERED_CELL_MARGIN: i32 = 85;

/// How a paragraph is set: alignment, indents, spacing, and how it breaks across pages.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParaFormat {
    /// How its lines sit between the indents.
    pub align: Align,
    /// First-line indent (negative: hanging).
    pub first_line: i32,
    /// Left indent.
    pub indent_left: i32,
    /// Right indent.
    pub indent_right: i32,
    /// Space above.
    pub before: i32,
    /// Space below.
    pub after: i32,
    /// Line spacing.
    pub line: LineSpacing,
    /// Stays on the page of the next paragraph.
    pub keep_next: bool,
    /// Never split across pages.
    pub keep_lines: bool,
    /// A single-line box around the text ([`BOX_BORDER`]).
    pub boxed: bool,
}

/// How text is set: size in half-points and emphasis. (The font is the document's one font.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RunFormat {
    /// Font size in half-points.
    pub size: u32,
    /// Bold.
    pub bold: bool,
    /// Italic.
    pub italic: bool,
    /// Underlined.
    pub underline: bool,
}

/// A named style's resolved properties: the paragraph's format and its text's.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    /// How its paragraphs are set.
    pub para: ParaFormat,
    /// How their text is set.
    pub run: RunFormat,
}

impl Style {
    /// Single-spaced, left-aligned 14 pt text with no indents: what every style departs from.
    pub const BASE: Style = Style {
        para: ParaFormat {
            align: Align::Left,
            first_line: 0,
            indent_left: 0,
            indent_right: 0,
            before: 0,
            after: 0,
            line: LineSpacing::Auto(240),
            keep_next: false,
            keep_lines: false,
            boxed: false,
        },
        run: RunFormat { size: 28, bold: false, italic: false, underline: false },
    };
}

/// A style in a [`StyleSheet`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StyleId(pub(crate) u16);

/// The named styles a document uses, each once: paragraphs refer to them by [`StyleId`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StyleSheet {
    styles: Vec<(String, Style)>,
}

impl StyleSheet {
    /// The style named `name`, added with `style` if the sheet does not have it yet.
    pub fn intern(&mut self, name: &str, style: Style) -> StyleId {
        if let Some(i) = self.styles.iter().position(|(n, _)| n == name) {
            return StyleId(i as u16);
        }
        self.styles.push((name.to_string(), style));
        StyleId((self.styles.len() - 1) as u16)
    }

    /// The style `id` stands for.
    pub fn get(&self, id: StyleId) -> &Style {
        &self.styles[id.0 as usize].1
    }

    /// The name of style `id` ("body", "muc" …).
    pub fn name(&self, id: StyleId) -> &str {
        &self.styles[id.0 as usize].0
    }

    /// The style named `name`, if the document uses it.
    pub fn find(&self, name: &str) -> Option<StyleId> {
        self.styles.iter().position(|(n, _)| n == name).map(|i| StyleId(i as u16))
    }

    /// Every style with its id, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (StyleId, &str, &Style)> {
        self.styles.iter().enumerate().map(|(i, (n, s))| (StyleId(i as u16), n.as_str(), s))
    }
}

/// What a paragraph sets differently from its style.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ParaOverrides {
    /// Keep (or not) with the next block.
    pub keep_next: Option<bool>,
    /// Left indent (a stamp's box shrunk to its text).
    pub indent_left: Option<i32>,
    /// Right indent.
    pub indent_right: Option<i32>,
    /// Space above (the first row of a table that has space above it).
    pub before: Option<i32>,
}

impl ParaOverrides {
    /// `base` with these overrides applied.
    pub fn apply(&self, base: &ParaFormat) -> ParaFormat {
        ParaFormat {
            keep_next: self.keep_next.unwrap_or(base.keep_next),
            indent_left: self.indent_left.unwrap_or(base.indent_left),
            indent_right: self.indent_right.unwrap_or(base.indent_right),
            before: self.before.unwrap_or(base.before),
            ..*base
        }
    }

    /// Whether it sets nothing.
    pub fn is_empty(&self) -> bool {
        *self == ParaOverrides::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mm_to_twips() {
        assert_eq!(mm(20), 1134);
        assert_eq!(mm(30), 1701);
        assert_eq!(mm(15), 850);
        assert_eq!(mm(10), 567);
        assert_eq!(mm(210), 11906);
        assert_eq!(mm(297), 16838);
    }

    #[test]
    fn a_style_is_added_once_and_overrides_apply_on_top() {
        let mut sheet = StyleSheet::default();
        let a = sheet.intern("body", Style::BASE);
        let b = sheet.intern("muc", Style { run: RunFormat { bold: true, ..Style::BASE.run }, ..Style::BASE });
        assert_eq!(sheet.intern("body", Style::BASE), a);
        assert_ne!(a, b);
        assert_eq!(sheet.name(b), "muc");
        let o = ParaOverrides { before: Some(240), ..Default::default() };
        let f = o.apply(&sheet.get(a).para);
        assert_eq!((f.before, f.after), (240, 0));
    }
}
