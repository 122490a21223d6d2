//! The SVG pages against the PDF of the same plan, for every sample and the fixture: the same text
//! line by line (read back by poppler's `pdftotext` from the PDF, and as XML from the SVG), and the
//! same picture (Chromium's screenshot of each SVG page against poppler's `pdftoppm` image of the
//! PDF page). Each comparison is shown to fail on a page that is deliberately wrong. Also: every
//! page is a standalone, well-formed SVG document with nothing outside it, the same on every run,
//! and `kehoach render --format svg` writes them as `<stem>-N.svg`.
//!
//! The figures (how far the SVG words are from poppler's, and the worst pixel difference per
//! sample) are printed: `cargo test --test svg -- --nocapture`.

mod common;
use common::*;
use std::path::Path;
use std::process::Command;

fn all_samples() -> impl Iterator<Item = &'static str> {
    SAMPLES.iter().chain(FIXTURES).copied()
}

// ---------------------------------------------------------------------------------------------
// Text, line by line
// ---------------------------------------------------------------------------------------------

/// A word on a page: where it starts and its baseline, in points from the page's top left corner.
#[derive(Clone, Debug)]
struct Word {
    x: f64,
    base: f64,
    text: String,
}

/// Words on one baseline (within this many points) are one line.
const SAME_BASELINE: f64 = 0.05;

/// The lines of a page: the words that share a baseline, top to bottom, each line left to right.
fn lines(mut words: Vec<Word>) -> Vec<Vec<Word>> {
    words.sort_by(|a, b| a.base.total_cmp(&b.base));
    let mut out: Vec<Vec<Word>> = Vec::new();
    for w in words {
        match out.last_mut() {
            Some(line) if (w.base - line[0].base).abs() <= SAME_BASELINE => line.push(w),
            _ => out.push(vec![w]),
        }
    }
    for line in &mut out {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    out
}

/// The words of each page of a PDF, as poppler reads them.
///
/// `pdftotext -bbox` is the mode chosen: it gives every word with its box and nothing else, so a
/// line can be defined the same way for the PDF and the SVG (the words that share a baseline, left
/// to right) and the comparison is exact. The modes that print lines (the default reading order,
/// `-raw`, `-layout`) group words by poppler's own heuristics (columns and blocks, content order,
/// spacing by a character grid) that have no counterpart in an SVG read as XML. Poppler's box
/// spans the font descriptor's ascent and descent (the font's hhea values, the same for all four
/// faces of Liberation Serif), so the baseline lies at ascent / (ascent + descent) of its height.
fn pdf_pages(pdftotext: &Path, pdf: &Path) -> Vec<Vec<Word>> {
    let o = Command::new(pdftotext).arg("-bbox").arg(pdf).arg("-").output().expect("pdftotext runs");
    assert!(o.status.success(), "pdftotext failed on {}", pdf.display());
    let xml = String::from_utf8(o.stdout).unwrap();
    // poppler writes XHTML with a DOCTYPE roxmltree refuses; the body is all we need.
    let start = xml.find("<doc>").expect("bbox output has <doc>");
    let end = xml.rfind("</doc>").expect("bbox output has </doc>") + "</doc>".len();
    let doc = roxmltree::Document::parse(&xml[start..end]).expect("bbox XML parses");
    let font = std::fs::read(repo().join("fonts/LiberationSerif-Regular.ttf")).unwrap();
    let face = ttf_parser::Face::parse(&font, 0).unwrap();
    let ratio = face.ascender() as f64 / (face.ascender() - face.descender()) as f64;
    doc.descendants()
        .filter(|n| n.has_tag_name("page"))
        .map(|page| {
            page.descendants()
                .filter(|n| n.has_tag_name("word"))
                .map(|w| {
                    let f = |a: &str| w.attribute(a).unwrap().parse::<f64>().unwrap();
                    Word { x: f("xMin"), base: f("yMin") + ratio * (f("yMax") - f("yMin")), text: w.text().unwrap_or("").to_string() }
                })
                .collect()
        })
        .collect()
}

/// The words of an SVG page, read as XML: each `<text>` is a run of text on its baseline (`y`), its
/// words split at white space, each placed where the `x` of the `<tspan>` it starts in says. A word
/// that starts inside a tspan rather than at its start has no position of its own: the writer
/// promises every word one, so that is an error here.
fn svg_words(svg: &str) -> Result<Vec<Word>, String> {
    let doc = roxmltree::Document::parse(svg).map_err(|e| format!("not well-formed XML: {e}"))?;
    let mut words = Vec::new();
    for text in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let base: f64 = text.attribute("y").ok_or("a <text> without y")?.parse().map_err(|_| "y is not a number")?;
        let mut current: Option<Word> = None;
        for node in text.descendants().filter(|n| n.is_text()) {
            let x = node.parent().and_then(|p| p.attribute("x")).map(|x| x.parse::<f64>().map_err(|_| format!("x={x}")));
            let x = x.transpose()?;
            for (i, c) in node.text().unwrap_or("").chars().enumerate() {
                if c.is_whitespace() {
                    words.extend(current.take());
                } else if let Some(w) = &mut current {
                    w.text.push(c);
                } else {
                    let x = x.filter(|_| i == 0).ok_or_else(|| format!("a word without a position of its own in {:?}", node.text()))?;
                    current = Some(Word { x, base, text: c.to_string() });
                }
            }
        }
        words.extend(current);
    }
    Ok(words)
}

