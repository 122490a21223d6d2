//! What the readers hand to the recogniser: the source as a sequence of paragraphs and tables, each
//! paragraph with the properties that carry meaning in a KẾ HOẠCH (alignment, bold or italic
//! throughout, a Word list label, the style kehoach gave it, its place in a table).

/// Horizontal alignment of a source paragraph. Plain text has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Align {
    Unset,
    Left,
    Center,
    Right,
    Both,
}

/// The number format of a Word list level (`w:numFmt`), reduced to what matters here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumFmt {
    Decimal,
    UpperRoman,
    LowerRoman,
    UpperLetter,
    LowerLetter,
    Bullet,
}

/// A label Word computes for a paragraph of an automatically numbered list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct AutoLabel {
    /// As Word prints it: "I.", "1.", "1.2.", "a)", "-", "•".
    pub text: String,
    /// The format of the paragraph's own level.
    pub fmt: NumFmt,
    /// The list level (`w:ilvl`), 0-based.
    pub level: u8,
}

/// Where a paragraph stands inside a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CellRef {
    /// The table, numbered in reading order (nested tables have numbers of their own).
    pub table: usize,
    pub row: usize,
    pub col: usize,
    /// The number of cells of that row.
    pub ncols: usize,
    /// The column of the enclosing cell when this table sits inside another table's cell.
    pub outer_col: Option<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Para {
    /// The paragraph's place in the source: its number among the non-empty paragraphs of a DOCX,
    /// or its line in a text file (1-based).
    pub n: usize,
    /// The text, with `*italic*` and `**bold**` where only part of it is emphasised; line breaks
    /// inside the paragraph are `\n`, tabs `\t`.
    pub text: String,
    /// The text without emphasis marks.
    pub plain: String,
    /// The kehoach style the paragraph carries ("body", "muc", "quyen_han"…), when the DOCX was
    /// written by kehoach (its styles are named "KH <id>").
    pub kh_style: Option<String>,
    pub align: Align,
    /// Every letter of the paragraph is bold / italic / underlined.
    pub bold: bool,
    pub italic: bool,
    pub underline: bool,
    /// Word's automatic number or bullet, if the paragraph is in a list.
    pub auto: Option<AutoLabel>,
    pub cell: Option<CellRef>,
    /// The column of a line typed as two columns with tabs ("- Lưu: VT, VP.<tab>CHỦ TỊCH"):
    /// 0 left, 1 right.
    pub side: Option<u8>,
    /// On a landscape page (a DOCX section with `w:orient="landscape"`); text has no sections.
    pub landscape: bool,
}

impl Para {
    pub fn new(n: usize, text: String) -> Para {
        let plain = strip_marks(&text);
        Para {
            n,
            text,
            plain,
            kh_style: None,
            align: Align::Unset,
            bold: false,
            italic: false,
            underline: false,
            auto: None,
            cell: None,
            side: None,
            landscape: false,
        }
    }

    pub fn style_is(&self, s: &str) -> bool {
        self.kh_style.as_deref() == Some(s)
    }
}

/// A table of the source.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Table {
    pub id: usize,
    /// Drawn with visible borders (a task table), or borderless (a layout table: the header, the
    /// nơi nhận / signature block).
    pub borders: bool,
    /// On a landscape page of its own.
    pub landscape: bool,
    /// Rows of cells; each cell holds blocks.
    pub rows: Vec<Vec<Vec<Block>>>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Block {
    P(Para),
    Table(Table),
}

/// Removes `*` / `**` emphasis marks the way the engine's inline parser reads them (an unpaired
/// `*` is text and stays).
pub(crate) fn strip_marks(s: &str) -> String {
    if !s.contains('*') {
        return s.to_string();
    }
    crate::compose::inline::parse(s).into_iter().map(|sp| sp.text).collect()
}

/// Every paragraph of `blocks` in reading order (tables row by row, cell by cell).
pub(crate) fn flatten(blocks: &[Block]) -> Vec<&Para> {
    fn go<'a>(blocks: &'a [Block], out: &mut Vec<&'a Para>) {
        for b in blocks {
            match b {
                Block::P(p) => out.push(p),
                Block::Table(t) => {
                    for row in &t.rows {
                        for cell in row {
                            go(cell, out);
                        }
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    go(blocks, &mut out);
    out
}

/// Splits the lines typed as two columns with tabs at the foot of a plan — nơi nhận on the left,
/// the signature on the right ("Nơi nhận:<tab><tab>TM. ỦY BAN NHÂN DÂN", "- Lưu: VT.<tab>Nguyễn Văn A")
/// — into two paragraphs marked with their side. A note in brackets after a tab ("- UBND
/// tỉnh;<tab>(báo cáo);") stays: it belongs to the recipient.
pub(crate) fn split_two_columns(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    let mut seen_noi_nhan = false;
    for b in blocks {
        let Block::P(p) = b else {
            out.push(b);
            continue;
        };
        let left_kind = {
            let t = p.plain.trim_start();
            if t.starts_with("Nơi nhận") || t.starts_with("NƠI NHẬN") {
                seen_noi_nhan = true;
                true
            } else {
                seen_noi_nhan && (t.starts_with(['-', '–', '+', '•']) || t.starts_with("Lưu") || t.starts_with('('))
            }
        };
        let split = p.plain.find('\t').filter(|_| left_kind && !p.plain.contains('\n')).and_then(|i| {
            let (l, r) = (p.plain[..i].trim(), p.plain[i..].trim());
            (!l.is_empty() && !r.is_empty() && !r.starts_with('(')).then(|| (l.to_string(), r.to_string()))
        });
        match split {
            Some((l, r)) => {
                let mut a = p.clone();
                a.text = l.clone();
                a.plain = l;
                a.side = Some(0);
                let mut c = p;
                c.text = r.clone();
                c.plain = r;
                c.side = Some(1);
                c.align = Align::Center;
                out.push(Block::P(a));
                out.push(Block::P(c));
            }
            None => out.push(Block::P(p)),
        }
    }
    out
}