/// How far the SVG's words are from poppler's.
#[derive(Default)]
struct Offsets {
    words: usize,
    x: f64,
    base: f64,
}

/// Words of a justified line are placed by the layout in the SVG, and in the PDF by the glyph
/// widths its font dictionary lists, which PDF rounds to a thousandth of the size: a word at the
/// end of a line of 14 pt text may lie up to a few tenths of a point from where the layout put it.
/// A missing or extra space, or a word on the wrong line, is more than 2 pt away.
const X_TOLERANCE: f64 = 1.0;

/// Compares the lines of one page: the same lines, the same words in the same order, on the same
/// baselines and at the same places.
fn compare_page(svg: &[Vec<Word>], pdf: &[Vec<Word>], off: &mut Offsets) -> Result<(), String> {
    let text = |l: &[Word]| l.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
    for i in 0..svg.len().max(pdf.len()) {
        let (Some(s), Some(p)) = (svg.get(i), pdf.get(i)) else {
            let (s, p) = (svg.get(i).map(|l| text(l)), pdf.get(i).map(|l| text(l)));
            return Err(format!("line {}: SVG {s:?}, PDF {p:?} ({} lines in the SVG, {} in the PDF)", i + 1, svg.len(), pdf.len()));
        };
        if text(s) != text(p) {
            return Err(format!("line {}:\n  SVG: {}\n  PDF: {}", i + 1, text(s), text(p)));
        }
        for (a, b) in s.iter().zip(p) {
            let (dx, db) = ((a.x - b.x).abs(), (a.base - b.base).abs());
            if dx > X_TOLERANCE || db > SAME_BASELINE {
                return Err(format!(
                    "line {} ({}): {:?} at x {:.3}, baseline {:.3} in the SVG, x {:.3}, baseline {:.3} in the PDF",
                    i + 1,
                    text(s),
                    a.text,
                    a.x,
                    a.base,
                    b.x,
                    b.base
                ));
            }
            off.words += 1;
            off.x = off.x.max(dx);
            off.base = off.base.max(db);
        }
    }
    Ok(())
}

#[test]
fn svg_text_is_the_pdf_text_line_by_line() {
    let Some(pdftotext) = require("pdftotext (poppler-utils)", tool("PDFTOTEXT", &["pdftotext"])) else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut first_page = None;
    for s in all_samples() {
        let (pdf, svgs) = render_pdf_and_svg(s);
        let path = dir.path().join("a.pdf");
        std::fs::write(&path, &pdf).unwrap();
        let pdf_pages = pdf_pages(&pdftotext, &path);
        assert_eq!(svgs.len(), pdf_pages.len(), "{s}: one SVG per PDF page");
        let mut off = Offsets::default();
        let mut lines_n = 0;
        for (i, (svg, pdf_words)) in svgs.iter().zip(&pdf_pages).enumerate() {
            let pdf_lines = lines(pdf_words.clone());
            let svg_lines = lines(svg_words(svg).unwrap_or_else(|e| panic!("{s} page {}: {e}", i + 1)));
            compare_page(&svg_lines, &pdf_lines, &mut off).unwrap_or_else(|e| panic!("{s} page {}: {e}", i + 1));
            lines_n += pdf_lines.len();
            if first_page.is_none() {
                first_page = Some((svg.clone(), pdf_lines));
            }
        }
        println!(
            "{s:<24} {} pages, {lines_n} lines, {} words: x within {:.3} pt, baselines within {:.4} pt of poppler's",
            svgs.len(),
            off.words,
            off.x,
            off.base
        );
    }

    // The comparison fails on a page that is wrong: a line moved down by a point, a word moved
    // right by a space's width, a word lost.
    let (svg, pdf_lines) = first_page.unwrap();
    let first_text = svg.find("<text y=\"").unwrap();
    let y_at = first_text + "<text y=\"".len();
    let y_end = y_at + svg[y_at..].find('"').unwrap();
    let y: f64 = svg[y_at..y_end].parse().unwrap();
    let moved_line = format!("{}{}{}", &svg[..y_at], y + 1.0, &svg[y_end..]);
    let x_at = first_text + svg[first_text..].find("<tspan x=\"").unwrap() + "<tspan x=\"".len();
    let x_end = x_at + svg[x_at..].find('"').unwrap();
    let x: f64 = svg[x_at..x_end].parse().unwrap();
    let moved_word = format!("{}{}{}", &svg[..x_at], x + 3.5, &svg[x_end..]);
    let word_end = x_end + svg[x_end..].find("</tspan>").unwrap() + "</tspan>".len();
    let lost_word = format!("{}\"></tspan>{}", &svg[..x_end], &svg[word_end..]);
    for (what, bad) in [("a line moved down 1 pt", moved_line), ("a word moved 3.5 pt", moved_word), ("a word lost", lost_word)] {
        let svg_lines = lines(svg_words(&bad).unwrap());
        let r = compare_page(&svg_lines, &pdf_lines, &mut Offsets::default());
        assert!(r.is_err(), "{what} is not detected");
    }
    assert!(compare_page(&lines(svg_words(&svg).unwrap()), &pdf_lines, &mut Offsets::default()).is_ok());
}

// ---------------------------------------------------------------------------------------------
// Pictures
// ---------------------------------------------------------------------------------------------

/// The resolution of both pictures: 96 dpi, so that a CSS pixel is a pixel of pdftoppm's image.
const DPI: u32 = 96;

/// A grey image, a byte a pixel.
struct Grey {
    w: usize,
    h: usize,
    px: Vec<u8>,
}

impl Grey {
    fn read(path: &Path) -> Grey {
        let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        let channels = info.color_type.samples();
        let px = buf[..info.buffer_size()]
            .chunks(channels)
            .map(|p| match channels {
                1 | 2 => p[0],
                _ => ((p[0] as u32 * 299 + p[1] as u32 * 587 + p[2] as u32 * 114) / 1000) as u8,
            })
            .collect();
        Grey { w: info.width as usize, h: info.height as usize, px }
    }

    fn at(&self, x: usize, y: usize) -> u8 {
        self.px[y * self.w + x]
    }

    fn crop(&self, x0: usize, y0: usize, w: usize, h: usize) -> Grey {
        let mut px = Vec::with_capacity(w * h);
        for y in y0..y0 + h {
            px.extend_from_slice(&self.px[y * self.w + x0..y * self.w + x0 + w]);
        }
        Grey { w, h, px }
    }
}

/// How much two pictures of one page differ.
#[derive(Clone, Copy, Debug, Default)]
struct Difference {
    /// The share of the page's pixels that differ.
    page: f64,
    /// The share of differing pixels in the worst square of `BLOCK` pixels, and where it is.
    block: f64,
    at: (usize, usize),
}

/// A pixel differs when its grey lies more than `FUZZ` outside the range of the other picture's
/// greys around the same place (its 3×3 neighbourhood), either way round. Two rasterizers put the
/// anti-aliased edges of the same glyph up to half a pixel apart (Chromium puts baselines on whole
/// pixels, poppler does not), which the neighbourhood absorbs; a glyph, word or line drawn a pixel
/// away from where it should be, or a different glyph, leaves whole edges outside it. The fuzz,
/// 96 of 255, is what a half-point table border needs: it is 0.67 pixel wide at 96 dpi, which
/// poppler's stroke adjustment draws as a black pixel and Chromium as a grey one (about 85).
///
/// The comparison is written here rather than left to ImageMagick's `compare`: `compare -fuzz`
/// counts pixels one by one, with no neighbourhood, so half-pixel edge placement alone makes 6 to
/// 10 % of a page's pixels differ (fuzz 3 to 25 %), more than a page moved by a pixel adds; and the worst square is
/// what tells a misplaced word from noise spread over the page.
const FUZZ: u8 = 96;
/// Differences are counted over squares of this many pixels (a third of an inch, a line of text
/// and a half): a misplaced word shows as a dense patch in one, rasterizer noise as a few pixels.
const BLOCK: usize = 32;
/// At most this share of a page's pixels, and of any square's, may differ. Measured on the
/// samples: at most 0.004 % of a page and 0.7 % of a square. The wrong pages (photographed with
/// them, see below) give at least 0.2 % of the page and 10 % of a square.
const MAX_PAGE: f64 = 0.001;
const MAX_BLOCK: f64 = 0.03;

fn difference(a: &Grey, b: &Grey) -> Difference {
    assert_eq!((a.w, a.h), (b.w, b.h), "pictures of one size");
    let (w, h) = (a.w, a.h);
    // Whether `p`'s pixel lies more than FUZZ outside the greys of `q` around it.
    let outside = |p: &Grey, q: &Grey, x: usize, y: usize| {
        let v = p.at(x, y);
        let (mut lo, mut hi) = (255u8, 0u8);
        for yy in y.saturating_sub(1)..=(y + 1).min(h - 1) {
            for xx in x.saturating_sub(1)..=(x + 1).min(w - 1) {
                let u = q.at(xx, yy);
                lo = lo.min(u);
                hi = hi.max(u);
            }
        }
        v.saturating_add(FUZZ) < lo || v > hi.saturating_add(FUZZ)
    };
    let (bw, bh) = (w.div_ceil(BLOCK), h.div_ceil(BLOCK));
    let mut blocks = vec![0usize; bw * bh];
    let mut total = 0;
    for (i, (pa, pb)) in a.px.iter().zip(&b.px).enumerate() {
        // The neighbourhood holds the pixel itself: pixels within FUZZ of each other match.
        if pa.abs_diff(*pb) <= FUZZ {
            continue;
        }
        let (x, y) = (i % w, i / w);
        if outside(a, b, x, y) || outside(b, a, x, y) {
            total += 1;
            blocks[(y / BLOCK) * bw + x / BLOCK] += 1;
        }
    }
    let (i, worst) = blocks.iter().enumerate().max_by_key(|(_, n)| **n).map(|(i, n)| (i, *n)).unwrap_or((0, 0));
    Difference { page: total as f64 / (w * h) as f64, block: worst as f64 / (BLOCK * BLOCK) as f64, at: ((i % bw) * BLOCK, (i / bw) * BLOCK) }
}

/// A page to photograph: its SVG file, the PDF page's picture and their size, and where it goes in
/// the shot.
struct Cell {
    sample: String,
    page: usize,
    svg: String,
    reference: std::path::PathBuf,
    size: (usize, usize),
    x: usize,
    y: usize,
    /// A deliberately wrong page, which must not match.
    wrong: Option<&'static str>,
}

/// The size in pixels of pdftoppm's picture of a page (whole pixels, rounded up), from the SVG's
/// size in points.
fn pixels(svg: &str) -> (usize, usize) {
    let xml = roxmltree::Document::parse(svg).unwrap();
    let pt = |a: &str| xml.root_element().attribute(a).and_then(|v| v.strip_suffix("pt")).unwrap().parse::<f64>().unwrap();
    let px = |v: f64| (v * DPI as f64 / 72.0).ceil() as usize;
    (px(pt("width")), px(pt("height")))
}

/// Fontconfig settings for the Chromium under test. Glyphs unhinted and grey, as poppler draws
/// them (Debian's default is slight hinting, which moves stems by parts of a pixel). And the
/// system's own Liberation fonts hidden: Chromium's default font, Times New Roman, is Liberation
/// Serif on Debian, which would stand in unseen for a page font that failed to load; without it, a
/// page drawn in any font but its own does not match (the page "without its fonts" shows it).
const FONTS_CONF: &str = r#"<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont>
    <rejectfont>
      <pattern><patelt name="family"><string>Liberation Serif</string></patelt></pattern>
      <pattern><patelt name="family"><string>Liberation Sans</string></patelt></pattern>
      <pattern><patelt name="family"><string>Liberation Mono</string></patelt></pattern>
    </rejectfont>
  </selectfont>
  <match target="pattern">
    <edit name="hinting" mode="assign"><bool>false</bool></edit>
    <edit name="hintstyle" mode="assign"><const>hintnone</const></edit>
    <edit name="antialias" mode="assign"><bool>true</bool></edit>
    <edit name="rgba" mode="assign"><const>none</const></edit>
  </match>
</fontconfig>
"#;

#[test]
fn svg_screenshots_match_the_pdf_pages() {
    let Some(pdftoppm) = require("pdftoppm (poppler-utils)", tool("PDFTOPPM", &["pdftoppm"])) else { return };
    let Some(chromium) = require("chromium", chromium()) else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Every sample's PDF goes to pdftoppm at once, and Chromium photographs the SVG pages while
    // those run: the size of each picture is known from the page's size beforehand.
    let mut cells: Vec<Cell> = Vec::new();
    let mut pdftoppms = Vec::new();
    for (si, s) in all_samples().enumerate() {
        let (pdf, svgs) = render_pdf_and_svg(s);
        let pdf_path = d.join(format!("s{si}.pdf"));
        std::fs::write(&pdf_path, &pdf).unwrap();
        let child = Command::new(&pdftoppm)
            .args(["-r", &DPI.to_string(), "-gray", "-png"])
            .arg(&pdf_path)
            .arg(d.join(format!("s{si}")))
            .spawn()
            .expect("pdftoppm runs");
        pdftoppms.push((s, child));
        let digits = svgs.len().to_string().len();
        let mut add = |page: usize, svg: &str, wrong: Option<&'static str>| {
            let name = format!("c{}.svg", cells.len());
            std::fs::write(d.join(&name), svg).unwrap();
            let reference = d.join(format!("s{si}-{page:0digits$}.png"));
            cells.push(Cell { sample: s.to_string(), page, svg: name, size: pixels(svg), reference, x: 0, y: 0, wrong });
        };
        for (pi, svg) in svgs.iter().enumerate() {
            add(pi + 1, svg, None);
        }
        if si == 0 {
            // Wrong pages, photographed with the others: the first page moved right by one pixel
            // (3/4 pt); without its fonts (Chromium draws the text in a font of the system
            // instead, which proves the right pages use their own); with its bold text regular.
            let shifted = svgs[0].replacen("viewBox=\"0 0 ", "viewBox=\"-0.75 0 ", 1);
            let unfonted: String = svgs[0].lines().filter(|l| !l.starts_with("@font-face")).map(|l| format!("{l}\n")).collect();
            let unbold = svgs[0].replace(" class=\"b\"", "");
            for (what, svg) in [("moved by a pixel", shifted), ("without its fonts", unfonted), ("with its bold text in the regular face", unbold)] {
                assert_ne!(svg, svgs[0], "{what}");
                add(1, &svg, Some(what));
            }
        }
    }

    // All pages in one shot (Chromium starts once), in rows of six, each at whole pixels, with a
    // gap between them.
    let (mut x, mut y, mut row_h, mut width) = (0, 0, 0, 0);
    for (i, c) in cells.iter_mut().enumerate() {
        if i % 6 == 0 && i > 0 {
            y += row_h + 8;
            x = 0;
            row_h = 0;
        }
        c.x = x;
        c.y = y;
        x += c.size.0 + 8;
        row_h = row_h.max(c.size.1);
        width = width.max(x);
    }
    let height = y + row_h;
    let mut html = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>html,body{margin:0;padding:0;overflow:hidden;background:#fff}img{position:absolute;display:block}</style></head><body>\n",
    );
    for c in &cells {
        html.push_str(&format!("<img src=\"{}\" style=\"left:{}px;top:{}px\">\n", c.svg, c.x, c.y));
    }
    html.push_str("</body></html>\n");
    std::fs::write(d.join("pages.html"), html).unwrap();
    std::fs::write(d.join("fonts.conf"), FONTS_CONF).unwrap();
    let shot = d.join("shot.png");
    let url = format!("file://{}", d.join("pages.html").display());
    chromium_screenshot(&chromium, &url, &shot, width as u32, height as u32, &[("FONTCONFIG_FILE", &d.join("fonts.conf"))]);
    let shot = Grey::read(&shot);
    assert_eq!((shot.w, shot.h), (width, height), "the screenshot has the size asked for");
    for (s, mut child) in pdftoppms {
        assert!(child.wait().unwrap().success(), "pdftoppm failed on {s}");
    }

    let mut worst: Vec<(String, Difference, usize)> = Vec::new();
    let mut failures = Vec::new();
    for c in &cells {
        let reference = Grey::read(&c.reference);
        assert_eq!((reference.w, reference.h), c.size, "{} page {}: pdftoppm's picture has the page's size", c.sample, c.page);
        let got = shot.crop(c.x, c.y, reference.w, reference.h);
        let diff = difference(&reference, &got);
        let matches = diff.page <= MAX_PAGE && diff.block <= MAX_BLOCK;
        let figure = format!(
            "{} page {}: {:.4} % of the page differs, {:.2} % of the worst {BLOCK}-pixel square (at {:?})",
            c.sample,
            c.page,
            diff.page * 100.0,
            diff.block * 100.0,
            diff.at
        );
        match c.wrong {
            Some(what) => {
                println!("wrong page, {what}: {figure}");
                assert!(!matches, "a page {what} is not detected: {figure}");
            }
            None => {
                if !matches {
                    failures.push(format!("{figure} (at {:?} in the screenshot)", (c.x, c.y)));
                }
                match worst.iter_mut().find(|w| w.0 == c.sample) {
                    Some(w) => {
                        w.2 += 1;
                        if diff.block > w.1.block {
                            w.1 = diff;
                        }
                        w.1.page = w.1.page.max(diff.page);
                    }
                    None => worst.push((c.sample.clone(), diff, 1)),
                }
            }
        }
    }
    for (s, d, n) in &worst {
        println!("{s:<24} {n} pages: worst {:.4} % of a page, {:.2} % of a {BLOCK}-pixel square", d.page * 100.0, d.block * 100.0);
    }
    if !failures.is_empty() {
        // Kept for a look: the PDF pages' pictures, the SVG pages and the screenshot.
        let kept = dir.keep();
        panic!("SVG pages that do not look like the PDF's (see {}):\n{}", kept.display(), failures.join("\n"));
    }
}

// ---------------------------------------------------------------------------------------------
// The documents themselves
// ---------------------------------------------------------------------------------------------

#[test]
fn every_page_is_a_standalone_svg_document() {
    for s in all_samples() {
        let (_, svgs) = render_pdf_and_svg(s);
        let (_, again) = render_pdf_and_svg(s);
        assert_eq!(svgs, again, "{s}: the same pages on every run");
        let pages = kehoach::Engine::default().pages(&checked(sample(s))).unwrap();
        assert_eq!(svgs.len(), pages.len());
        for (i, (svg, page)) in svgs.iter().zip(&pages).enumerate() {
            let at = format!("{s} page {}", i + 1);
            let xml = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{at}: not well-formed: {e}"));
            let root = xml.root_element();
            assert!(root.has_tag_name(("http://www.w3.org/2000/svg", "svg")), "{at}: root is <svg>");
            // The page's real size, in points, and a viewBox of the same size.
            let (w, h) = (page.setup.width as f64 / 20.0, page.setup.height as f64 / 20.0);
            let pt = |a: &str| root.attribute(a).and_then(|v| v.strip_suffix("pt")).and_then(|v| v.parse::<f64>().ok());
            assert_eq!((pt("width"), pt("height")), (Some(w), Some(h)), "{at}: size in points");
            assert_eq!(root.attribute("viewBox"), Some(format!("0 0 {w} {h}").as_str()), "{at}: viewBox");
            // Nothing outside the page: no scripts, no links, no external references.
            for n in xml.descendants().filter(|n| n.is_element()) {
                let name = n.tag_name().name();
                assert!(!["script", "image", "use", "a", "foreignObject"].contains(&name), "{at}: <{name}>");
                for a in n.attributes() {
                    assert!(a.name() != "href" && !a.name().starts_with("on"), "{at}: attribute {}", a.name());
                }
            }
            let style = xml.descendants().find(|n| n.has_tag_name("style")).and_then(|n| n.text()).unwrap_or("");
            let urls: Vec<&str> = style.split("url(").skip(1).collect();
            assert!(urls.iter().all(|u| u.starts_with("data:font/ttf;base64,") || u.starts_with("data:font/otf;base64,")), "{at}: only data URLs");
            // One embedded face per face the page uses.
            let mut faces: Vec<(bool, bool)> = page
                .items
                .iter()
                .filter_map(|it| if let kehoach::layout::Item::Text { span, .. } = it { Some((span.bold, span.italic)) } else { None })
                .collect();
            faces.sort();
            faces.dedup();
            assert_eq!(urls.len(), faces.len(), "{at}: fonts embedded");
            // The text is all there (the XML reader undoes the escaping).
            let svg_text: String = xml.descendants().filter(|n| n.is_text() && n.ancestors().any(|a| a.has_tag_name("text"))).filter_map(|n| n.text()).collect();
            let page_text: String = page
                .items
                .iter()
                .filter_map(|it| if let kehoach::layout::Item::Text { span, .. } = it { Some(span.text.as_str()) } else { None })
                .collect();
            assert_eq!(svg_text, page_text, "{at}: text");
        }
    }
}

#[test]
fn render_format_svg_writes_one_file_per_page() {
    let out = tempfile::tempdir().unwrap();
    let run = |plan: &str| {
        Command::new(env!("CARGO_BIN_EXE_kehoach"))
            .args(["render", plan, "--format", "svg", "-o"])
            .arg(out.path())
            .output()
            .unwrap()
    };
    let plan = repo().join("samples/xa-an-phu-2026.json");
    let o = run(plan.to_str().unwrap());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (_, svgs) = render_pdf_and_svg("xa-an-phu-2026.json");
    let mut names: Vec<String> = std::fs::read_dir(out.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    names.sort_by_key(|n| (n.len(), n.clone()));
    let expected: Vec<String> = (1..=svgs.len()).map(|n| format!("xa-an-phu-2026-{n}.svg")).collect();
    assert_eq!(names, expected, "only the pages, named after the input");
    for (n, svg) in expected.iter().zip(&svgs) {
        assert_eq!(&std::fs::read_to_string(out.path().join(n)).unwrap(), svg, "{n}");
    }
    // A page left over from a longer version of the plan is kept, and named as not part of it.
    let extra = format!("xa-an-phu-2026-{}.svg", svgs.len() + 1);
    std::fs::write(out.path().join(&extra), "old").unwrap();
    let o = run(plan.to_str().unwrap());
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains(&extra) && err.contains("lần xuất trước"), "{err}");
    assert_eq!(std::fs::read_to_string(out.path().join(&extra)).unwrap(), "old");
}
